//! A fixed pool of read-only connections, handed out round-robin.

use crate::Result;
use rusqlite::Connection;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Readers {
    conns: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

impl Readers {
    pub fn new(conns: Vec<Connection>) -> Self {
        Self {
            conns: conns.into_iter().map(Mutex::new).collect(),
            next: AtomicUsize::new(0),
        }
    }

    /// Runs `f` on a connection that is free right now, if any.
    pub fn try_with<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Option<Result<T>> {
        self.conns
            .iter()
            .find_map(|conn| conn.try_lock().ok())
            .map(|conn| f(&conn))
    }

    /// Runs `f` on a free connection, or waits for the next one in turn.
    pub fn with<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        for conn in &self.conns {
            if let Ok(conn) = conn.try_lock() {
                return f(&conn);
            }
        }
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.conns.len();
        let conn = self.conns[i]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&conn)
    }
}
