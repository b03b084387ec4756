-- Spaced review (issue #15). The schedule itself is not stored: it is
-- replayed from the scored answers in asked_questions, so it can never
-- disagree with them and /privacy delete removes it with them.

-- Which key point (index in bank order) a follow-up note is about, so a
-- later answer that covers that point resolves the note. NULL for notes a
-- person wrote, and for notes made before this column existed.
ALTER TABLE notes ADD COLUMN key_point INTEGER;
CREATE INDEX notes_open_question ON notes (subject_id, question_id) WHERE resolved = 0;

-- /config review_channel: where reminders of this server go (else a DM).
ALTER TABLE guild_settings ADD COLUMN review_channel_id INTEGER;

-- /review remind on|off. One row per person who ever chose; the last UTC
-- day (epoch ms / 86400000) a reminder went out keeps it to one a day
-- across restarts.
CREATE TABLE review_reminders (
    user_id       INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    guild_id      INTEGER,
    enabled       INTEGER NOT NULL,
    last_sent_day INTEGER,
    updated_ms    INTEGER NOT NULL
);
