-- Sessions, the credentials that act in them, and their public history.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE sessions (
    key         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    slug        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    hashtag     TEXT,
    description TEXT,
    stream_url  TEXT,
    narrator    TEXT NOT NULL,
    private     INTEGER NOT NULL,
    join_code   TEXT,
    state       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    started_at  TEXT,
    started_ms  INTEGER,
    ended_at    TEXT,
    head        INTEGER NOT NULL DEFAULT 0
);

-- Bearer tokens: the selector finds the row, the verifier is stored as SHA-256.
CREATE TABLE credentials (
    selector      TEXT PRIMARY KEY,
    verifier_hash BLOB NOT NULL,
    session_key   INTEGER NOT NULL REFERENCES sessions(key),
    role          TEXT NOT NULL,
    viewer_id     TEXT,
    name          TEXT,
    created_at    TEXT NOT NULL,
    revoked       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX credentials_by_session ON credentials(session_key, role);

-- Every public event exactly as it was broadcast, per session, seq from 1.
CREATE TABLE events (
    session_key INTEGER NOT NULL REFERENCES sessions(key),
    seq         INTEGER NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (session_key, seq)
) WITHOUT ROWID;

-- The current form of each narrator update (edits and retractions applied).
CREATE TABLE updates (
    id          TEXT PRIMARY KEY,
    session_key INTEGER NOT NULL REFERENCES sessions(key),
    seq         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    phase       TEXT,
    author      TEXT NOT NULL,
    ts          TEXT NOT NULL,
    elapsed_ms  INTEGER,
    edited_at   TEXT,
    retracted   INTEGER NOT NULL DEFAULT 0,
    client_key  TEXT,
    UNIQUE (session_key, client_key)
);
