-- Mirrors ../0008_fast_leaderboards.sql (SQLite); the triggers are one
-- PL/pgSQL function here, which also takes a per-server advisory lock so that
-- two processes recomputing the same server's rows take turns.
--
-- Leaderboards of one server read from tables kept up to date on each
-- answer, instead of grouping the server's answers on every read (an
-- all-time board of a server with 1,000,000 answers took about 1 s).
--
-- board_best: per server, person, question, period (0 week, 1 month,
-- 2 all), panel key (0 every answer, 1 panel answers only) and the
-- question's topic and difficulty as stored on the row, the best points (in
-- integer cents, so sums stay exact) and best score among ANSWERED rows
-- answered at or after the period's `board_sweep.since_ms`. `low_at` is the
-- earliest of the latest times each best was reached: once a board's window
-- starts after it, the row must be recomputed (src/store/boards.rs sweeps).
--
-- board_totals: the sums a board reads, per server, period, panel key,
-- topic key and difficulty key ('' = any), person. Topic and difficulty are
-- keys of board_best rather than values of a question because a question's
-- rows may disagree (a bank edit changed its difficulty): the board of one
-- difficulty takes the best of that difficulty's rows only, as the query
-- over the answers did.
--
-- Triggers keep both exact: a change to an ANSWERED row queues its
-- (server, person, question) in board_dirty, whose BEFORE INSERT trigger
-- subtracts that key's contributions from board_totals, recomputes its
-- board_best rows from the answers (a few rows, through aq_board_group) and
-- adds the new contributions back, then drops the queued row.

CREATE TABLE board_periods (period BIGINT PRIMARY KEY, len_ms BIGINT);
INSERT INTO board_periods VALUES (0, 604800000), (1, 2592000000), (2, NULL);
CREATE TABLE board_panels (panel_key BIGINT PRIMARY KEY);
INSERT INTO board_panels VALUES (0), (1);
-- Which boards a best row counts on: any topic or its own, any difficulty or its own.
CREATE TABLE board_keys (by_topic BIGINT NOT NULL, by_difficulty BIGINT NOT NULL,
                         PRIMARY KEY (by_topic, by_difficulty));
INSERT INTO board_keys VALUES (0, 0), (0, 1), (1, 0), (1, 1);

-- The window each server's period tables hold: answers at or after
-- since_ms (NULL: every answer, as the all-time period always does).
CREATE TABLE board_sweep (
    guild_id BIGINT NOT NULL,
    period   BIGINT NOT NULL,
    since_ms BIGINT,
    PRIMARY KEY (guild_id, period)
);

CREATE TABLE board_best (
    guild_id     BIGINT NOT NULL,
    candidate_id BIGINT NOT NULL,
    question_id  TEXT NOT NULL,
    period       BIGINT NOT NULL,
    panel_key    BIGINT NOT NULL,
    topic        TEXT NOT NULL,
    difficulty   TEXT NOT NULL,
    points_c     BIGINT NOT NULL,
    score        BIGINT NOT NULL,
    low_at       BIGINT,
    PRIMARY KEY (guild_id, candidate_id, question_id, period, panel_key, topic, difficulty)
);

CREATE TABLE board_totals (
    guild_id       BIGINT NOT NULL,
    period         BIGINT NOT NULL,
    panel_key      BIGINT NOT NULL,
    topic_key      TEXT NOT NULL,
    difficulty_key TEXT NOT NULL,
    candidate_id   BIGINT NOT NULL,
    points_c       BIGINT NOT NULL,
    score_sum      BIGINT NOT NULL,
    answered       BIGINT NOT NULL,
    -- score_sum / answered, kept beside them so the board's order is an index
    average        DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (guild_id, period, panel_key, topic_key, difficulty_key, candidate_id)
);

-- Never holds a row: inserting one recomputes that key (see the trigger).
CREATE TABLE board_dirty (
    guild_id     BIGINT NOT NULL,
    candidate_id BIGINT NOT NULL,
    question_id  TEXT NOT NULL
);

-- Fill from the answers already stored. The windows of week and month end
-- at each server's latest answer (no clock here; a board read at a later
-- time sweeps what has expired since, one read earlier falls back to
-- reading the answers).
INSERT INTO board_sweep (guild_id, period, since_ms)
SELECT a.guild_id, p.period, MAX(a.answered_ms) - p.len_ms
FROM asked_questions a CROSS JOIN board_periods p
WHERE a.guild_id IS NOT NULL AND a.score IS NOT NULL AND (a.panel = 1 OR a.outcome IN ('answered', 'timed_out'))
GROUP BY a.guild_id, p.period, p.len_ms;

WITH r AS (
    SELECT a.guild_id, a.candidate_id, a.question_id, w.period, k.panel_key, a.topic, a.difficulty,
           CAST(ROUND(a.points * 100) AS BIGINT) AS pc, a.score AS s, a.answered_ms AS at
    FROM asked_questions a
    JOIN board_sweep w ON w.guild_id = a.guild_id AND (w.since_ms IS NULL OR a.answered_ms >= w.since_ms)
    JOIN board_panels k ON k.panel_key = 0 OR a.panel = 1
    WHERE a.guild_id IS NOT NULL AND a.score IS NOT NULL AND (a.panel = 1 OR a.outcome IN ('answered', 'timed_out'))
), m AS (
    SELECT guild_id, candidate_id, question_id, period, panel_key, topic, difficulty,
           MAX(pc) OVER win AS mpc, MAX(s) OVER win AS ms, pc, s, at
    FROM r
    WINDOW win AS (PARTITION BY guild_id, candidate_id, question_id, period, panel_key, topic, difficulty)
), b AS (
    SELECT guild_id, candidate_id, question_id, period, panel_key, topic, difficulty, mpc, ms,
           MAX(CASE WHEN pc = mpc THEN at END) AS p_at, MAX(CASE WHEN s = ms THEN at END) AS s_at
    FROM m GROUP BY guild_id, candidate_id, question_id, period, panel_key, topic, difficulty, mpc, ms
)
INSERT INTO board_best (guild_id, candidate_id, question_id, period, panel_key, topic, difficulty, points_c, score, low_at)
SELECT guild_id, candidate_id, question_id, period, panel_key, topic, difficulty, mpc, ms,
       CASE WHEN p_at < s_at THEN p_at ELSE s_at END
FROM b;

WITH q AS (
    SELECT b.guild_id, b.period, b.panel_key,
           CASE WHEN k.by_topic = 1 THEN b.topic ELSE '' END AS tk,
           CASE WHEN k.by_difficulty = 1 THEN b.difficulty ELSE '' END AS dk,
           b.candidate_id, MAX(b.points_c) AS pc, MAX(b.score) AS s
    FROM board_best b CROSS JOIN board_keys k
    GROUP BY 1, 2, 3, 4, 5, 6, b.question_id
)
INSERT INTO board_totals (guild_id, period, panel_key, topic_key, difficulty_key, candidate_id,
                          points_c, score_sum, answered, average)
SELECT guild_id, period, panel_key, tk, dk, candidate_id, SUM(pc), SUM(s), COUNT(*),
       CAST(SUM(s) AS DOUBLE PRECISION) / COUNT(*)
FROM q GROUP BY 1, 2, 3, 4, 5, 6;

-- Expired rows of a period, for the sweep.
CREATE INDEX board_best_expiry ON board_best (guild_id, period, low_at);
-- A board's order: top 10 and a person's rank are index reads (covering:
-- counting who is better reads no table row). The literal
-- 3 is MIN_ANSWERED (src/store/queries.rs), which the board's query repeats
-- so that SQLite may use this partial index.
CREATE INDEX board_totals_rank ON board_totals
    (guild_id, period, panel_key, topic_key, difficulty_key, points_c DESC, average DESC, candidate_id, answered)
    WHERE answered >= 3;
-- Hidden people are few: a rank counts everyone better, less the hidden.
CREATE INDEX users_hidden ON users (id) WHERE hidden = 1;

-- The per-server lock of the leaderboard tables (a transaction-level
-- advisory lock, first key 2; src/store/boards.rs takes it before a sweep).
CREATE FUNCTION board_lock(g BIGINT) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    folded BIGINT := ((g >> 32) # g) & 4294967295;
BEGIN
    PERFORM pg_advisory_xact_lock(2, CAST(folded - CASE WHEN folded >= 2147483648 THEN 4294967296 ELSE 0 END AS INTEGER));
END $$;

-- Recomputes one (server, person, question): its contributions leave the
-- totals, its best rows are recomputed from the answers, and the new
-- contributions go back in.
CREATE FUNCTION board_refresh(g BIGINT, c BIGINT, q TEXT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM board_lock(g);
    INSERT INTO board_totals (guild_id, period, panel_key, topic_key, difficulty_key, candidate_id,
                              points_c, score_sum, answered, average)
    SELECT b.guild_id, b.period, b.panel_key,
           CASE WHEN k.by_topic = 1 THEN b.topic ELSE '' END,
           CASE WHEN k.by_difficulty = 1 THEN b.difficulty ELSE '' END,
           b.candidate_id, -MAX(b.points_c), -MAX(b.score), -1, 0
    FROM board_best b CROSS JOIN board_keys k
    WHERE b.guild_id = g AND b.candidate_id = c AND b.question_id = q
    GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (guild_id, period, panel_key, topic_key, difficulty_key, candidate_id) DO UPDATE SET
        points_c = board_totals.points_c + excluded.points_c,
        score_sum = board_totals.score_sum + excluded.score_sum,
        answered = board_totals.answered + excluded.answered,
        average = CASE WHEN board_totals.answered + excluded.answered > 0
            THEN CAST(board_totals.score_sum + excluded.score_sum AS DOUBLE PRECISION)
                 / (board_totals.answered + excluded.answered)
            ELSE 0 END;
    DELETE FROM board_best WHERE guild_id = g AND candidate_id = c AND question_id = q;
    INSERT INTO board_best (guild_id, candidate_id, question_id, period, panel_key, topic, difficulty, points_c, score, low_at)
    SELECT g, c, q, x.period, x.panel_key, x.topic, x.difficulty, x.mpc, x.ms,
           CASE WHEN x.p_at < x.s_at THEN x.p_at ELSE x.s_at END
    FROM (
        SELECT r.period, r.panel_key, r.topic, r.difficulty, r.mpc, r.ms,
               MAX(CASE WHEN r.pc = r.mpc THEN r.at END) AS p_at, MAX(CASE WHEN r.s = r.ms THEN r.at END) AS s_at
        FROM (
            SELECT w.period, k.panel_key, a.topic, a.difficulty,
                   CAST(ROUND(a.points * 100) AS BIGINT) AS pc, a.score AS s, a.answered_ms AS at,
                   MAX(CAST(ROUND(a.points * 100) AS BIGINT)) OVER win AS mpc,
                   MAX(a.score) OVER win AS ms
            FROM asked_questions a
            JOIN board_sweep w ON w.guild_id = a.guild_id AND (w.since_ms IS NULL OR a.answered_ms >= w.since_ms)
            JOIN board_panels k ON k.panel_key = 0 OR a.panel = 1
            WHERE a.guild_id = g AND a.candidate_id = c AND a.question_id = q
              AND a.score IS NOT NULL AND (a.panel = 1 OR a.outcome IN ('answered', 'timed_out'))
            WINDOW win AS (PARTITION BY w.period, k.panel_key, a.topic, a.difficulty)
        ) r
        GROUP BY r.period, r.panel_key, r.topic, r.difficulty, r.mpc, r.ms
    ) x;
    INSERT INTO board_totals (guild_id, period, panel_key, topic_key, difficulty_key, candidate_id,
                              points_c, score_sum, answered, average)
    SELECT b.guild_id, b.period, b.panel_key,
           CASE WHEN k.by_topic = 1 THEN b.topic ELSE '' END,
           CASE WHEN k.by_difficulty = 1 THEN b.difficulty ELSE '' END,
           b.candidate_id, MAX(b.points_c), MAX(b.score), 1, CAST(MAX(b.score) AS DOUBLE PRECISION)
    FROM board_best b CROSS JOIN board_keys k
    WHERE b.guild_id = g AND b.candidate_id = c AND b.question_id = q
    GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (guild_id, period, panel_key, topic_key, difficulty_key, candidate_id) DO UPDATE SET
        points_c = board_totals.points_c + excluded.points_c,
        score_sum = board_totals.score_sum + excluded.score_sum,
        answered = board_totals.answered + excluded.answered,
        average = CASE WHEN board_totals.answered + excluded.answered > 0
            THEN CAST(board_totals.score_sum + excluded.score_sum AS DOUBLE PRECISION)
                 / (board_totals.answered + excluded.answered)
            ELSE 0 END;
END $$;

-- A queued key is recomputed and never stored.
CREATE FUNCTION board_dirty_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM board_refresh(NEW.guild_id, NEW.candidate_id, NEW.question_id);
    RETURN NULL;
END $$;
CREATE TRIGGER board_refresh BEFORE INSERT ON board_dirty
    FOR EACH ROW EXECUTE FUNCTION board_dirty_refresh();

-- An ANSWERED row (as src/store/queries.rs's ANSWERED says).
CREATE FUNCTION board_answered(r asked_questions) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT r.guild_id IS NOT NULL AND r.score IS NOT NULL AND (r.panel = 1 OR r.outcome IN ('answered', 'timed_out'))
$$;

-- A change to an answered row recomputes its key (both keys when the row
-- moved); a server's first answer opens its windows at that answer's time.
CREATE FUNCTION aq_board_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' AND board_answered(NEW) THEN
        INSERT INTO board_sweep (guild_id, period, since_ms)
        SELECT NEW.guild_id, period, NEW.answered_ms - len_ms FROM board_periods
        ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP <> 'INSERT' AND board_answered(OLD) THEN
        PERFORM board_refresh(OLD.guild_id, OLD.candidate_id, OLD.question_id);
    END IF;
    IF TG_OP <> 'DELETE' AND board_answered(NEW) AND NOT (TG_OP = 'UPDATE' AND board_answered(OLD)
            AND OLD.guild_id = NEW.guild_id AND OLD.candidate_id = NEW.candidate_id
            AND OLD.question_id = NEW.question_id) THEN
        PERFORM board_refresh(NEW.guild_id, NEW.candidate_id, NEW.question_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER aq_board_insert AFTER INSERT ON asked_questions
    FOR EACH ROW WHEN (board_answered(NEW)) EXECUTE FUNCTION aq_board_changed();
CREATE TRIGGER aq_board_delete AFTER DELETE ON asked_questions
    FOR EACH ROW WHEN (board_answered(OLD)) EXECUTE FUNCTION aq_board_changed();
-- Only a change the boards read: the writer rewrites a question's row on
-- every transition, and most of those change nothing here.
CREATE TRIGGER aq_board_update AFTER UPDATE ON asked_questions
    FOR EACH ROW WHEN ((board_answered(OLD) OR board_answered(NEW))
        AND (OLD.score, OLD.points, OLD.answered_ms, OLD.outcome, OLD.panel, OLD.guild_id,
             OLD.candidate_id, OLD.question_id, OLD.topic, OLD.difficulty)
            IS DISTINCT FROM
            (NEW.score, NEW.points, NEW.answered_ms, NEW.outcome, NEW.panel, NEW.guild_id,
             NEW.candidate_id, NEW.question_id, NEW.topic, NEW.difficulty))
    EXECUTE FUNCTION aq_board_changed();
