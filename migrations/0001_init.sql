-- interview-bot schema. Times are epoch milliseconds; Discord ids are stored
-- as INTEGER (converted from u64 in one place, src/store/ids.rs).

CREATE TABLE users (
    id           INTEGER PRIMARY KEY,
    discord_id   INTEGER UNIQUE,
    local_name   TEXT UNIQUE,
    display_name TEXT NOT NULL,
    hidden       INTEGER NOT NULL DEFAULT 0,
    created_ms   INTEGER NOT NULL,
    CHECK ((discord_id IS NULL) <> (local_name IS NULL))
);

CREATE TABLE sessions (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('solo', 'panel')),
    status         TEXT NOT NULL CHECK (status IN ('running', 'finished', 'abandoned')),
    -- nullable so that deleting a panel host keeps the candidates' results
    owner_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    guild_id       INTEGER,
    channel_id     INTEGER,
    thread_id      INTEGER,
    -- the engine's whole state as JSON; the columns beside it are for queries
    state          TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 0,
    position       INTEGER NOT NULL DEFAULT 0,
    next_wakeup_ms INTEGER,
    topics         TEXT NOT NULL DEFAULT '',
    difficulty     TEXT NOT NULL DEFAULT 'mixed',
    seed           INTEGER NOT NULL DEFAULT 0,
    created_ms     INTEGER NOT NULL,
    updated_ms     INTEGER NOT NULL,
    ended_ms       INTEGER
);
CREATE INDEX sessions_running ON sessions (status, next_wakeup_ms) WHERE status = 'running';
CREATE INDEX sessions_owner ON sessions (owner_id, created_ms);
-- one running solo interview per person per server (terminal sessions have no guild)
CREATE UNIQUE INDEX sessions_one_running_solo
    ON sessions (owner_id, COALESCE(guild_id, 0)) WHERE status = 'running' AND kind = 'solo';

CREATE TABLE participants (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('candidate', 'interviewer')),
    joined_ms  INTEGER NOT NULL,
    left_ms    INTEGER,
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX participants_user ON participants (user_id);

CREATE TABLE asked_questions (
    id           INTEGER PRIMARY KEY,
    session_id   INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    question_id  TEXT NOT NULL,
    topic        TEXT NOT NULL,
    difficulty   TEXT NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
    candidate_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    guild_id     INTEGER,
    panel        INTEGER NOT NULL DEFAULT 0,
    asked_ms     INTEGER NOT NULL,
    deadline_ms  INTEGER NOT NULL,
    answer       TEXT NOT NULL DEFAULT '',
    hints_used   INTEGER NOT NULL DEFAULT 0,
    outcome      TEXT CHECK (outcome IN ('answered', 'timed_out', 'skipped', 'unanswered')),
    coverage     INTEGER,
    score        INTEGER,
    points       REAL NOT NULL DEFAULT 0,
    answered_ms  INTEGER,
    UNIQUE (session_id, position)
);
-- Leaderboards read only scored rows, by server (or all) and time window,
-- optionally by topic; these covering indexes keep top-10 queries on an
-- index range scan.
CREATE INDEX aq_board_guild ON asked_questions
    (guild_id, answered_ms, candidate_id, question_id, score, points, difficulty, panel, topic)
    WHERE score IS NOT NULL;
CREATE INDEX aq_board_guild_topic ON asked_questions
    (guild_id, topic, answered_ms, candidate_id, question_id, score, points, difficulty, panel)
    WHERE score IS NOT NULL;
CREATE INDEX aq_board_all ON asked_questions
    (answered_ms, candidate_id, question_id, score, points, difficulty, panel, topic)
    WHERE score IS NOT NULL;
CREATE INDEX aq_candidate ON asked_questions (candidate_id, answered_ms);

CREATE TABLE ratings (
    asked_question_id INTEGER NOT NULL REFERENCES asked_questions(id) ON DELETE CASCADE,
    rater_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role              TEXT NOT NULL CHECK (role IN ('self', 'interviewer')),
    technical         INTEGER NOT NULL CHECK (technical BETWEEN 1 AND 5),
    communication     INTEGER CHECK (communication BETWEEN 1 AND 5),
    problem_solving   INTEGER CHECK (problem_solving BETWEEN 1 AND 5),
    note              TEXT,
    PRIMARY KEY (asked_question_id, rater_id)
);

CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER,
    subject_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    author_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    session_id  INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
    question_id TEXT,
    text        TEXT NOT NULL,
    resolved    INTEGER NOT NULL DEFAULT 0,
    created_ms  INTEGER NOT NULL,
    resolved_ms INTEGER
);
CREATE INDEX notes_subject ON notes (subject_id, resolved, created_ms);

CREATE TABLE guild_settings (
    guild_id             INTEGER PRIMARY KEY,
    default_minutes      INTEGER,
    interview_channel_id INTEGER,
    interviewer_role_id  INTEGER,
    updated_ms           INTEGER NOT NULL
);
