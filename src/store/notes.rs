use super::db::Store;
use super::error::StoreError;
use super::ids;
use super::queries::numbered_list;
use super::writer::{stmt, WriteConn};
use crate::interview::{Outcome, QuestionResult, UserId};
use crate::time::Timestamp;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NoteFilter {
    #[default]
    Open,
    Resolved,
    All,
}

impl FromStr for NoteFilter {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "open" => Ok(NoteFilter::Open),
            "resolved" => Ok(NoteFilter::Resolved),
            "all" => Ok(NoteFilter::All),
            other => Err(format!(
                "unknown status `{other}`: use open, resolved or all"
            )),
        }
    }
}

/// A follow-up note that a later answer resolved by covering its key point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedNote {
    pub id: i64,
    pub text: String,
}

/// Resolves the open notes of `r`'s candidate on `r`'s question whose key
/// point this answer covered (notes of earlier sessions only: a session's
/// own notes are written when it ends). Only a submitted answer counts.
pub(super) async fn resolve_covered(
    conn: &mut dyn WriteConn,
    session_id: i64,
    r: &QuestionResult,
    now: Timestamp,
) -> Result<Vec<ResolvedNote>, StoreError> {
    if !matches!(r.outcome, Some(Outcome::Answered | Outcome::TimedOut)) {
        return Ok(Vec::new());
    }
    let covered: Vec<i64> = (0..)
        .zip(&r.covered)
        .filter(|(_, &hit)| hit)
        .map(|(index, _)| index)
        .collect();
    if covered.is_empty() {
        return Ok(Vec::new());
    }
    // One statement for every covered key point: this runs in the writer on
    // most submitted answers, where each statement is a round trip.
    let sql = format!(
        "UPDATE notes SET resolved = 1, resolved_ms = $1
         WHERE subject_id = $2 AND question_id = $3 AND resolved = 0
           AND (session_id IS NULL OR session_id <> $4) AND key_point IN ({})
         RETURNING id, text, key_point",
        numbered_list(5, covered.len())
    );
    let query = stmt(sql)
        .bind(now.millis())
        .bind(r.candidate.0)
        .bind(&r.question_id)
        .bind(session_id);
    let rows = conn
        .fetch(covered.iter().fold(query, |q, &index| q.bind(index)))
        .await?;
    let mut resolved = rows
        .iter()
        .map(|row| Ok((row.int(2)?, row.int(0)?, row.text(1)?)))
        .collect::<Result<Vec<(i64, i64, String)>, StoreError>>()?;
    // In key-point order, as they were resolved one point at a time.
    resolved.sort();
    Ok(resolved
        .into_iter()
        .map(|(_, id, text)| ResolvedNote { id, text })
        .collect())
}

#[derive(Debug, Clone, PartialEq)]
pub struct NoteRow {
    pub id: i64,
    pub subject: UserId,
    pub author: Option<UserId>,
    pub author_name: Option<String>,
    pub question_id: Option<String>,
    pub text: String,
    pub resolved: bool,
    pub created: Timestamp,
}

fn note_row(r: AnyRow) -> NoteRow {
    NoteRow {
        id: r.get("id"),
        subject: UserId(r.get("subject_id")),
        author: r.get::<Option<i64>, _>("author_id").map(UserId),
        author_name: r.get("author_name"),
        question_id: r.get("question_id"),
        text: r.get("text"),
        resolved: r.get::<i64, _>("resolved") != 0,
        created: Timestamp(r.get("created_ms")),
    }
}

impl Store {
    /// Notes about `subject`, newest first; `guild: None` means every server.
    pub async fn notes(
        &self,
        subject: UserId,
        guild: Option<u64>,
        filter: NoteFilter,
        limit: i64,
    ) -> Result<Vec<NoteRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT n.id, n.subject_id, n.author_id, u.display_name AS author_name, n.question_id, n.text, n.resolved, n.created_ms
             FROM notes n LEFT JOIN users u ON u.id = n.author_id
             WHERE n.subject_id = $1 AND ($2 IS NULL OR n.guild_id = $2)
               AND ($3 = 'all' OR ($3 = 'open' AND n.resolved = 0) OR ($3 = 'resolved' AND n.resolved = 1))
             ORDER BY n.created_ms DESC, n.id DESC LIMIT $4",
        )
        .bind(subject.0)
        .bind(guild.map(ids::to_db))
        .bind(match filter {
            NoteFilter::Open => "open",
            NoteFilter::Resolved => "resolved",
            NoteFilter::All => "all",
        })
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(note_row).collect())
    }

    /// Notes about `subject` from one session, oldest first.
    pub async fn session_notes(
        &self,
        session: i64,
        subject: UserId,
    ) -> Result<Vec<NoteRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT n.id, n.subject_id, n.author_id, u.display_name AS author_name, n.question_id, n.text, n.resolved, n.created_ms
             FROM notes n LEFT JOIN users u ON u.id = n.author_id
             WHERE n.session_id = $1 AND n.subject_id = $2 ORDER BY n.id",
        )
        .bind(session)
        .bind(subject.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(note_row).collect())
    }

    pub async fn add_note(
        &self,
        guild: Option<u64>,
        subject: UserId,
        author: Option<UserId>,
        text: &str,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        self.write_fetch_one(
            stmt("INSERT INTO notes (guild_id, subject_id, author_id, text, created_ms) VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .bind(guild.map(ids::to_db))
                .bind(subject.0)
                .bind(author.map(|a| a.0))
                .bind(text)
                .bind(now.millis()),
        )
        .await?
        .int(0)
    }

    /// Marks a note resolved if `by` is its subject or its author.
    /// Returns false when there is no such note of theirs.
    pub async fn resolve_note(
        &self,
        id: i64,
        by: UserId,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = self
            .write_one(
                stmt("UPDATE notes SET resolved = 1, resolved_ms = $1 WHERE id = $2 AND (subject_id = $3 OR author_id = $3)")
                    .bind(now.millis())
                    .bind(id)
                    .bind(by.0),
            )
            .await?;
        Ok(done == 1)
    }
}
