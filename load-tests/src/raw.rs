//! The raw floor: accepts WebSocket viewers, then writes each published
//! message, framed once, to every socket with plain non-blocking `write()`.
//! No log, no seq, no resume: the least work any server can do per delivery.

use clap::Args;
use std::cell::RefCell;
use std::rc::Rc;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

#[derive(Args, Debug)]
pub struct RawArgs {
    #[arg(long)]
    pub port: u16,
    /// Where the narrator writes one message per line.
    #[arg(long)]
    pub control_port: u16,
}

/// A server-to-client text frame (unmasked) around `payload`.
pub fn frame(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 10);
    out.push(0x81);
    match payload.len() {
        n if n < 126 => out.push(n as u8),
        n if n < 65_536 => {
            out.push(126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(payload);
    out
}

pub fn run(args: RawArgs) -> anyhow::Result<bool> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, serve(args))?;
    Ok(true)
}

async fn serve(args: RawArgs) -> anyhow::Result<()> {
    let viewers: Rc<RefCell<Vec<Rc<TcpStream>>>> = Rc::default();
    let listener = TcpListener::bind(("127.0.0.1", args.port)).await?;
    let control = TcpListener::bind(("127.0.0.1", args.control_port)).await?;
    let accepting = viewers.clone();
    tokio::task::spawn_local(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let viewers = accepting.clone();
            tokio::task::spawn_local(async move {
                let _ = stream.set_nodelay(true);
                if let Ok(ws) = tokio_tungstenite::accept_async(stream).await {
                    viewers.borrow_mut().push(Rc::new(ws.into_inner()));
                }
            });
        }
    });
    loop {
        let (narrator, _) = control.accept().await?;
        let mut lines = BufReader::new(narrator).lines();
        while let Some(line) = lines.next_line().await? {
            broadcast(&viewers, &frame(line.as_bytes())).await;
        }
    }
}

async fn broadcast(viewers: &Rc<RefCell<Vec<Rc<TcpStream>>>>, bytes: &[u8]) {
    let mut unfinished = Vec::new();
    viewers
        .borrow_mut()
        .retain(|socket| match socket.try_write(bytes) {
            Ok(n) => {
                if n < bytes.len() {
                    unfinished.push((socket.clone(), n));
                }
                true
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                unfinished.push((socket.clone(), 0));
                true
            }
            Err(_) => false,
        });
    // Partial writes are rare on loopback; finish them before the next message.
    for (socket, mut written) in unfinished {
        while written < bytes.len() {
            if socket.writable().await.is_err() {
                break;
            }
            match socket.try_write(&bytes[written..]) {
                Ok(n) => written += n,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                Err(_) => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::frame;

    #[test]
    fn frames_carry_the_length_in_the_smallest_form() {
        assert_eq!(frame(b"hi"), vec![0x81, 2, b'h', b'i']);
        let medium = frame(&[b'x'; 300]);
        assert_eq!(&medium[..4], &[0x81, 126, 1, 44]);
        assert_eq!(medium.len(), 304);
        assert_eq!(&frame(&vec![b'x'; 70_000])[..2], &[0x81, 127]);
    }
}
