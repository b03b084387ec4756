-- Mirrors ../0010_board_totals_by_person.sql (SQLite): board_totals keyed
-- person first, so an answer's 12 totals share the key's index pages. The
-- boards read board_totals_rank, which is unchanged.
ALTER TABLE board_totals
    DROP CONSTRAINT board_totals_pkey,
    ADD PRIMARY KEY (guild_id, candidate_id, period, panel_key, topic_key, difficulty_key);
