//! Indentation-flexible: whole lines of the file equal `oldString`'s lines
//! once the indentation common to all of them is removed from both sides:
//! the model's copy is the right code at the wrong depth (it dropped the
//! indentation, or re-indented a nested block). The replacement is
//! re-indented: `newString`'s lines move by the same shift, from
//! `oldString`'s common indentation to the file's.
//!
//! Each line keeps its own indentation beyond the common part, and blank
//! lines match blank lines whatever whitespace they hold.

use super::lines::{Haystack, OldLines};
use std::ops::Range;

/// Every block that is `old` at another indentation, in order.
pub(super) fn find(haystack: &Haystack<'_>, old: &str) -> Vec<Range<usize>> {
    let old = OldLines::new(old);
    let old_indent = common_indent(old.lines.iter().copied());
    let wanted: Vec<&str> = old
        .lines
        .iter()
        .map(|line| dedent(line, old_indent))
        .collect();
    let count = wanted.len();
    let mut found = Vec::new();
    let mut first = 0;
    while first + count <= haystack.line_count() {
        if is_shifted_copy(haystack, first, &wanted) {
            found.push(haystack.block(first, count, old.ends_with_newline));
            first += count;
        } else {
            first += 1;
        }
    }
    found
}

/// Whether lines `first..` of the file are the `wanted` (dedented) lines
/// under a common indentation of their own.
fn is_shifted_copy(haystack: &Haystack<'_>, first: usize, wanted: &[&str]) -> bool {
    // Cheap test first: equal once trimmed (a necessary condition).
    let trimmed_equal = haystack
        .lines(first, wanted.len())
        .zip(wanted)
        .all(|(line, wanted)| line.trim() == wanted.trim());
    if !trimmed_equal {
        return false;
    }
    let indent = common_indent(haystack.lines(first, wanted.len()));
    haystack
        .lines(first, wanted.len())
        .zip(wanted)
        .all(|(line, wanted)| dedent(line, indent) == *wanted)
}

/// `new` moved from `old`'s common indentation to that of the `matched`
/// lines of the file. A line of `new` indented less than `old`'s common
/// indentation loses what it has of it; blank lines stay as they are.
pub(super) fn reindent(matched: &str, old: &str, new: &str) -> String {
    let from = common_indent(OldLines::new(old).lines.into_iter());
    let to = common_indent(matched.split('\n'));
    if from == to {
        return new.to_string();
    }
    let mut shifted = String::with_capacity(new.len() + new.len() / 8);
    for line in new.split_inclusive('\n') {
        if line.trim().is_empty() {
            shifted.push_str(line);
            continue;
        }
        let own = leading_whitespace(line);
        let shared = own
            .char_indices()
            .zip(from.chars())
            .find(|((_, a), b)| a != b)
            .map_or(own.len().min(from.len()), |((at, _), _)| at);
        shifted.push_str(to);
        shifted.push_str(&line[shared..]);
    }
    shifted
}

/// The leading whitespace every non-blank line of `lines` starts with
/// (empty if there is no non-blank line).
fn common_indent<'a>(lines: impl Iterator<Item = &'a str>) -> &'a str {
    let mut common: Option<&str> = None;
    for line in lines.filter(|line| !line.trim().is_empty()) {
        let indent = leading_whitespace(line);
        common = Some(match common {
            None => indent,
            Some(so_far) => {
                let shared = so_far
                    .char_indices()
                    .zip(indent.chars())
                    .find(|((_, a), b)| a != b)
                    .map_or(so_far.len().min(indent.len()), |((at, _), _)| at);
                &so_far[..shared]
            }
        });
    }
    common.unwrap_or_default()
}

/// `line` without `indent` (blank lines become empty).
fn dedent<'a>(line: &'a str, indent: &str) -> &'a str {
    if line.trim().is_empty() {
        ""
    } else {
        line.strip_prefix(indent).unwrap_or(line)
    }
}

/// The whitespace `line` starts with.
fn leading_whitespace(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_block_is_found() {
        let haystack = Haystack::new("fn f() {\n        if x {\n            y();\n        }\n}\n");
        let found = find(&haystack, "if x {\n    y();\n}");
        assert_eq!(found.len(), 1);
        assert_eq!(
            &haystack.text[found[0].clone()],
            "        if x {\n            y();\n        }"
        );
    }

    #[test]
    fn relative_indentation_must_agree() {
        let haystack = Haystack::new("  a\n  b\n");
        assert!(find(&haystack, "a\n    b").is_empty());
    }

    #[test]
    fn new_text_moves_by_the_same_shift() {
        let matched = "        if x {\n            y();\n        }";
        let reindented = reindent(matched, "if x {\n    y();\n}", "if x {\n    z();\n\n}\n");
        assert_eq!(
            reindented,
            "        if x {\n            z();\n\n        }\n"
        );
    }
}
