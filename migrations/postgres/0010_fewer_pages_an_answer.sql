-- Mirrors ../0010_fewer_pages_an_answer.sql (SQLite): the two indexes only
-- the leaderboard read from the answers used (aq_board_group serves it),
-- and board_totals keyed person first, so an answer's 12 totals share the
-- key's index pages. The boards read board_totals_rank, which is unchanged.
DROP INDEX aq_board_guild;
DROP INDEX aq_board_guild_topic;
ALTER TABLE board_totals
    DROP CONSTRAINT board_totals_pkey,
    ADD PRIMARY KEY (guild_id, candidate_id, period, panel_key, topic_key, difficulty_key);
