-- A (server, person, question) answered for the first time, the common
-- case, has one answer and no best rows yet: its best rows are that
-- answer's values in each window that holds it, and its totals are those
-- values, with none of the window and grouping queries the general refresh
-- (migration 0008) runs. In the writers' profile those triggers were the
-- largest part of an answer's write.

-- The two triggers' conditions are each other's negation, so exactly one
-- runs whatever order SQLite fires them in; the general one is migration
-- 0008's, unchanged but for its condition.

DROP TRIGGER board_refresh;

CREATE TRIGGER board_refresh BEFORE INSERT ON board_dirty
WHEN EXISTS (SELECT 1 FROM board_best
             WHERE guild_id = NEW.guild_id AND candidate_id = NEW.candidate_id AND question_id = NEW.question_id)
 OR (SELECT COUNT(*) FROM asked_questions
     WHERE guild_id = NEW.guild_id AND candidate_id = NEW.candidate_id AND question_id = NEW.question_id
       AND score IS NOT NULL AND (panel = 1 OR outcome IN ('answered', 'timed_out'))) <> 1
BEGIN
    -- 1. Take the key's contributions out of the totals.
    INSERT INTO board_totals (guild_id, period, panel_key, topic_key, difficulty_key, candidate_id,
                              points_c, score_sum, answered, average)
    SELECT b.guild_id, b.period, b.panel_key,
           CASE WHEN k.by_topic = 1 THEN b.topic ELSE '' END,
           CASE WHEN k.by_difficulty = 1 THEN b.difficulty ELSE '' END,
           b.candidate_id, -MAX(b.points_c), -MAX(b.score), -1, 0
    FROM board_best b CROSS JOIN board_keys k
    WHERE b.guild_id = NEW.guild_id AND b.candidate_id = NEW.candidate_id AND b.question_id = NEW.question_id
    GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (guild_id, period, panel_key, topic_key, difficulty_key, candidate_id) DO UPDATE SET
        points_c = board_totals.points_c + excluded.points_c,
        score_sum = board_totals.score_sum + excluded.score_sum,
        answered = board_totals.answered + excluded.answered,
        average = CASE WHEN board_totals.answered + excluded.answered > 0
            THEN CAST(board_totals.score_sum + excluded.score_sum AS DOUBLE PRECISION)
                 / (board_totals.answered + excluded.answered)
            ELSE 0 END;
    -- 2. Recompute its best rows from the answers in each period's window.
    DELETE FROM board_best
    WHERE guild_id = NEW.guild_id AND candidate_id = NEW.candidate_id AND question_id = NEW.question_id;
    INSERT INTO board_best (guild_id, candidate_id, question_id, period, panel_key, topic, difficulty, points_c, score, low_at)
    SELECT NEW.guild_id, NEW.candidate_id, NEW.question_id, period, panel_key, topic, difficulty, mpc, ms,
           CASE WHEN p_at < s_at THEN p_at ELSE s_at END
    FROM (
        SELECT period, panel_key, topic, difficulty, mpc, ms,
               MAX(CASE WHEN pc = mpc THEN at END) AS p_at, MAX(CASE WHEN s = ms THEN at END) AS s_at
        FROM (
            SELECT w.period, k.panel_key, a.topic, a.difficulty,
                   CAST(ROUND(a.points * 100) AS INTEGER) AS pc, a.score AS s, a.answered_ms AS at,
                   MAX(CAST(ROUND(a.points * 100) AS INTEGER)) OVER win AS mpc,
                   MAX(a.score) OVER win AS ms
            FROM asked_questions a
            JOIN board_sweep w ON w.guild_id = a.guild_id AND (w.since_ms IS NULL OR a.answered_ms >= w.since_ms)
            JOIN board_panels k ON k.panel_key = 0 OR a.panel = 1
            WHERE a.guild_id = NEW.guild_id AND a.candidate_id = NEW.candidate_id
              AND a.question_id = NEW.question_id
              AND a.score IS NOT NULL AND (a.panel = 1 OR a.outcome IN ('answered', 'timed_out'))
            WINDOW win AS (PARTITION BY w.period, k.panel_key, a.topic, a.difficulty)
        )
        GROUP BY period, panel_key, topic, difficulty, mpc, ms
    );
    -- 3. Put the new contributions back.
    INSERT INTO board_totals (guild_id, period, panel_key, topic_key, difficulty_key, candidate_id,
                              points_c, score_sum, answered, average)
    SELECT b.guild_id, b.period, b.panel_key,
           CASE WHEN k.by_topic = 1 THEN b.topic ELSE '' END,
           CASE WHEN k.by_difficulty = 1 THEN b.difficulty ELSE '' END,
           b.candidate_id, MAX(b.points_c), MAX(b.score), 1, CAST(MAX(b.score) AS DOUBLE PRECISION)
    FROM board_best b CROSS JOIN board_keys k
    WHERE b.guild_id = NEW.guild_id AND b.candidate_id = NEW.candidate_id AND b.question_id = NEW.question_id
    GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (guild_id, period, panel_key, topic_key, difficulty_key, candidate_id) DO UPDATE SET
        points_c = board_totals.points_c + excluded.points_c,
        score_sum = board_totals.score_sum + excluded.score_sum,
        answered = board_totals.answered + excluded.answered,
        average = CASE WHEN board_totals.answered + excluded.answered > 0
            THEN CAST(board_totals.score_sum + excluded.score_sum AS DOUBLE PRECISION)
                 / (board_totals.answered + excluded.answered)
            ELSE 0 END;
    SELECT RAISE(IGNORE);
END;

CREATE TRIGGER board_refresh_first BEFORE INSERT ON board_dirty
WHEN NOT EXISTS (SELECT 1 FROM board_best
                 WHERE guild_id = NEW.guild_id AND candidate_id = NEW.candidate_id AND question_id = NEW.question_id)
 AND (SELECT COUNT(*) FROM asked_questions
      WHERE guild_id = NEW.guild_id AND candidate_id = NEW.candidate_id AND question_id = NEW.question_id
        AND score IS NOT NULL AND (panel = 1 OR outcome IN ('answered', 'timed_out'))) = 1
BEGIN
    INSERT INTO board_best (guild_id, candidate_id, question_id, period, panel_key, topic, difficulty, points_c, score, low_at)
    SELECT NEW.guild_id, NEW.candidate_id, NEW.question_id, w.period, k.panel_key, a.topic, a.difficulty,
           CAST(ROUND(a.points * 100) AS INTEGER), a.score, a.answered_ms
    FROM asked_questions a
    JOIN board_sweep w ON w.guild_id = a.guild_id AND (w.since_ms IS NULL OR a.answered_ms >= w.since_ms)
    JOIN board_panels k ON k.panel_key = 0 OR a.panel = 1
    WHERE a.guild_id = NEW.guild_id AND a.candidate_id = NEW.candidate_id AND a.question_id = NEW.question_id
      AND a.score IS NOT NULL AND (a.panel = 1 OR a.outcome IN ('answered', 'timed_out'));
    -- One topic and difficulty, so each of the key's totals comes from one best row.
    INSERT INTO board_totals (guild_id, period, panel_key, topic_key, difficulty_key, candidate_id,
                              points_c, score_sum, answered, average)
    SELECT b.guild_id, b.period, b.panel_key,
           CASE WHEN k.by_topic = 1 THEN b.topic ELSE '' END,
           CASE WHEN k.by_difficulty = 1 THEN b.difficulty ELSE '' END,
           b.candidate_id, b.points_c, b.score, 1, CAST(b.score AS DOUBLE PRECISION)
    FROM board_best b CROSS JOIN board_keys k
    WHERE b.guild_id = NEW.guild_id AND b.candidate_id = NEW.candidate_id AND b.question_id = NEW.question_id
    ON CONFLICT (guild_id, period, panel_key, topic_key, difficulty_key, candidate_id) DO UPDATE SET
        points_c = board_totals.points_c + excluded.points_c,
        score_sum = board_totals.score_sum + excluded.score_sum,
        answered = board_totals.answered + excluded.answered,
        average = CAST(board_totals.score_sum + excluded.score_sum AS DOUBLE PRECISION)
                  / (board_totals.answered + excluded.answered);
    SELECT RAISE(IGNORE);
END;
