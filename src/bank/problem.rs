//! A problem found in the bank: where it is and what to do about it.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

impl Problem {
    /// The problem with its file (and any path in its message) relative to
    /// the bank folder `dir`, so that a host's own folders never reach a chat.
    pub fn relative_to(&self, dir: &Path) -> String {
        let file = match self.file.strip_prefix(dir) {
            Ok(r) if r.as_os_str().is_empty() => "the bank folder".to_string(),
            Ok(r) => r.display().to_string(),
            Err(_) => self
                .file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "a bank file".into()),
        };
        let base = dir.display().to_string();
        let message = self
            .message
            .replace(&format!("{base}{}", std::path::MAIN_SEPARATOR), "")
            .replace(&base, "the bank folder");
        format!("{file}:{}: {message}", self.line)
    }
}

/// Every problem found in one load, in file and line order.
#[derive(Debug, Clone, thiserror::Error)]
pub struct BankErrors(pub Vec<Problem>);

impl fmt::Display for BankErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe("the question bank"))
    }
}

impl BankErrors {
    /// "`what` has N problems:" and each problem on a line of its own.
    pub fn describe(&self, what: &str) -> String {
        let n = self.0.len();
        let mut out = format!("{what} has {n} problem{}:\n", if n == 1 { "" } else { "s" });
        for p in &self.0 {
            out.push_str(&format!("  {p}\n"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_name_files_relative_to_the_bank_folder() {
        let dir = PathBuf::from("/srv/secret-host/bank");
        let p = Problem {
            file: dir.join("python.yaml"),
            line: 7,
            message: format!(
                "duplicate id `a` (first used at {}:3)",
                dir.join("core.yaml").display()
            ),
        };
        assert_eq!(
            p.relative_to(&dir),
            "python.yaml:7: duplicate id `a` (first used at core.yaml:3)"
        );
        let folder = Problem {
            file: dir.clone(),
            line: 1,
            message: "cannot read the bank folder: denied".into(),
        };
        assert!(!folder.relative_to(&dir).contains("/srv"));
        let elsewhere = Problem {
            file: PathBuf::from("/etc/other/topics.yaml"),
            line: 1,
            message: "bad".into(),
        };
        assert_eq!(elsewhere.relative_to(&dir), "topics.yaml:1: bad");
    }
}
