//! Finding the model's `oldString` in a file and replacing it: the matching
//! behind the edit tool.
//!
//! Strategies are tried in order and the first one that finds the text in
//! exactly one place (or anywhere, with `replaceAll`) wins, as in OpenCode's
//! edit tool. Only exact matching exists so far; tolerant strategies
//! (trimmed lines, flexible indentation, …) are added to [`STRATEGIES`].

use std::borrow::Cow;
use std::ops::Range;

/// Finds where `old` occurs in `content`: non-overlapping byte ranges, in
/// order. A strategy may match text that differs from `old` (whitespace, say).
type Strategy = fn(content: &str, old: &str) -> Vec<Range<usize>>;

/// The strategies, most exact first.
const STRATEGIES: &[Strategy] = &[exact_matches];

/// Why a replacement could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReplaceError {
    /// No strategy found the text.
    NotFound,
    /// The text occurs this many times and `replace_all` was not asked for.
    Ambiguous(usize),
}

/// The file's new contents and how many places changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Replaced {
    /// The whole new contents.
    pub(crate) content: String,
    /// How many occurrences were replaced.
    pub(crate) count: usize,
}

/// Replaces `old` with `new` in `content`: the one occurrence, or every one
/// if `replace_all`. `new` is inserted literally.
pub(crate) fn replace(
    content: &str,
    old: &str,
    new: &str,
    replace_all: bool,
) -> Result<Replaced, ReplaceError> {
    let mut ambiguous = None;
    for strategy in STRATEGIES {
        let matches = strategy(content, old);
        if matches.is_empty() {
            continue;
        }
        if replace_all || matches.len() == 1 {
            return Ok(Replaced {
                content: splice(content, &matches, new),
                count: matches.len(),
            });
        }
        ambiguous.get_or_insert(matches.len());
    }
    Err(ambiguous.map_or(ReplaceError::NotFound, ReplaceError::Ambiguous))
}

/// `text` with its line endings made to match `content`'s: a model usually
/// writes `\n` even when the file uses `\r\n`.
pub(crate) fn with_line_endings_of<'a>(content: &str, text: &'a str) -> Cow<'a, str> {
    if content.contains("\r\n") && text.contains('\n') && !text.contains('\r') {
        Cow::Owned(text.replace('\n', "\r\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Every exact occurrence of `old`.
fn exact_matches(content: &str, old: &str) -> Vec<Range<usize>> {
    content
        .match_indices(old)
        .map(|(start, found)| start..start + found.len())
        .collect()
}

/// `content` with each of the ordered, non-overlapping `ranges` replaced by
/// `new`.
fn splice(content: &str, ranges: &[Range<usize>], new: &str) -> String {
    let mut result = String::with_capacity(content.len() + new.len() * ranges.len());
    let mut copied = 0;
    for range in ranges {
        result.push_str(content.get(copied..range.start).unwrap_or_default());
        result.push_str(new);
        copied = range.end;
    }
    result.push_str(content.get(copied..).unwrap_or_default());
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_occurrence_is_replaced() {
        let replaced = replace("let a = 1;\nlet b = 2;\n", "b = 2", "b = 3", false);
        assert_eq!(
            replaced,
            Ok(Replaced {
                content: "let a = 1;\nlet b = 3;\n".to_string(),
                count: 1
            })
        );
    }

    #[test]
    fn several_occurrences_need_replace_all() {
        assert_eq!(
            replace("x x x", "x", "y", false),
            Err(ReplaceError::Ambiguous(3))
        );
        let replaced = replace("x x x", "x", "y", true).map(|r| r.content);
        assert_eq!(replaced, Ok("y y y".to_string()));
    }

    #[test]
    fn missing_text_is_not_found() {
        assert_eq!(
            replace("abc", "abd", "x", true),
            Err(ReplaceError::NotFound)
        );
    }

    #[test]
    fn line_endings_follow_the_file() {
        assert_eq!(with_line_endings_of("a\r\nb\r\n", "a\nb"), "a\r\nb");
        assert_eq!(with_line_endings_of("a\nb\n", "a\nb"), "a\nb");
    }
}
