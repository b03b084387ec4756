-- Fewer pages for each answer to write (README, "Writes").
--
-- 1. Two indexes of the answers that only the leaderboard read from the
-- answers used, before the kept tables (migration 0008): now that read
-- runs only for a server without answers or at a time before its kept
-- windows, and aq_board_group, which starts with the server too, serves
-- it. Each was a page or more of every commit.
DROP INDEX aq_board_guild;
DROP INDEX aq_board_guild_topic;

-- 2. board_totals keyed person first: an answer adds to its person's 12 totals
-- (3 periods by any or its own topic and difficulty, and by panel), which
-- now sit side by side in one or two pages instead of one page each. The
-- boards themselves read the rank index (board_totals_rank), whose order
-- is unchanged.
--
-- SQLite cannot change a primary key in place, and renaming a table would
-- rewrite the leaderboard triggers that name it, so the rows are copied
-- aside and back into a table of the same name.

CREATE TABLE board_totals_copy AS SELECT * FROM board_totals;
DROP TABLE board_totals;

CREATE TABLE board_totals (
    guild_id       INTEGER NOT NULL,
    period         INTEGER NOT NULL,
    panel_key      INTEGER NOT NULL,
    topic_key      TEXT NOT NULL,
    difficulty_key TEXT NOT NULL,
    candidate_id   INTEGER NOT NULL,
    points_c       INTEGER NOT NULL,
    score_sum      INTEGER NOT NULL,
    answered       INTEGER NOT NULL,
    -- score_sum / answered, kept beside them so the board's order is an index
    average        REAL NOT NULL,
    PRIMARY KEY (guild_id, candidate_id, period, panel_key, topic_key, difficulty_key)
) WITHOUT ROWID;

INSERT INTO board_totals (guild_id, period, panel_key, topic_key, difficulty_key, candidate_id,
                          points_c, score_sum, answered, average)
SELECT guild_id, period, panel_key, topic_key, difficulty_key, candidate_id,
       points_c, score_sum, answered, average
FROM board_totals_copy
ORDER BY guild_id, candidate_id, period, panel_key, topic_key, difficulty_key;
DROP TABLE board_totals_copy;

CREATE INDEX board_totals_rank ON board_totals
    (guild_id, period, panel_key, topic_key, difficulty_key, points_c DESC, average DESC, candidate_id, answered)
    WHERE answered >= 3;
