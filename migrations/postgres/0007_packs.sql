-- Mirrors ../0007_packs.sql (server question packs); the same portable schema.
CREATE TABLE guild_packs (
    guild_id    BIGINT PRIMARY KEY,
    file_name   TEXT NOT NULL,
    yaml        TEXT NOT NULL,
    questions   BIGINT NOT NULL,
    -- The Discord user who imported it; emptied when they /privacy delete.
    imported_by BIGINT,
    imported_ms BIGINT NOT NULL
);
