// The peer a team would write instead of Gallery: a minimal Node `ws`
// broadcast relay. A publisher connects to /pub and sends text messages;
// each is sent, as the same string, to every other connected client.
"use strict";
const { WebSocketServer, WebSocket } = require("ws");

const port = Number(process.env.PORT || 9001);
const host = process.env.HOST || "127.0.0.1";
const wss = new WebSocketServer({ host, port, backlog: 4096, perMessageDeflate: false });

wss.on("connection", (socket, req) => {
  if (req.url === "/pub") {
    socket.on("message", (data, isBinary) => {
      const text = isBinary ? data : data.toString();
      for (const client of wss.clients) {
        if (client !== socket && client.readyState === WebSocket.OPEN) client.send(text);
      }
    });
  }
  socket.on("error", () => {});
});

wss.on("listening", () => console.log(`node-ws relay listening on ${host}:${port}`));
