-- Which stored events carry each update's text, so that an edit or a
-- retraction can rewrite them: a replayed history then shows only the
-- current text, and nothing of a retracted update.
CREATE TABLE update_events (
    update_id TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    PRIMARY KEY (update_id, seq)
) WITHOUT ROWID;

-- Link the updates and edits written before this table existed.
INSERT OR IGNORE INTO update_events (update_id, seq)
SELECT json_extract(body, '$.update.id'), seq
FROM events
WHERE json_extract(body, '$.type') IN ('update', 'update_edited');
