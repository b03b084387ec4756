//! The statements a batched write runs, as data both writer connections
//! read: the SQLite writer's own connection (`sqlite.rs`) and sqlx's `Any`
//! connection for PostgreSQL (`any.rs`). A write is written once against
//! `WriteConn` and runs on either.
//!
//! Only what the writes need: `$N` placeholders, i64, f64, text and typed
//! NULLs (PostgreSQL wants a NULL's type), rows affected, and returned rows.

use super::super::error::StoreError;
use futures::future::BoxFuture;
use std::borrow::Cow;

/// One argument. A NULL keeps its type: PostgreSQL refuses a BIGINT NULL
/// for a TEXT column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Arg {
        Arg::Int(Some(v))
    }
}

impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Arg {
        Arg::Int(v)
    }
}

impl From<f64> for Arg {
    fn from(v: f64) -> Arg {
        Arg::Real(Some(v))
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Arg {
        Arg::Text(Some(v))
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Arg {
        Arg::Text(Some(v.to_string()))
    }
}

impl From<&String> for Arg {
    fn from(v: &String) -> Arg {
        Arg::Text(Some(v.clone()))
    }
}

impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Arg {
        Arg::Text(v.map(str::to_string))
    }
}

/// A statement and its arguments, `$1` first.
#[derive(Debug, Clone)]
pub(crate) struct Stmt {
    pub(super) text: Cow<'static, str>,
    pub(super) args: Vec<Arg>,
}

pub(crate) fn stmt(text: impl Into<Cow<'static, str>>) -> Stmt {
    Stmt {
        text: text.into(),
        args: Vec::new(),
    }
}

impl Stmt {
    pub(crate) fn bind(mut self, arg: impl Into<Arg>) -> Stmt {
        self.args.push(arg.into());
        self
    }
}

/// One value of a returned row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

/// A returned row, read by column index.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row(pub(super) Vec<Cell>);

impl Row {
    pub(crate) fn int(&self, index: usize) -> Result<i64, StoreError> {
        match self.0.get(index) {
            Some(Cell::Int(v)) => Ok(*v),
            other => Err(unexpected(index, "an integer", other)),
        }
    }

    pub(crate) fn text(&self, index: usize) -> Result<String, StoreError> {
        match self.0.get(index) {
            Some(Cell::Text(v)) => Ok(v.clone()),
            other => Err(unexpected(index, "text", other)),
        }
    }
}

fn unexpected(index: usize, wanted: &'static str, found: Option<&Cell>) -> StoreError {
    StoreError::Column {
        index,
        wanted,
        found: match found {
            None => "no such column",
            Some(Cell::Null) => "NULL",
            Some(Cell::Int(_)) => "an integer",
            Some(Cell::Real(_)) => "a real",
            Some(Cell::Text(_)) => "text",
        },
    }
}

/// Where a batched write runs its statements: inside the batch's
/// transaction, under the write's own savepoint.
pub(crate) trait WriteConn: Send {
    /// Runs a statement that returns no rows; how many rows it changed.
    fn execute(&mut self, stmt: Stmt) -> BoxFuture<'_, Result<u64, StoreError>>;

    /// Runs a statement and returns its rows (a `RETURNING` or a read).
    fn fetch(&mut self, stmt: Stmt) -> BoxFuture<'_, Result<Vec<Row>, StoreError>>;

    /// Runs statements with no arguments, several at once if `;`-separated
    /// (`BEGIN`, savepoints, `COMMIT`).
    fn control(&mut self, sql: &'static str) -> BoxFuture<'_, Result<(), StoreError>>;

    /// The first row a statement returns; an error when there is none.
    fn fetch_one(&mut self, stmt: Stmt) -> BoxFuture<'_, Result<Row, StoreError>> {
        let rows = self.fetch(stmt);
        Box::pin(async move {
            rows.await?
                .into_iter()
                .next()
                .ok_or(StoreError::Sql(sqlx::Error::RowNotFound))
        })
    }
}
