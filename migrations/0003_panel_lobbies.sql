-- Lobbies of group panels (/panel create): who joined as what, kept here so
-- a lobby survives a restart. A lobby nobody starts expires 30 minutes after
-- creation. Members are a small JSON list (at most 8 candidates and 5
-- interviewers), always read and written whole inside one write transaction.
CREATE TABLE panel_lobbies (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER,
    creator_id  INTEGER NOT NULL,
    topic       TEXT NOT NULL,
    difficulty  TEXT NOT NULL,
    questions   INTEGER NOT NULL,
    minutes     INTEGER,
    members     TEXT NOT NULL DEFAULT '[]',
    created_ms  INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'started', 'cancelled', 'expired'))
);
CREATE INDEX panel_lobbies_open ON panel_lobbies (created_ms) WHERE status = 'open';
