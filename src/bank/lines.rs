//! Finding where things are in a YAML file's text, for error locations.
//!
//! serde_yaml reports a location only for errors it raises itself; for the
//! rules we check after parsing we look the key up in the source text.

/// A file's lines, split once, so that looking keys up for every question
/// stays linear in the file's size.
pub struct Lines<'a> {
    lines: Vec<&'a str>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        Lines {
            lines: text.lines().collect(),
        }
    }

    /// The 1-based line ranges `[start, end)` of the items of the block
    /// sequence under the top-level key `key`.
    pub fn sequence_items(&self, key: &str) -> Vec<(usize, usize)> {
        let header = format!("{key}:");
        let Some(key_idx) = self.lines.iter().position(|l| l.trim_end() == header) else {
            return Vec::new();
        };
        let mut starts = Vec::new();
        let mut indent: Option<usize> = None;
        let mut end = self.lines.len();
        for (i, line) in self.lines.iter().enumerate().skip(key_idx + 1) {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let ind = line.len() - trimmed.len();
            let is_item = trimmed == "-" || trimmed.starts_with("- ");
            match indent {
                None if is_item => {
                    indent = Some(ind);
                    starts.push(i);
                }
                Some(d) if is_item && ind == d => starts.push(i),
                Some(d) if ind < d || (ind == 0 && !is_item) => {
                    end = i;
                    break;
                }
                None if ind == 0 => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        starts
            .iter()
            .enumerate()
            .map(|(n, &s)| (s + 1, starts.get(n + 1).copied().unwrap_or(end) + 1))
            .collect()
    }

    /// The 1-based line of the first `key:` in lines `[from, to)` (1-based),
    /// accepting a leading "- " list marker.
    pub fn find_key(&self, key: &str, from: usize, to: usize) -> Option<usize> {
        self.find_nth_key(key, from, to, 0)
    }

    /// Like `find_key`, for the `nth` (0-based) occurrence.
    pub fn find_nth_key(&self, key: &str, from: usize, to: usize, nth: usize) -> Option<usize> {
        let prefix = format!("{key}:");
        let (lo, hi) = self.range(from, to);
        self.lines[lo..hi]
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                let t = l.trim_start();
                let t = t.strip_prefix("- ").map(str::trim_start).unwrap_or(t);
                t.starts_with(&prefix)
            })
            .nth(nth)
            .map(|(i, _)| lo + i + 1)
    }

    /// 0-based `[lo, hi)` indexes for 1-based `[from, to)`, clamped.
    fn range(&self, from: usize, to: usize) -> (usize, usize) {
        let lo = from.saturating_sub(1).min(self.lines.len());
        let hi = to.saturating_sub(1).clamp(lo, self.lines.len());
        (lo, hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_items_finds_each_item_and_its_extent() {
        let text = "# c\nquestions:\n  - id: a\n    x: 1\n\n  - id: b\n    y:\n      - 2\n";
        let lines = Lines::new(text);
        assert_eq!(lines.sequence_items("questions"), vec![(3, 6), (6, 9)]);
        assert_eq!(lines.find_key("y", 6, 9), Some(7));
        assert_eq!(lines.find_key("id", 3, 6), Some(3));
        assert_eq!(lines.find_nth_key("id", 1, usize::MAX, 1), Some(6));
    }
}
