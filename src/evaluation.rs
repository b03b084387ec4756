//! Measuring the grader on labelled answers: for each answer, the key points a
//! fair interviewer would credit and the grade they would give. Used by the
//! grading benchmark and by the test that keeps its quality from sliding.

use crate::bank::{yaml, Bank};
use crate::interview::scoring;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::Path;

/// The five kinds of answer in the labelled set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Strong,
    Paraphrased,
    Terse,
    Partial,
    Wrong,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Strong,
        Kind::Paraphrased,
        Kind::Terse,
        Kind::Partial,
        Kind::Wrong,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Strong => "strong",
            Kind::Paraphrased => "paraphrased",
            Kind::Terse => "terse",
            Kind::Partial => "partial",
            Kind::Wrong => "wrong",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labelled {
    pub question: String,
    pub kind: Kind,
    /// The interviewer's overall mark, 0-5.
    pub grade: u8,
    /// The key points (0-based) a fair interviewer would credit.
    pub credit: Vec<usize>,
    pub text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelledFile {
    answers: Vec<Labelled>,
}

/// Reads every `*.yaml` file of `dir`, in name order.
pub fn load_dir(dir: &Path) -> Result<Vec<Labelled>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        let file: LabelledFile =
            yaml::parse(&text).map_err(|e| format!("{}:{}: {}", f.display(), e.line, e.message))?;
        out.extend(file.answers);
    }
    Ok(out)
}

/// Key-point decisions, counted against the labels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub true_pos: u32,
    pub false_pos: u32,
    pub false_neg: u32,
    pub true_neg: u32,
}

impl Counts {
    fn add(&mut self, predicted: bool, labelled: bool) {
        match (predicted, labelled) {
            (true, true) => self.true_pos += 1,
            (true, false) => self.false_pos += 1,
            (false, true) => self.false_neg += 1,
            (false, false) => self.true_neg += 1,
        }
    }

    fn ratio(a: u32, b: u32) -> f64 {
        if a + b == 0 {
            0.0
        } else {
            f64::from(a) / f64::from(a + b)
        }
    }

    pub fn precision(&self) -> f64 {
        Self::ratio(self.true_pos, self.false_pos)
    }

    pub fn recall(&self) -> f64 {
        Self::ratio(self.true_pos, self.false_neg)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Of the key points the labels do not credit, the share credited anyway.
    pub fn false_credit(&self) -> f64 {
        Self::ratio(self.false_pos, self.true_neg)
    }
}

/// A key point the grader decided otherwise than the label.
#[derive(Debug, Clone)]
pub struct Mistake {
    pub question: String,
    pub kind: Kind,
    pub point: usize,
    /// True for credit the label withholds; false for a missed point.
    pub false_credit: bool,
    /// What was heard, for false credit.
    pub heard: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub mistakes: Vec<Mistake>,
    pub answers: usize,
    pub questions: usize,
    pub by_kind: BTreeMap<Kind, Counts>,
    pub overall: Counts,
    /// Spearman's rank correlation of coverage with the labelled grade.
    pub spearman: f64,
}

/// Grades every labelled answer with the bank's rubric and counts.
pub fn evaluate(bank: &Bank, answers: &[Labelled]) -> Result<Report, String> {
    let mut by_kind: BTreeMap<Kind, Counts> = BTreeMap::new();
    let mut overall = Counts::default();
    let (mut coverage, mut grades) = (Vec::new(), Vec::new());
    let mut questions: Vec<&str> = Vec::new();
    let mut mistakes = Vec::new();
    for a in answers {
        let q = bank
            .question(&a.question)
            .ok_or_else(|| format!("labelled answer for unknown question `{}`", a.question))?;
        if let Some(&bad) = a.credit.iter().find(|&&i| i >= q.key_points.len()) {
            return Err(format!(
                "`{}` has {} key points; credit {bad} is out of range",
                q.id,
                q.key_points.len()
            ));
        }
        let verdict = q.rubric.grade(&a.text);
        let covered = verdict.covered();
        let counts = by_kind.entry(a.kind).or_default();
        for (i, &hit) in covered.iter().enumerate() {
            let labelled = a.credit.contains(&i);
            counts.add(hit, labelled);
            overall.add(hit, labelled);
            if hit != labelled {
                mistakes.push(Mistake {
                    question: a.question.clone(),
                    kind: a.kind,
                    point: i,
                    false_credit: hit,
                    heard: verdict.points[i].heard.clone(),
                });
            }
        }
        coverage.push(f64::from(scoring::coverage_percent(&covered)));
        grades.push(f64::from(a.grade));
        if !questions.contains(&a.question.as_str()) {
            questions.push(&a.question);
        }
    }
    Ok(Report {
        mistakes,
        answers: answers.len(),
        questions: questions.len(),
        by_kind,
        overall,
        spearman: spearman(&coverage, &grades),
    })
}

/// Ranks from 1, ties given their mean rank.
fn ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && x[order[j + 1]] == x[order[i]] {
            j += 1;
        }
        let mean = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            r[k] = mean;
        }
        i = j + 1;
    }
    r
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    if a.is_empty() {
        return 0.0;
    }
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    if va == 0.0 || vb == 0.0 {
        0.0
    } else {
        cov / (va * vb).sqrt()
    }
}

pub fn spearman(a: &[f64], b: &[f64]) -> f64 {
    pearson(&ranks(a), &ranks(b))
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} labelled answers over {} questions",
            self.answers, self.questions
        );
        let _ = writeln!(
            out,
            "{:<12} {:>9} {:>6} {:>5} {:>12}",
            "kind", "precision", "recall", "F1", "false credit"
        );
        let rows = Kind::ALL
            .iter()
            .filter_map(|k| self.by_kind.get(k).map(|c| (k.name(), c)))
            .chain([("overall", &self.overall)]);
        for (name, c) in rows {
            let _ = writeln!(
                out,
                "{name:<12} {:>9.3} {:>6.3} {:>5.3} {:>12.3}",
                c.precision(),
                c.recall(),
                c.f1(),
                c.false_credit()
            );
        }
        let _ = writeln!(out, "Spearman (coverage vs grade): {:.3}", self.spearman);
        f.write_str(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_is_one_for_the_same_order_and_handles_ties() {
        assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]) - 1.0).abs() < 1e-9);
        assert!((spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-9);
        assert_eq!(ranks(&[5.0, 1.0, 5.0]), [2.5, 1.0, 2.5]);
    }

    #[test]
    fn counts_give_precision_recall_and_false_credit() {
        let mut c = Counts::default();
        for (p, l) in [(true, true), (true, false), (false, true), (false, false)] {
            c.add(p, l);
        }
        assert_eq!(
            (c.precision(), c.recall(), c.false_credit()),
            (0.5, 0.5, 0.5)
        );
    }
}
