-- Mirrors ../0002_leaderboard_grouping.sql: the leaderboard groups a
-- server's answers by person and question; reading them in that order
-- avoids sorting every row first.
CREATE INDEX aq_board_group ON asked_questions
    (guild_id, candidate_id, question_id, answered_ms, score, points, outcome, panel, topic, difficulty)
    WHERE score IS NOT NULL;
