//! One serialized event, shared by every connection: the WebSocket text and
//! the SSE record are slices of the same buffer, so a clone is two reference
//! count increments and sending it allocates nothing per viewer.

use crate::domain::QuestionStatus;
use axum::extract::ws::Utf8Bytes;
use bytes::Bytes;
use std::sync::Arc;
use std::time::Instant;

#[derive(Clone, Debug)]
pub struct Frame {
    /// Place in the session's history; 0 for live-only events.
    pub seq: u64,
    /// The JSON text, for WebSocket.
    pub ws: Utf8Bytes,
    /// `id: <seq>\ndata: <json>\n\n`, for Server-Sent Events.
    pub sse: Bytes,
    /// When the hub published it live (absent for frames read back from history).
    pub published: Option<Instant>,
    /// Live events sent together with this one (a coalesced flush): one
    /// wake-up and one write per connection for all of them. Each is still
    /// its own WebSocket message; `sse` already holds all their records.
    pub more: Option<Arc<[Utf8Bytes]>>,
    /// A staff history event for moderators only (see `moderators_only`):
    /// a specialist's stream skips it.
    pub moderators_only: bool,
}

/// Whether a staff history event is for moderators only: held items, and
/// `question` events of a question the specialist may not see
/// (`QuestionStatus::SPECIALIST`). Read once per event from its JSON, so
/// history read back from the store is judged the same way.
fn moderators_only(json: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Probe<'a> {
        #[serde(rename = "type", borrow)]
        kind: std::borrow::Cow<'a, str>,
        question: Option<Status<'a>>,
    }
    #[derive(serde::Deserialize)]
    struct Status<'a> {
        #[serde(borrow)]
        status: std::borrow::Cow<'a, str>,
    }
    let Ok(probe) = serde_json::from_str::<Probe>(json) else {
        return true;
    };
    match (probe.kind.as_ref(), probe.question) {
        ("question", Some(q)) => !QuestionStatus::parse(&q.status)
            .is_some_and(|s| QuestionStatus::SPECIALIST.contains(&s)),
        ("question" | "held" | "held_resolved", _) => true,
        _ => false,
    }
}

impl Frame {
    fn build(seq: u64, json: &str, published: Option<Instant>) -> Self {
        Self::build_with(seq, seq != 0, json, published)
    }

    fn build_with(seq: u64, sse_id: bool, json: &str, published: Option<Instant>) -> Self {
        let record = if !sse_id {
            format!("data: {json}\n\n")
        } else {
            format!("id: {seq}\ndata: {json}\n\n")
        };
        let start = record.len() - json.len() - 2;
        let sse = Bytes::from(record);
        let ws = Utf8Bytes::try_from(sse.slice(start..sse.len() - 2))
            .expect("a slice of a str at char boundaries");
        Self {
            seq,
            ws,
            sse,
            published,
            more: None,
            moderators_only: false,
        }
    }

    /// Several live events delivered as one frame, in order (none is empty).
    pub fn live_bundle(jsons: Vec<String>) -> Option<Self> {
        let mut frames = jsons.into_iter().map(Self::live);
        let mut first = frames.next()?;
        let rest: Vec<Frame> = frames.collect();
        if rest.is_empty() {
            return Some(first);
        }
        let mut sse = bytes::BytesMut::from(&first.sse[..]);
        for f in &rest {
            sse.extend_from_slice(&f.sse);
        }
        first.sse = sse.freeze();
        first.more = Some(rest.into_iter().map(|f| f.ws).collect());
        Some(first)
    }

    /// A committed event, published live now.
    pub fn sequenced(seq: u64, json: &str) -> Self {
        Self::build(seq, json, Some(Instant::now()))
    }

    /// A committed event read back from history.
    pub fn from_history(seq: u64, json: &str) -> Self {
        Self::build(seq, json, None)
    }

    /// A staff history event: ordered by its `staff_seq`, but its SSE record
    /// carries no `id:` (that resumes the public history); staff streams
    /// resume with `staff_since`.
    pub fn staff(staff_seq: u64, json: &str, live: bool) -> Self {
        let mut frame = Self::build_with(staff_seq, false, json, live.then(Instant::now));
        frame.moderators_only = moderators_only(json);
        frame
    }

    /// A live-only event (hello, presence): no seq, not part of the history.
    pub fn live(json: String) -> Self {
        Self::build(0, &json, Some(Instant::now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_approved_questions_reach_a_specialist() {
        let question = |status: &str| {
            Frame::staff(
                1,
                &format!(
                    r#"{{"type":"question","staff_seq":1,"question":{{"text":"\"status\":\"approved\"","status":"{status}"}}}}"#
                ),
                true,
            )
        };
        for status in ["pending", "held", "rejected", "merged"] {
            assert!(question(status).moderators_only, "{status}");
        }
        for status in ["approved", "answering", "answered", "dismissed"] {
            assert!(!question(status).moderators_only, "{status}");
        }
        let held = r#"{"type":"held","staff_seq":2,"item":{}}"#;
        assert!(Frame::staff(2, held, false).moderators_only);
        assert!(
            Frame::staff(
                3,
                r#"{"type":"held_resolved","staff_seq":3,"id":"x"}"#,
                true
            )
            .moderators_only
        );
        assert!(!Frame::live(r#"{"type":"queue_stats"}"#.into()).moderators_only);
    }

    #[test]
    fn both_encodings_share_one_buffer() {
        let f = Frame::sequenced(42, r#"{"type":"update","text":"é"}"#);
        assert_eq!(f.ws.as_str(), r#"{"type":"update","text":"é"}"#);
        assert_eq!(
            &f.sse[..],
            "id: 42\ndata: {\"type\":\"update\",\"text\":\"é\"}\n\n".as_bytes()
        );
        let live = Frame::live(r#"{"type":"presence","viewers":3}"#.into());
        assert_eq!(
            &live.sse[..],
            b"data: {\"type\":\"presence\",\"viewers\":3}\n\n"
        );
        assert_eq!(live.seq, 0);
    }

    #[test]
    fn a_bundle_is_one_frame_holding_each_event_as_its_own_message() {
        let b = Frame::live_bundle(vec!["{\"a\":1}".into(), "{\"b\":2}".into()]).unwrap();
        assert_eq!(b.ws.as_str(), "{\"a\":1}");
        assert_eq!(b.more.as_deref().unwrap()[0].as_str(), "{\"b\":2}");
        assert_eq!(&b.sse[..], b"data: {\"a\":1}\n\ndata: {\"b\":2}\n\n");
        let one = Frame::live_bundle(vec!["{}".into()]).unwrap();
        assert!(one.more.is_none());
        assert!(Frame::live_bundle(Vec::new()).is_none());
    }
}
