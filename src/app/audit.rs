//! The audit trail as use cases meet it: building a row for an action, the
//! per-session export (CSV or JSON lines) and the chain check.

use super::{Actor, App};
use crate::domain::audit::AuditRecord;
use crate::store::{self, AuditRow, ChainReport, SessionRow};
use crate::time::Stamp;
use crate::{Error, Result};

/// One decision to record: the verb, what it acted on, and the text before
/// and after when it changed one.
#[derive(Debug, Default)]
pub(super) struct Decision<'a> {
    pub action: &'a str,
    pub subject_id: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
}

/// The admin acting on a session (rotating an invite, say).
pub(super) const ADMIN: (&str, &str) = ("admin", "admin");

pub(super) fn record(session: &SessionRow, actor: &Actor, d: Decision<'_>) -> AuditRecord {
    record_as(session, (actor.role.as_str(), &actor.label()), d)
}

pub(super) fn record_as(
    session: &SessionRow,
    (role, label): (&str, &str),
    d: Decision<'_>,
) -> AuditRecord {
    AuditRecord {
        ts: Stamp::now().rfc3339,
        session: session.slug.clone(),
        actor_role: role.to_owned(),
        actor_label: label.to_owned(),
        action: d.action.to_owned(),
        subject_id: d.subject_id,
        before: d.before,
        after: d.after,
        reason: d.reason,
    }
}

/// How an audit export is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditFormat {
    Csv,
    JsonLines,
}

impl AuditFormat {
    pub fn parse(raw: Option<&str>) -> Result<Self> {
        match raw.unwrap_or("jsonl") {
            "jsonl" | "json" => Ok(Self::JsonLines),
            "csv" => Ok(Self::Csv),
            other => Err(Error::bad_request(
                "invalid_format",
                format!("format must be jsonl or csv, not '{other}'"),
            )),
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::JsonLines => "application/x-ndjson",
        }
    }
}

const CSV_HEADER: &str =
    "id,ts,session,actor_role,actor_label,action,subject_id,before,after,reason,prev_hash,hash\n";

/// A CSV field, quoted when it must be (RFC 4180), with a leading `'` when
/// a spreadsheet would read it as a formula.
fn csv_field(out: &mut String, value: &str) {
    let guarded = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if guarded || value.contains([',', '"', '\n', '\r']) {
        out.push('"');
        if guarded {
            out.push('\'');
        }
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// Writes rows in the chosen format, oldest first.
pub fn render(rows: &[AuditRow], format: AuditFormat) -> String {
    let mut out = String::new();
    match format {
        AuditFormat::JsonLines => {
            for row in rows {
                out.push_str(&serde_json::to_string(row).expect("audit rows serialize"));
                out.push('\n');
            }
        }
        AuditFormat::Csv => {
            out.push_str(CSV_HEADER);
            for row in rows {
                let r = &row.record;
                let fields = [
                    row.id.to_string(),
                    r.ts.clone(),
                    r.session.clone(),
                    r.actor_role.clone(),
                    r.actor_label.clone(),
                    r.action.clone(),
                    r.subject_id.clone().unwrap_or_default(),
                    r.before.clone().unwrap_or_default(),
                    r.after.clone().unwrap_or_default(),
                    r.reason.clone().unwrap_or_default(),
                    row.prev_hash.clone(),
                    row.hash.clone(),
                ];
                for (i, field) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    csv_field(&mut out, field);
                }
                out.push('\n');
            }
        }
    }
    out
}

impl App {
    /// A session's audit trail, oldest first.
    pub async fn audit_trail(&self, session: &SessionRow) -> Result<Vec<AuditRow>> {
        let key = session.key;
        self.store.read(move |c| store::audit_rows(c, key)).await
    }

    /// Checks every session's chain.
    pub async fn verify_audit(&self) -> Result<Vec<ChainReport>> {
        self.store.read(store::verify_audit).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_it_must_and_defuses_formulas() {
        let mut out = String::new();
        csv_field(&mut out, "plain");
        out.push('|');
        csv_field(&mut out, "a, \"b\"\nc");
        out.push('|');
        csv_field(&mut out, "=HYPERLINK(1)");
        assert_eq!(out, "plain|\"a, \"\"b\"\"\nc\"|\"'=HYPERLINK(1)\"");
    }
}
