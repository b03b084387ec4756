-- Mirrors ../0006_ai_feedback.sql (the optional AI reviewer).

CREATE TABLE ai_guilds (
    guild_id   BIGINT PRIMARY KEY,
    enabled    SMALLINT NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
    updated_ms BIGINT NOT NULL
);

CREATE TABLE ai_opt_outs (
    user_id    BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    created_ms BIGINT NOT NULL
);

-- Incremented with a conditional upsert, atomic on PostgreSQL too, so the
-- cap holds under concurrent answers from several processes.
CREATE TABLE ai_usage (
    guild_id BIGINT NOT NULL,
    day      BIGINT NOT NULL,
    calls    BIGINT NOT NULL,
    PRIMARY KEY (guild_id, day)
);

-- One model call per (question, answer text).
CREATE TABLE ai_cache (
    question_id TEXT NOT NULL,
    answer      TEXT NOT NULL,
    opinion     TEXT NOT NULL,
    user_id     BIGINT REFERENCES users(id) ON DELETE CASCADE,
    created_ms  BIGINT NOT NULL
);
-- Keyed by the answer's md5, not the answer: an answer may be 4,000
-- characters, more than a btree index entry can hold (about 2,700 bytes).
CREATE UNIQUE INDEX ai_cache_key ON ai_cache (question_id, md5(answer));
CREATE INDEX ai_cache_user ON ai_cache (user_id);
