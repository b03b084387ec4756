-- Mirrors ../0009_board_first_answer.sql (SQLite): a (server, person,
-- question) answered for the first time takes its best rows and totals
-- straight from its one answer; every other refresh is migration 0008's,
-- kept under a new name.
ALTER FUNCTION board_refresh(BIGINT, BIGINT, TEXT) RENAME TO board_refresh_general;

CREATE FUNCTION board_refresh(g BIGINT, c BIGINT, q TEXT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM board_lock(g);
    -- A first answer to the question: one answer, no best rows yet.
    IF NOT EXISTS (SELECT 1 FROM board_best WHERE guild_id = g AND candidate_id = c AND question_id = q)
       AND (SELECT COUNT(*) FROM asked_questions a
            WHERE a.guild_id = g AND a.candidate_id = c AND a.question_id = q
              AND a.score IS NOT NULL AND (a.panel = 1 OR a.outcome IN ('answered', 'timed_out'))) = 1 THEN
        INSERT INTO board_best (guild_id, candidate_id, question_id, period, panel_key, topic, difficulty, points_c, score, low_at)
        SELECT g, c, q, w.period, k.panel_key, a.topic, a.difficulty,
               CAST(ROUND(a.points * 100) AS BIGINT), a.score, a.answered_ms
        FROM asked_questions a
        JOIN board_sweep w ON w.guild_id = a.guild_id AND (w.since_ms IS NULL OR a.answered_ms >= w.since_ms)
        JOIN board_panels k ON k.panel_key = 0 OR a.panel = 1
        WHERE a.guild_id = g AND a.candidate_id = c AND a.question_id = q
          AND a.score IS NOT NULL AND (a.panel = 1 OR a.outcome IN ('answered', 'timed_out'));
        INSERT INTO board_totals (guild_id, period, panel_key, topic_key, difficulty_key, candidate_id,
                                  points_c, score_sum, answered, average)
        SELECT b.guild_id, b.period, b.panel_key,
               CASE WHEN k.by_topic = 1 THEN b.topic ELSE '' END,
               CASE WHEN k.by_difficulty = 1 THEN b.difficulty ELSE '' END,
               b.candidate_id, b.points_c, b.score, 1, CAST(b.score AS DOUBLE PRECISION)
        FROM board_best b CROSS JOIN board_keys k
        WHERE b.guild_id = g AND b.candidate_id = c AND b.question_id = q
        ON CONFLICT (guild_id, period, panel_key, topic_key, difficulty_key, candidate_id) DO UPDATE SET
            points_c = board_totals.points_c + excluded.points_c,
            score_sum = board_totals.score_sum + excluded.score_sum,
            answered = board_totals.answered + excluded.answered,
            average = CAST(board_totals.score_sum + excluded.score_sum AS DOUBLE PRECISION)
                      / (board_totals.answered + excluded.answered);
        RETURN;
    END IF;
    PERFORM board_refresh_general(g, c, q);
END $$;
