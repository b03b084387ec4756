//! `interview-bot bank check FILE`: a server's pack checked before upload,
//! against the shipped bank, with the messages `/pack import` shows.

use crate::bank::{pack, Bank};
use std::path::Path;
use std::process::ExitCode;

/// Prints the pack's problems (exit 1) or what it holds (exit 0).
pub fn run(file: &Path, shipped: &Bank) -> anyhow::Result<ExitCode> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string());
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    match pack::check(shipped, &name, &bytes, pack::Lint::Check) {
        Ok(p) => {
            let topics: Vec<String> = p
                .counts_by_topic()
                .into_iter()
                .map(|(t, n)| {
                    let own = if p.topics.contains_key(t) {
                        " (new)"
                    } else {
                        ""
                    };
                    format!("{t} {n}{own}")
                })
                .collect();
            println!(
                "{name}: a pack of {} questions ({}), no problems",
                p.questions.len(),
                topics.join(", ")
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            print!("{}", errors.describe(&format!("the pack {name}")));
            Ok(ExitCode::FAILURE)
        }
    }
}
