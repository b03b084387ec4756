-- Server question packs (/pack import): one row per server, holding the
-- file exactly as imported, so /pack export gives back what was uploaded,
-- and every process rebuilds the same bank from it. Portable SQL (BIGINT
-- ids, epoch milliseconds): the PostgreSQL store runs the same schema.
CREATE TABLE guild_packs (
    guild_id    BIGINT PRIMARY KEY,
    file_name   TEXT NOT NULL,
    yaml        TEXT NOT NULL,
    questions   BIGINT NOT NULL,
    -- The Discord user who imported it; emptied when they /privacy delete.
    imported_by BIGINT,
    imported_ms BIGINT NOT NULL
);
