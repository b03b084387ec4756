//! The writer on sqlx's `Any` driver (PostgreSQL): an async task, each
//! statement a round trip to the server.

use super::statement::{Arg, Cell, Row, Stmt, WriteConn};
use super::{gather, settle, write_batch, Jobs, Stats};
use crate::store::backend::Backend;
use crate::store::error::StoreError;
use futures::future::BoxFuture;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, AnyPool, Executor};
use std::sync::Arc;

pub(super) async fn run(pool: AnyPool, backend: Backend, mut rx: Jobs, stats: Arc<Stats>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        let result = async {
            let mut tx = pool.begin_with(backend.begin_write()).await?;
            gather(&mut rx, &mut batch);
            let conn: &mut AnyConnection = &mut tx;
            write_batch(conn, &mut batch).await?;
            tx.commit().await?;
            Ok(())
        }
        .await;
        settle(result, batch, &stats);
    }
}

fn bound(text: &str, args: Vec<Arg>) -> Query<'_, Any, AnyArguments<'_>> {
    args.into_iter()
        .fold(sqlx::query(text), |q, arg| match arg {
            Arg::Int(v) => q.bind(v),
            Arg::Real(v) => q.bind(v),
            Arg::Text(v) => q.bind(v),
        })
}

/// `Any` decodes only to the type a column holds, so each is tried.
fn row_of(r: &AnyRow) -> Row {
    use sqlx::Row as _;
    Row((0..r.len())
        .map(|i| {
            if let Ok(v) = r.try_get::<Option<i64>, _>(i) {
                return v.map_or(Cell::Null, Cell::Int);
            }
            if let Ok(v) = r.try_get::<Option<f64>, _>(i) {
                return v.map_or(Cell::Null, Cell::Real);
            }
            r.try_get::<Option<String>, _>(i)
                .ok()
                .flatten()
                .map_or(Cell::Null, Cell::Text)
        })
        .collect())
}

impl WriteConn for AnyConnection {
    fn execute(&mut self, stmt: Stmt) -> BoxFuture<'_, Result<u64, StoreError>> {
        Box::pin(async move {
            let done = bound(&stmt.text, stmt.args).execute(&mut *self).await?;
            Ok(done.rows_affected())
        })
    }

    fn fetch(&mut self, stmt: Stmt) -> BoxFuture<'_, Result<Vec<Row>, StoreError>> {
        Box::pin(async move {
            let rows = bound(&stmt.text, stmt.args).fetch_all(&mut *self).await?;
            Ok(rows.iter().map(row_of).collect())
        })
    }

    fn control(&mut self, sql: &'static str) -> BoxFuture<'_, Result<(), StoreError>> {
        // No arguments: one simple query on PostgreSQL, which may hold
        // several statements.
        Box::pin(async move {
            Executor::execute(&mut *self, sql).await?;
            Ok(())
        })
    }
}
