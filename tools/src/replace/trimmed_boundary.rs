//! Trimmed-boundary: `oldString` with its leading and trailing whitespace
//! taken off occurs exactly. Catches a copy that picked up stray blank lines
//! or indentation around text that sits mid-line in the file (`foo(x)` in
//! `bar(foo(x))`), where whitespace-normalised finds no whitespace to meet.

use super::lines::Haystack;
use std::ops::Range;

/// Every occurrence of `old` trimmed, if trimming changes it.
pub(super) fn find(haystack: &Haystack<'_>, old: &str) -> Vec<Range<usize>> {
    let trimmed = old.trim();
    if trimmed.is_empty() || trimmed.len() == old.len() {
        return Vec::new();
    }
    super::exact::find(haystack, trimmed)
}

/// `new` without the whitespace `old` had at its ends and the match left
/// out: as much of `old`'s leading whitespace as `new` starts with, and as
/// much of its trailing whitespace as `new` ends with. The file keeps its
/// own whitespace around the match, so `new` must not bring a second copy.
pub(super) fn trim_like<'a>(old: &str, new: &'a str) -> &'a str {
    let old_lead = &old[..old.len() - old.trim_start().len()];
    let old_trail = &old[old.trim_end().len()..];
    let new_lead = &new[..new.len() - new.trim_start().len()];
    let lead = common_prefix_len(old_lead, new_lead);
    let rest = &new[lead..];
    let new_trail = &rest[rest.trim_end().len()..];
    let trail = common_suffix_len(old_trail, new_trail);
    &rest[..rest.len() - trail]
}

/// Bytes `a` and `b` share at their start, on a character boundary.
fn common_prefix_len(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((at, _), _)| at)
}

/// Bytes `a` and `b` share at their end, on a character boundary.
fn common_suffix_len(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_loses_the_whitespace_old_lost() {
        assert_eq!(trim_like("  foo\n", "  bar\n"), "bar");
        assert_eq!(trim_like("\n\nfoo(x)", "\n\nfoo(y)\n"), "foo(y)\n");
        assert_eq!(trim_like("foo ", "bar"), "bar");
        assert_eq!(trim_like("    a", "  b"), "b");
    }
}
