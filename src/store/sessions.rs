use super::db::Store;
use super::error::StoreError;
use super::ids;
use super::notes::ResolvedNote;
use super::writer::{stmt, work, WriteConn};
use crate::bank::DifficultyChoice;
use crate::interview::{Effect, QuestionResult, SessionKind, SessionState, Status, UserId};
use crate::time::Timestamp;
use sqlx::Row;
use std::collections::{HashMap, HashSet};

pub type SessionId = i64;

/// Where a session runs and what was asked for, beside the engine's state.
#[derive(Debug, Clone, Default)]
pub struct NewSession {
    pub guild_id: Option<u64>,
    pub channel_id: Option<u64>,
    pub thread_id: Option<u64>,
    pub topics: Vec<String>,
    pub difficulty: DifficultyChoice,
    pub seed: u64,
}

#[derive(Debug, Clone)]
pub struct StoredSession {
    pub id: SessionId,
    pub version: i64,
    pub guild_id: Option<u64>,
    pub channel_id: Option<u64>,
    pub thread_id: Option<u64>,
    pub state: SessionState,
}

/// A running session as start-up recovery first sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunningSession {
    pub id: SessionId,
    /// When its next deadline is due; None when it waits for nothing.
    pub wake: Option<Timestamp>,
    pub thread_id: Option<u64>,
    /// Its server (None: the terminal); which process owns it follows.
    pub guild_id: Option<u64>,
    pub version: i64,
}

impl Store {
    /// Stores a new session with its first transition, in one transaction
    /// (a batch of the group-commit writer, in a savepoint of its own).
    pub async fn create_session(
        &self,
        new: &NewSession,
        state: &SessionState,
        effects: &[Effect],
        now: Timestamp,
    ) -> Result<SessionId, StoreError> {
        let (new_, mut state_, ended) = (new.clone(), state.clone(), ended_only(effects));
        let json = row_json(&mut state_, 0)?;
        let created = self
            .writer
            .write(work(move |conn| {
                Box::pin(async move {
                    let id = insert_session(conn, &new_, &state_, json, now).await?;
                    for p in &state_.participants {
                        conn.execute(
                            stmt("INSERT INTO participants (session_id, user_id, role, joined_ms) VALUES ($1, $2, $3, $4)")
                                .bind(id)
                                .bind(p.user.0)
                                .bind(p.role.as_str())
                                .bind(now.millis()),
                        )
                        .await?;
                    }
                    write_effects(conn, id, new_.guild_id, &state_, &[], &ended, now).await?;
                    Ok(id)
                })
            }))
            .await;
        match created {
            Err(e) if e.is_unique_violation() => {
                let existing = self
                    .running_solo(state.owner, new.guild_id)
                    .await?
                    .unwrap_or(0);
                Err(StoreError::AlreadyRunning(existing))
            }
            other => other,
        }
    }

    /// The session with its answers, which its question rows keep
    /// (`row_json`). One statement, so the row and the answers are read
    /// from one snapshot even while the writer commits.
    pub async fn load_session(&self, id: SessionId) -> Result<Option<StoredSession>, StoreError> {
        let rows = sqlx::query(
            "SELECT NULL AS position, state AS text, version, guild_id, channel_id, thread_id
               FROM sessions WHERE id = $1
             UNION ALL
             SELECT position, answer, NULL, NULL, NULL, NULL FROM asked_questions WHERE session_id = $1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let Some(session) = rows
            .iter()
            .find(|r| r.get::<Option<i64>, _>("position").is_none())
        else {
            return Ok(None);
        };
        let json: String = session.get("text");
        let mut state: SessionState = serde_json::from_str(&json)
            .map_err(|source| StoreError::CorruptState { id, source })?;
        let mut answers: HashMap<i64, String> = rows
            .iter()
            .filter_map(|r| Some((r.get::<Option<i64>, _>("position")?, r.get("text"))))
            .collect();
        for r in &mut state.results {
            // A row stored before the answers left it keeps them itself.
            if let Some(answer) = answers.remove(&(r.position as i64)) {
                r.answer = answer;
            }
        }
        Ok(Some(StoredSession {
            id,
            version: session.get("version"),
            guild_id: session.get::<Option<i64>, _>("guild_id").map(ids::from_db),
            channel_id: session
                .get::<Option<i64>, _>("channel_id")
                .map(ids::from_db),
            thread_id: session.get::<Option<i64>, _>("thread_id").map(ids::from_db),
            state,
        }))
    }

    /// Stores one transition: the new state (if nobody else changed it since
    /// `version`) and what it implies for the query tables, in one
    /// transaction (a batch of the group-commit writer, in a savepoint of its
    /// own, so a conflict here fails this transition alone). Returns the new
    /// version.
    pub async fn save_transition(
        &self,
        session: &StoredSession,
        state: &SessionState,
        effects: &[Effect],
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        Ok(self
            .save_transition_resolving(session, state, effects, now)
            .await?
            .0)
    }

    /// As `save_transition`, and also the follow-up notes that the
    /// transition's answers resolved (their key point now covered).
    pub async fn save_transition_resolving(
        &self,
        session: &StoredSession,
        state: &SessionState,
        effects: &[Effect],
        now: Timestamp,
    ) -> Result<(i64, Vec<ResolvedNote>), StoreError> {
        let (id, version, guild) = (session.id, session.version, session.guild_id);
        let (mut state, ended) = (state.clone(), ended_only(effects));
        // Serialised here, on the caller's task, so the one writer spends
        // its time on SQL only.
        let json = row_json(&mut state, id)?;
        let (before, status) = (touched(&session.state).to_vec(), session.state.status);
        self.writer
            .write(work(move |conn| {
                Box::pin(async move {
                    update_session(conn, (id, version), status, &state, json, now).await?;
                    let resolved =
                        write_effects(conn, id, guild, &state, &before, &ended, now).await?;
                    Ok((version + 1, resolved))
                })
            }))
            .await
    }

    /// The server of each running session (None: the terminal), for
    /// counting those a process owns.
    pub async fn running_guilds(&self) -> Result<Vec<Option<u64>>, StoreError> {
        let guilds: Vec<Option<i64>> =
            sqlx::query_scalar("SELECT guild_id FROM sessions WHERE status = 'running'")
                .fetch_all(&self.pool)
                .await?;
        Ok(guilds.into_iter().map(|g| g.map(ids::from_db)).collect())
    }

    /// Whether the database answers at all (for `/health`).
    pub async fn reachable(&self) -> bool {
        sqlx::query_scalar::<_, i64>("SELECT CAST(1 AS BIGINT)")
            .fetch_one(&self.pool)
            .await
            .is_ok()
    }

    /// Running sessions with their next wake-up, for re-arming at start-up.
    pub async fn running_sessions(&self) -> Result<Vec<RunningSession>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, next_wakeup_ms, thread_id, version, guild_id FROM sessions
             WHERE status = 'running' ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| RunningSession {
                id: r.get(0),
                wake: r.get::<Option<i64>, _>(1).map(Timestamp),
                thread_id: r.get::<Option<i64>, _>(2).map(ids::from_db),
                version: r.get(3),
                guild_id: r.get::<Option<i64>, _>(4).map(ids::from_db),
            })
            .collect())
    }

    /// The running solo session of `user` in `guild` (None: the terminal).
    pub async fn running_solo(
        &self,
        user: UserId,
        guild: Option<u64>,
    ) -> Result<Option<SessionId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM sessions WHERE status = 'running' AND kind = 'solo' AND owner_id = $1
               AND COALESCE(guild_id, 0) = COALESCE($2, 0)",
        )
        .bind(user.0)
        .bind(guild.map(ids::to_db))
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Running sessions in `guild` that `user` takes part in and has not
    /// left (for when they leave the server).
    pub async fn running_with(
        &self,
        user: UserId,
        guild: u64,
    ) -> Result<Vec<SessionId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT s.id FROM sessions s JOIN participants p ON p.session_id = s.id
             WHERE s.status = 'running' AND s.guild_id = $1 AND p.user_id = $2 AND p.left_ms IS NULL
             ORDER BY s.id",
        )
        .bind(ids::to_db(guild))
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Ids of the questions this person has been asked before.
    pub async fn seen_questions(&self, user: UserId) -> Result<HashSet<String>, StoreError> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT question_id FROM asked_questions WHERE candidate_id = $1",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().collect())
    }
}

async fn insert_session(
    conn: &mut dyn WriteConn,
    new: &NewSession,
    state: &SessionState,
    json: String,
    now: Timestamp,
) -> Result<SessionId, StoreError> {
    conn.fetch_one(
        stmt("INSERT INTO sessions (kind, status, owner_id, guild_id, channel_id, thread_id, state, version,
                               position, next_wakeup_ms, topics, difficulty, seed, created_ms, updated_ms, ended_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10, $11, $12, $13, $13, $14) RETURNING id")
    .bind(state.kind.as_str())
    .bind(state.status.as_str())
    .bind(state.owner.0)
    .bind(new.guild_id.map(ids::to_db))
    .bind(new.channel_id.map(ids::to_db))
    .bind(new.thread_id.map(ids::to_db))
    .bind(json)
    .bind(position(state))
    .bind(state.next_wakeup().map(Timestamp::millis))
    .bind(new.topics.join(","))
    .bind(new.difficulty.as_str())
    .bind(new.seed as i64)
    .bind(now.millis())
    .bind(state.ended_at.map(Timestamp::millis)),
    )
    .await?
    .int(0)
}

/// The conditional update that makes a late or duplicate transition do
/// nothing: it applies only to the version it was computed from, whose
/// status was `status_before`.
async fn update_session(
    conn: &mut dyn WriteConn,
    (id, version): (SessionId, i64),
    status_before: Status,
    state: &SessionState,
    json: String,
    now: Timestamp,
) -> Result<(), StoreError> {
    // A status in the SET list makes SQLite rewrite the session's entries
    // in both indexes of running sessions, whose WHERE names it, even when
    // it stays the same; only the last transition of a session changes it.
    let status_changed = state.status != status_before;
    let text = if !status_changed {
        "UPDATE sessions SET state = $1, version = version + 1, position = $2, next_wakeup_ms = $3,
                updated_ms = $4
         WHERE id = $5 AND version = $6"
    } else {
        "UPDATE sessions SET state = $1, version = version + 1, position = $2, next_wakeup_ms = $3,
                updated_ms = $4, status = $7, ended_ms = $8
         WHERE id = $5 AND version = $6"
    };
    let mut update = stmt(text)
        .bind(json)
        .bind(position(state))
        .bind(state.next_wakeup().map(Timestamp::millis))
        .bind(now.millis())
        .bind(id)
        .bind(version);
    if status_changed {
        update = update
            .bind(state.status.as_str())
            .bind(state.ended_at.map(Timestamp::millis));
    }
    let updated = conn.execute(update).await?;
    if updated == 0 {
        return Err(StoreError::Conflict);
    }
    for p in state.participants.iter().filter(|p| p.left) {
        conn.execute(
            stmt("UPDATE participants SET left_ms = COALESCE(left_ms, $1) WHERE session_id = $2 AND user_id = $3")
                .bind(now.millis())
                .bind(id)
                .bind(p.user.0),
        )
        .await?;
    }
    Ok(())
}

/// The effects the query tables need (only an ending writes notes), owned so
/// they can go to the writer.
fn ended_only(effects: &[Effect]) -> Vec<Effect> {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::Ended(_)))
        .cloned()
        .collect()
}

/// The state as its row keeps it: without the answers' text, which the
/// question rows beside it hold (`asked_questions.answer`, written by the
/// same transitions, so they always agree). With every answer in it, a
/// five-question session's row was 6.5 KB and spilled into overflow pages
/// that each press rewrote and freed, and a real one (20 questions, answers
/// of up to 4,000 characters) is many times that. `load_session` puts them
/// back.
fn row_json(state: &mut SessionState, id: SessionId) -> Result<String, StoreError> {
    let answers: Vec<String> = state
        .results
        .iter_mut()
        .map(|r| std::mem::take(&mut r.answer))
        .collect();
    let json = serde_json::to_string(state);
    for (r, answer) in state.results.iter_mut().zip(answers) {
        r.answer = answer;
    }
    json.map_err(|source| StoreError::CorruptState { id, source })
}

fn position(state: &SessionState) -> i64 {
    state.results.last().map(|r| r.position as i64).unwrap_or(0)
}

/// The results a transition can change: only the last two (the question
/// just closed and the one now asked).
fn touched(state: &SessionState) -> &[QuestionResult] {
    &state.results[state.results.len().saturating_sub(2)..]
}

/// Brings the query tables in line with the state: the touched questions
/// that differ from `before` (the stored state's touched ones), their
/// ratings, and the notes of a session that just ended. Rows already match
/// the stored state, so a result the transition left alone is not
/// rewritten: most transitions change one question, and a rating or a
/// draft changes no key point.
async fn write_effects(
    conn: &mut dyn WriteConn,
    session_id: SessionId,
    guild_id: Option<u64>,
    state: &SessionState,
    before: &[QuestionResult],
    effects: &[Effect],
    now: Timestamp,
) -> Result<Vec<ResolvedNote>, StoreError> {
    let mut resolved = Vec::new();
    for r in touched(state) {
        let old = before.iter().find(|o| o.position == r.position);
        if old == Some(r) {
            continue;
        }
        let aq_id = upsert_question(conn, session_id, guild_id, state.kind, r).await?;
        if old.map(|o| (o.outcome, &o.covered)) != Some((r.outcome, &r.covered)) {
            resolved.extend(super::notes::resolve_covered(conn, session_id, r, now).await?);
        }
        if let Some(rating) = r
            .self_rating
            .filter(|_| old.map(|o| o.self_rating) != Some(r.self_rating))
        {
            conn.execute(
                stmt(
                    "INSERT INTO ratings (asked_question_id, rater_id, role, technical) VALUES ($1, $2, 'self', $3)
                     ON CONFLICT (asked_question_id, rater_id) DO UPDATE SET technical = excluded.technical",
                )
                .bind(aq_id)
                .bind(r.candidate.0)
                .bind(i64::from(rating)),
            )
            .await?;
        }
        let stored = old.map(|o| o.scorecards.as_slice()).unwrap_or_default();
        for c in r.scorecards.iter().filter(|c| !stored.contains(c)) {
            conn.execute(
                stmt(
                    "INSERT INTO ratings (asked_question_id, rater_id, role, technical, communication, problem_solving, note)
                     VALUES ($1, $2, 'interviewer', $3, $4, $5, $6)
                     ON CONFLICT (asked_question_id, rater_id) DO UPDATE SET technical = excluded.technical,
                       communication = excluded.communication, problem_solving = excluded.problem_solving, note = excluded.note",
                )
                .bind(aq_id)
                .bind(c.interviewer.0)
                .bind(i64::from(c.technical))
                .bind(i64::from(c.communication))
                .bind(i64::from(c.problem_solving))
                .bind(c.note.as_deref()),
            )
            .await?;
        }
    }
    for e in effects {
        if let Effect::Ended(summary) = e {
            for n in &summary.notes {
                conn.execute(
                    stmt(
                        "INSERT INTO notes (guild_id, subject_id, author_id, session_id, question_id, text, created_ms, key_point)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(guild_id.map(ids::to_db))
                    .bind(n.subject.0)
                    .bind(n.author.map(|a| a.0))
                    .bind(session_id)
                    .bind(&n.question_id)
                    .bind(&n.text)
                    .bind(now.millis())
                    .bind(n.key_point.and_then(|k| i64::try_from(k).ok())),
                )
                .await?;
            }
        }
    }
    Ok(resolved)
}

async fn upsert_question(
    conn: &mut dyn WriteConn,
    session_id: SessionId,
    guild_id: Option<u64>,
    kind: SessionKind,
    r: &QuestionResult,
) -> Result<i64, StoreError> {
    // Only a final score is a score: leaderboards must never count an open question.
    let score = r.score.filter(|_| r.finalised).map(i64::from);
    conn.fetch_one(
        stmt("INSERT INTO asked_questions (session_id, position, question_id, topic, difficulty, candidate_id, guild_id, panel,
                                      asked_ms, deadline_ms, answer, hints_used, outcome, coverage, score, points, answered_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT (session_id, position) DO UPDATE SET
            answer = excluded.answer, hints_used = excluded.hints_used, outcome = excluded.outcome,
            coverage = excluded.coverage, score = excluded.score, points = excluded.points,
            answered_ms = excluded.answered_ms, deadline_ms = excluded.deadline_ms
         RETURNING id")
    .bind(session_id)
    .bind(r.position as i64)
    .bind(&r.question_id)
    .bind(&r.topic)
    .bind(r.difficulty.as_str())
    .bind(r.candidate.0)
    .bind(guild_id.map(ids::to_db))
    .bind(i64::from(kind == SessionKind::Panel))
    .bind(r.asked_at.millis())
    .bind(r.deadline.millis())
    .bind(&r.answer)
    .bind(i64::from(r.hints_used))
    .bind(r.outcome.map(|o| o.as_str()))
    .bind(r.outcome.map(|_| i64::from(r.coverage_percent())))
    .bind(score)
    .bind(if r.finalised { r.points } else { 0.0 })
    .bind(r.answered_at.map(Timestamp::millis)),
    )
    .await?
    .int(0)
}
