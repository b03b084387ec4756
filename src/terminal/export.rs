//! `interview-bot export` and `stats --chart`: a session or progress
//! chart written out for the person to keep.

use crate::chart::{render_png, ChartData};
use crate::cli::{default_user, ExportArgs};
use crate::export::Format;
use crate::runtime::Runtime;
use crate::store::{Scope, Store};
use crate::time::Timestamp;
use anyhow::Context;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Writes a session as Markdown or CSV to standard output or `--output`.
pub async fn export(
    args: &ExportArgs,
    runtime: &Runtime,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let format: Format = args.format.parse().map_err(anyhow::Error::msg)?;
    let store = runtime.store();
    let user = store
        .local_user(&default_user(args.user.as_deref()))
        .await?;
    let export = runtime
        .export(args.id, user)
        .await
        .map_err(super::practice::friendly)?;
    let text = format.render(&export);
    match &args.output {
        Some(path) => {
            std::fs::write(path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            writeln!(out, "Interview #{} written to {}.", args.id, path.display())?;
        }
        None => write!(out, "{text}")?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Draws `name`'s progress chart into `path`; false (and nothing written)
/// when there is no history to draw.
pub async fn chart_file(
    store: &Store,
    bank: &crate::bank::Bank,
    name: &str,
    path: &Path,
) -> anyhow::Result<bool> {
    let user = store.local_user(name).await?;
    let stats = store
        .user_stats(user, Scope::All, Timestamp::system_now())
        .await?;
    let weeks = store.weekly_averages(user, Scope::All, false).await?;
    let data = ChartData::from_stats(&format!("Progress · {name}"), &stats, weeks, |t| {
        bank.topic_title(t).to_string()
    });
    if data.is_empty() {
        return Ok(false);
    }
    let png = render_png(&data)?;
    std::fs::write(path, png).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(true)
}
