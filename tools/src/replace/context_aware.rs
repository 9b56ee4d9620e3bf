//! Context-aware: the last resort. The first and last lines of `oldString`
//! (three lines at least) match lines of the file once trimmed, the block
//! between has as many lines as `oldString`, and at least half of
//! `oldString`'s non-blank middle lines equal the file's, line for line,
//! once trimmed. Catches a copy whose anchors are right but part of whose
//! middle is wrong, too wrong for block-anchor's similarity.

use super::lines::{Haystack, OldLines, anchors_match, has_anchors};
use std::ops::Range;

/// Every anchored block of `old`'s length where enough middle lines agree,
/// in order.
pub(super) fn find(haystack: &Haystack<'_>, old: &str) -> Vec<Range<usize>> {
    let old = OldLines::new(old);
    if !has_anchors(&old) {
        return Vec::new();
    }
    let count = old.len();
    let middle = &old.lines[1..count - 1];
    let non_blank = middle.iter().filter(|line| !line.trim().is_empty()).count();
    // Anchors around blank lines alone say nothing about what lies between.
    if non_blank == 0 {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut first = 0;
    while first + count <= haystack.line_count() {
        if !anchors_match(haystack, &old, first, first + count - 1) {
            first += 1;
            continue;
        }
        let agreeing = haystack
            .lines(first + 1, count - 2)
            .zip(middle)
            .filter(|(line, wanted)| !wanted.trim().is_empty() && line.trim() == wanted.trim())
            .count();
        if agreeing * 2 >= non_blank {
            found.push(haystack.block(first, count, old.ends_with_newline));
            first += count;
        } else {
            first += 1;
        }
    }
    found
}
