-- Mirrors ../0005_review.sql (spaced review). Number 0004 is unused in both
-- sets, so the numbers stay aligned.

-- Which key point (index in bank order) a follow-up note is about.
ALTER TABLE notes ADD COLUMN key_point BIGINT;
CREATE INDEX notes_open_question ON notes (subject_id, question_id) WHERE resolved = 0;

-- /config review_channel: where reminders of this server go (else a DM).
ALTER TABLE guild_settings ADD COLUMN review_channel_id BIGINT;

-- /review remind on|off; the last UTC day a reminder went out.
CREATE TABLE review_reminders (
    user_id       BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    guild_id      BIGINT,
    enabled       SMALLINT NOT NULL CHECK (enabled IN (0, 1)),
    last_sent_day BIGINT,
    updated_ms    BIGINT NOT NULL
);
