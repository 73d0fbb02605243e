//! The audit trail as a pure function over rows: each row's `hash` is
//! SHA-256 over the previous row's hash and the row's canonical content, so
//! changing, inserting or removing a row anywhere but at the end breaks the
//! chain from there on.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prev_hash` of a session's first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What one audit row says, without its place in the chain. Field order is
/// the canonical order hashed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub ts: String,
    pub session: String,
    pub actor_role: String,
    pub actor_label: String,
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A row's hash, given the one before it.
pub fn chain_hash(prev_hash: &str, record: &AuditRecord) -> String {
    let canonical = serde_json::to_string(record).expect("audit records always serialize");
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(canonical.as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A stored row as the chain check sees it.
pub struct ChainedRow<'a> {
    pub id: i64,
    pub record: &'a AuditRecord,
    pub prev_hash: &'a str,
    pub hash: &'a str,
}

/// Where a session's chain breaks: the first row whose links do not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub id: i64,
    pub why: &'static str,
}

/// Checks one session's rows, oldest first.
pub fn verify<'a>(rows: impl IntoIterator<Item = ChainedRow<'a>>) -> Result<usize, Broken> {
    let mut prev = GENESIS.to_owned();
    let mut count = 0;
    for row in rows {
        if row.prev_hash != prev {
            return Err(Broken {
                id: row.id,
                why: "its prev_hash is not the previous row's hash (a row was removed or inserted)",
            });
        }
        if chain_hash(row.prev_hash, row.record) != row.hash {
            return Err(Broken {
                id: row.id,
                why: "its content does not match its hash (the row was changed)",
            });
        }
        prev = row.hash.to_owned();
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(action: &str) -> AuditRecord {
        AuditRecord {
            ts: "2026-12-01T10:00:00.000Z".into(),
            session: "demo".into(),
            actor_role: "moderator".into(),
            actor_label: "moderator".into(),
            action: action.into(),
            subject_id: Some("q1".into()),
            before: Some("old".into()),
            after: Some("new".into()),
            reason: None,
        }
    }

    fn chain(records: &[AuditRecord]) -> Vec<(String, String)> {
        let mut prev = GENESIS.to_owned();
        records
            .iter()
            .map(|r| {
                let hash = chain_hash(&prev, r);
                let link = (prev.clone(), hash.clone());
                prev = hash;
                link
            })
            .collect()
    }

    fn rows<'a>(
        records: &'a [AuditRecord],
        links: &'a [(String, String)],
    ) -> impl Iterator<Item = ChainedRow<'a>> {
        records
            .iter()
            .zip(links)
            .enumerate()
            .map(|(i, (record, (prev, hash)))| ChainedRow {
                id: i as i64 + 1,
                record,
                prev_hash: prev,
                hash,
            })
    }

    #[test]
    fn an_intact_chain_verifies_and_any_change_breaks_it() {
        let mut records = vec![record("approve"), record("edit"), record("reject")];
        let links = chain(&records);
        assert_eq!(verify(rows(&records, &links)), Ok(3));
        assert_eq!(links[0].1.len(), 64);

        records[1].after = Some("tampered".into());
        let broken = verify(rows(&records, &links)).unwrap_err();
        assert_eq!(broken.id, 2);
        assert!(broken.why.contains("changed"));
    }

    #[test]
    fn a_removed_row_breaks_the_link_of_the_next() {
        let records = vec![record("approve"), record("edit"), record("reject")];
        let links = chain(&records);
        let kept_records = [records[0].clone(), records[2].clone()];
        let kept_links = [links[0].clone(), links[2].clone()];
        let broken = verify(rows(&kept_records, &kept_links)).unwrap_err();
        assert_eq!(broken.id, 2);
        assert!(broken.why.contains("prev_hash"));
    }
}
