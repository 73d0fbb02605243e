//! Streams run on a runtime of their own. A new update wakes every
//! viewer's task at once; on the runtime that also answers commands, an
//! asking viewer's or a moderator's request would wait behind thousands of
//! those writes. With streams apart, the operating system shares the cores
//! between the two, and a command is answered in milliseconds during a
//! fan-out.

use std::sync::OnceLock;
use tokio::runtime::{Handle, Runtime};

static STREAMS: OnceLock<Runtime> = OnceLock::new();

/// Where a stream runs: viewers' streams on the streams' runtime; staff
/// streams (a handful, and a moderator must see a question at once) beside
/// the commands.
pub fn spawn_stream<F>(staff: bool, task: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    if staff {
        tokio::spawn(task);
    } else {
        streams().spawn(task);
    }
}

/// The streams' runtime (one per process, made on first use; it lives as
/// long as the process).
fn streams() -> &'static Handle {
    STREAMS
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .thread_name("gallery-streams")
                .enable_all()
                .build()
                .expect("the streams' runtime")
        })
        .handle()
}
