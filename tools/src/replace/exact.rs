//! Exact: `oldString` occurs in the file as it is.

use super::lines::Haystack;
use std::ops::Range;

/// Every non-overlapping occurrence of `old`, in order.
pub(super) fn find(haystack: &Haystack<'_>, old: &str) -> Vec<Range<usize>> {
    haystack
        .text
        .match_indices(old)
        .map(|(start, found)| start..start + found.len())
        .collect()
}
