-- board_totals keyed person first: an answer adds to its person's 12 totals
-- (3 periods by any or its own topic and difficulty, and by panel), which
-- now sit side by side in one or two pages instead of one page each. The
-- boards themselves read the rank index (board_totals_rank), whose order
-- is unchanged. In the writers' benchmark this took the pages a commit
-- writes down by a quarter (README, "Writes").
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
