// @ts-check
// A Gallery server for one test file: the debug binary (or $GALLERY_BIN)
// on 127.0.0.1 port 0 with a temporary data directory, restartable on the
// same port and data, and a few API calls to set a scene up quickly.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ADMIN = "browser-tests-admin-token-0123456789";
const ROOT = resolve(import.meta.dirname, "../..");
const BIN = process.env.GALLERY_BIN || join(ROOT, "target/debug/gallery");

export class Server {
  /** @param {Record<string, string>} [env] settings for this server (GALLERY_…) */
  constructor(env = {}) {
    this.env = env;
    this.dir = mkdtempSync(join(tmpdir(), "gallery-browser-"));
    this.url = "";
    /** @type {import("node:child_process").ChildProcess | null} */
    this.child = null;
  }

  /** Starts the server (again on the same address, when restarting). */
  async start() {
    const listen = this.url ? this.url.replace("http://", "") : "127.0.0.1:0";
    const child = spawn(BIN, ["serve", "--listen", listen, "--data-dir", this.dir], {
      cwd: ROOT,
      env: { ...process.env, GALLERY_ADMIN_TOKEN: ADMIN, RUST_LOG: "warn", ...this.env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    this.child = child;
    this.url = await new Promise((done, fail) => {
      let out = "";
      const timer = setTimeout(() => fail(new Error("the server did not start: " + out)), 30_000);
      child.stdout?.on("data", (chunk) => {
        out += chunk;
        const m = /serving on (http:\/\/[\d.:]+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          done(m[1]);
        }
      });
      child.on("exit", (code) => fail(new Error("the server exited with " + code + ": " + out)));
    });
    return this;
  }

  /** Stops the server gracefully (streams close with 1012). */
  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((done) => child.once("exit", done));
    child.kill("SIGTERM");
    await Promise.race([gone, new Promise((done) => setTimeout(done, 10_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
    this.child = null;
  }

  async dispose() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * @param {string} method
   * @param {string} path
   * @param {string | null} token
   * @param {any} [body]
   */
  async call(method, path, token, body) {
    const res = await fetch(this.url + path, {
      method,
      headers: {
        ...(token ? { Authorization: "Bearer " + token } : {}),
        ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const data = text ? JSON.parse(text) : {};
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return data;
  }

  /** A session with its invites: {slug, narrator, moderator, specialist, links}. */
  async session(body = {}) {
    const created = await this.call("POST", "/api/sessions", ADMIN, { title: "Total knee replacement", ...body });
    const inv = created.invites;
    return {
      slug: created.session.slug,
      narrator: inv.narrator.token,
      moderator: inv.moderator.token,
      specialist: inv.specialist.token,
      links: {
        narrator: inv.narrator.url,
        moderator: inv.moderator.url,
        specialist: inv.specialist.url,
        viewer: inv.viewer.url,
      },
    };
  }
}
