//! Block-anchor: the first and last lines of `oldString` (three lines at
//! least) match lines of the file once trimmed, and the lines between are
//! similar enough. Catches a copy whose middle the model misremembered
//! slightly (a renamed variable, a typo).
//!
//! Similarity is the Levenshtein ratio, `1 − distance / length of the
//! longer`, between the middle lines of `oldString` and of the candidate
//! block, each trimmed and joined with `\n`. A block needs
//! [`MIN_SIMILARITY`]; OpenCode accepts any lone candidate (threshold 0),
//! which lets a stray `}` anchor replace code the model never showed, so
//! ours is strict. The block may have up to a quarter (at least one) more or
//! fewer lines than `oldString`; of the blocks starting at one line, the most
//! similar is taken.

use super::lines::{Haystack, OldLines, anchors_match, has_anchors};
use std::ops::Range;

/// How similar the middle lines must be, from 0 (anything) to 1 (equal
/// after trimming).
pub(super) const MIN_SIMILARITY: f64 = 0.8;

/// Every anchored block similar enough to `old`, in order.
pub(super) fn find(haystack: &Haystack<'_>, old: &str) -> Vec<Range<usize>> {
    let old = OldLines::new(old);
    if !has_anchors(&old) {
        return Vec::new();
    }
    let count = old.len();
    let slack = (count / 4).max(1);
    let shortest = count.saturating_sub(slack).max(3);
    let longest = count + slack;
    let head = old.lines[0].trim();
    let wanted = joined_trimmed(old.lines[1..count - 1].iter().copied());
    let mut found = Vec::new();
    let mut first = 0;
    while first + shortest <= haystack.line_count() {
        if haystack.line(first).trim() != head {
            first += 1;
            continue;
        }
        let mut best: Option<(f64, usize)> = None;
        for size in shortest..=longest {
            let last = first + size - 1;
            if last >= haystack.line_count() {
                break;
            }
            if !anchors_match(haystack, &old, first, last) {
                continue;
            }
            let middle = joined_trimmed(haystack.lines(first + 1, size - 2));
            let similarity = similarity(&wanted, &middle);
            if best.is_none_or(|(score, _)| similarity > score) {
                best = Some((similarity, size));
            }
        }
        match best {
            Some((similarity, size)) if similarity >= MIN_SIMILARITY => {
                found.push(haystack.block(first, size, old.ends_with_newline));
                first += size;
            }
            _ => first += 1,
        }
    }
    found
}

/// `lines`, each trimmed, joined with `\n`.
fn joined_trimmed<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    lines.map(str::trim).collect::<Vec<_>>().join("\n")
}

/// The Levenshtein ratio of `a` and `b`; texts whose lengths alone rule out
/// [`MIN_SIMILARITY`] are not compared (the distance is quadratic to
/// compute).
fn similarity(a: &str, b: &str) -> f64 {
    let (short, long) = {
        let (x, y) = (a.chars().count(), b.chars().count());
        (x.min(y), x.max(y))
    };
    // The distance is at least the difference in length.
    if long > 0 && (short as f64) / (long as f64) < MIN_SIMILARITY {
        return 0.0;
    }
    strsim::normalized_levenshtein(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_is_one_for_equal_text_and_low_for_different_text() {
        assert!((similarity("let a = 1;", "let a = 1;") - 1.0).abs() < f64::EPSILON);
        assert!(similarity("let total = 1;", "let totl = 1;") > MIN_SIMILARITY);
        assert!(similarity("abc", "a completely different line") < MIN_SIMILARITY);
    }
}
