//! Line-trimmed: whole lines of the file that equal `oldString`'s lines once
//! leading and trailing whitespace is trimmed from each. Catches a copy that
//! lost or gained spaces at line starts or ends.

use super::lines::{Haystack, OldLines};
use std::ops::Range;

/// Every run of lines equal to `old`'s lines after trimming, in order.
pub(super) fn find(haystack: &Haystack<'_>, old: &str) -> Vec<Range<usize>> {
    let old = OldLines::new(old);
    let wanted: Vec<&str> = old.lines.iter().map(|line| line.trim()).collect();
    let count = wanted.len();
    let mut found = Vec::new();
    let mut first = 0;
    while first + count <= haystack.line_count() {
        let equal = haystack
            .lines(first, count)
            .zip(&wanted)
            .all(|(line, wanted)| line.trim() == *wanted);
        if equal {
            found.push(haystack.block(first, count, old.ends_with_newline));
            first += count;
        } else {
            first += 1;
        }
    }
    found
}
