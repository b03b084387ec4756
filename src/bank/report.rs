//! Collecting the problems of one file, each at its line.

use super::lines::Lines;
use super::problem::Problem;
use std::path::PathBuf;

pub struct FileReport<'a> {
    pub path: PathBuf,
    pub text: &'a str,
    pub lines: &'a Lines<'a>,
    pub problems: &'a mut Vec<Problem>,
}

impl FileReport<'_> {
    pub fn at(&mut self, line: usize, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.path.clone(),
            line: line.max(1),
            message: message.into(),
        });
    }
}
