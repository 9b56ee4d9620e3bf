//! Finding a hunk's lines in a file, forgiving whitespace the model got
//! wrong: exact first, then ignoring trailing whitespace, then ignoring
//! leading and trailing whitespace. A stricter pass anywhere in the file
//! wins over a looser one nearer the start.

/// How two lines are compared, strictest first.
const PASSES: [fn(&str, &str) -> bool; 3] = [
    |a, b| a == b,
    |a, b| a.trim_end() == b.trim_end(),
    |a, b| a.trim() == b.trim(),
];

/// The first index at or after `from` where `lines` holds `pattern`, line
/// for line. With `at_end`, the place where `pattern` ends the file is tried
/// first. An empty pattern is found at `from`.
pub(super) fn seek<S: AsRef<str>>(
    lines: &[&str],
    pattern: &[S],
    from: usize,
    at_end: bool,
) -> Option<usize> {
    if pattern.is_empty() {
        return Some(from.min(lines.len()));
    }
    let last_start = lines.len().checked_sub(pattern.len())?;
    for same in PASSES {
        let matches_at = |start: usize| {
            lines[start..start + pattern.len()]
                .iter()
                .zip(pattern)
                .all(|(line, wanted)| same(line, wanted.as_ref()))
        };
        if at_end && last_start >= from && matches_at(last_start) {
            return Some(last_start);
        }
        if let Some(found) = (from..=last_start).find(|&start| matches_at(start)) {
            return Some(found);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_beats_loose_even_later_in_the_file() {
        let lines = ["a ", "b", "a", "b"];
        assert_eq!(seek(&lines, &["a", "b"], 0, false), Some(2));
    }

    #[test]
    fn trailing_then_surrounding_whitespace_is_forgiven() {
        let lines = ["fn f() {  ", "    x();", "}"];
        assert_eq!(seek(&lines, &["fn f() {"], 0, false), Some(0));
        assert_eq!(seek(&lines, &["x();"], 0, false), Some(1));
        assert_eq!(seek(&lines, &["y();"], 0, false), None);
    }

    #[test]
    fn search_starts_at_from_and_end_is_preferred_when_asked() {
        let lines = ["x", "y", "x"];
        assert_eq!(seek(&lines, &["x"], 1, false), Some(2));
        assert_eq!(seek(&lines, &["x"], 0, true), Some(2));
        assert_eq!(seek(&lines, &["x", "y", "x", "y"], 0, false), None);
    }
}
