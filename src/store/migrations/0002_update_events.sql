-- Which stored events carry each update's text, so that an edit or a
-- retraction can rewrite them: a replayed history then shows only the
-- current text, and nothing of a retracted update.
CREATE TABLE update_events (
    update_id TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    PRIMARY KEY (update_id, seq)
) WITHOUT ROWID;

INSERT INTO update_events (update_id, seq) SELECT id, seq FROM updates;
