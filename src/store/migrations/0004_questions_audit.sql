-- The staff history: every question change and held item, per session,
-- staff_seq from 1 with no gaps. Staff-only: never served on a public path.
ALTER TABLE sessions ADD COLUMN staff_head INTEGER NOT NULL DEFAULT 0;
CREATE TABLE staff_events (
    session_key INTEGER NOT NULL REFERENCES sessions(key),
    seq         INTEGER NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (session_key, seq)
) WITHOUT ROWID;

-- Viewers' questions in their current form. The text before a
-- moderator's edit lives only in the audit trail.
CREATE TABLE questions (
    id            TEXT PRIMARY KEY,
    session_key   INTEGER NOT NULL REFERENCES sessions(key),
    viewer_id     TEXT NOT NULL,
    author        TEXT,
    text          TEXT NOT NULL,
    flags         TEXT,
    status        TEXT NOT NULL,
    votes         INTEGER NOT NULL DEFAULT 0,
    starred       INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL DEFAULT 1,
    muted         INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    created_ms    INTEGER NOT NULL,
    phase         TEXT,
    elapsed_ms    INTEGER,
    reason        TEXT,
    into_id       TEXT,
    approved_ms   INTEGER,
    answered_ms   INTEGER,
    answer_text   TEXT,
    answer_author TEXT,
    answer_ts     TEXT,
    answer_seq    INTEGER,
    client_key    TEXT,
    UNIQUE (session_key, client_key)
);
CREATE INDEX questions_by_status ON questions (session_key, status, muted);

-- Who asked each question: its author, plus the askers of questions
-- merged into it.
CREATE TABLE question_askers (
    question_id TEXT NOT NULL,
    viewer_id   TEXT NOT NULL,
    PRIMARY KEY (question_id, viewer_id)
) WITHOUT ROWID;
CREATE INDEX askers_by_viewer ON question_askers (viewer_id);

-- One vote per viewer per question.
CREATE TABLE votes (
    question_id TEXT NOT NULL,
    viewer_id   TEXT NOT NULL,
    PRIMARY KEY (question_id, viewer_id)
) WITHOUT ROWID;

CREATE TABLE mutes (
    session_key INTEGER NOT NULL,
    viewer_id   TEXT NOT NULL,
    PRIMARY KEY (session_key, viewer_id)
) WITHOUT ROWID;

-- The append-only audit trail: every moderation and screening decision,
-- hash-chained per session. The database itself refuses to change a row.
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_key INTEGER NOT NULL REFERENCES sessions(key),
    ts          TEXT NOT NULL,
    session     TEXT NOT NULL,
    actor_role  TEXT NOT NULL,
    actor_label TEXT NOT NULL,
    action      TEXT NOT NULL,
    subject_id  TEXT,
    before      TEXT,
    after       TEXT,
    reason      TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_by_session ON audit (session_key, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: rows cannot be changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: rows cannot be deleted');
END;
