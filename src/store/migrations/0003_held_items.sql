-- Texts the privacy screen held for a moderator (when authors may not
-- confirm), and what became of them. Staff-only: nothing here is served on
-- a public path.
CREATE TABLE held_items (
    id          TEXT PRIMARY KEY,
    session_key INTEGER NOT NULL REFERENCES sessions(key),
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    flags       TEXT NOT NULL,
    author      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    phase       TEXT,
    update_id   TEXT,
    question_id TEXT,
    client_key  TEXT,
    status      TEXT NOT NULL DEFAULT 'held',
    resolved_at TEXT,
    reason      TEXT,
    UNIQUE (session_key, client_key)
);
CREATE INDEX held_items_open ON held_items (session_key, status, created_at);

-- The screen's findings on a published update that a list flags for
-- moderators (JSON), or NULL.
ALTER TABLE updates ADD COLUMN flags TEXT;
