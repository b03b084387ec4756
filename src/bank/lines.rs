//! Finding where things are in a YAML file's text, for error locations.
//!
//! serde_yaml reports a location only for errors it raises itself; for the
//! rules we check after parsing we look the key up in the source text.

/// The 1-based line ranges `[start, end)` of the items of the block sequence
/// under the top-level key `key`.
pub fn sequence_items(text: &str, key: &str) -> Vec<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(key_idx) = lines.iter().position(|l| l.trim_end() == format!("{key}:")) else {
        return Vec::new();
    };
    let mut starts = Vec::new();
    let mut indent: Option<usize> = None;
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate().skip(key_idx + 1) {
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
    let mut out = Vec::new();
    for (n, &s) in starts.iter().enumerate() {
        let e = starts.get(n + 1).copied().unwrap_or(end);
        out.push((s + 1, e + 1));
    }
    out
}

/// The 1-based line of the first `key:` at or after `from` (1-based) and
/// before `to`, accepting a leading "- " list marker.
pub fn find_key(text: &str, key: &str, from: usize, to: usize) -> Option<usize> {
    find_nth_key(text, key, from, to, 0)
}

/// Like `find_key`, for the `nth` (0-based) occurrence.
pub fn find_nth_key(text: &str, key: &str, from: usize, to: usize, nth: usize) -> Option<usize> {
    let prefix = format!("{key}:");
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .take(to.saturating_sub(from))
        .filter(|(_, l)| {
            let t = l.trim_start();
            let t = t.strip_prefix("- ").map(str::trim_start).unwrap_or(t);
            t.starts_with(&prefix)
        })
        .nth(nth)
        .map(|(i, _)| i + 1)
}

/// The text of lines `[start, end)` (1-based).
pub fn slice(text: &str, start: usize, end: usize) -> String {
    let mut s = text
        .lines()
        .skip(start.saturating_sub(1))
        .take(end.saturating_sub(start))
        .collect::<Vec<_>>()
        .join("\n");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_items_finds_each_item_and_its_extent() {
        let text = "# c\nquestions:\n  - id: a\n    x: 1\n\n  - id: b\n    y:\n      - 2\n";
        assert_eq!(sequence_items(text, "questions"), vec![(3, 6), (6, 9)]);
        assert_eq!(find_key(text, "y", 6, 9), Some(7));
        assert_eq!(find_key(text, "id", 3, 6), Some(3));
    }
}
