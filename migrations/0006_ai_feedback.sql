-- The optional AI reviewer (ai.* settings). Each table is written on its
-- own, outside session transactions: the model is asked outside every lock.

-- Servers that turned AI feedback on (/config ai_feedback:on); absent: off.
CREATE TABLE ai_guilds (
    guild_id   INTEGER PRIMARY KEY,
    enabled    INTEGER NOT NULL DEFAULT 0,
    updated_ms INTEGER NOT NULL
);

-- People who keep their answers away from the model (/privacy ai feedback:off).
CREATE TABLE ai_opt_outs (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    created_ms INTEGER NOT NULL
);

-- Model calls per server per UTC day (day = epoch ms / 86400000), for the
-- daily cap; incremented with a conditional upsert so the cap holds under
-- concurrent answers.
CREATE TABLE ai_usage (
    guild_id INTEGER NOT NULL,
    day      INTEGER NOT NULL,
    calls    INTEGER NOT NULL,
    PRIMARY KEY (guild_id, day)
);

-- One model call per (question, answer text): a repeated answer is answered
-- from here. The opinion is the checked reply as JSON. The row goes with
-- the person whose answer first filled it (/privacy delete).
CREATE TABLE ai_cache (
    question_id TEXT NOT NULL,
    answer      TEXT NOT NULL,
    opinion     TEXT NOT NULL,
    user_id     INTEGER REFERENCES users(id) ON DELETE CASCADE,
    created_ms  INTEGER NOT NULL,
    PRIMARY KEY (question_id, answer)
);
CREATE INDEX ai_cache_user ON ai_cache (user_id);
