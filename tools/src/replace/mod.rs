//! Finding the model's `oldString` in a file and replacing it: the matching
//! behind `edit` and `multiedit`, OpenCode's chain of replacers rebuilt.
//!
//! Models copy text imperfectly: a space lost at a line end, a block pasted
//! at the wrong depth, a line break written as `\n`. So after an exact match
//! fails, looser [`Strategy`]s are tried in [`CHAIN`] order, one file per
//! strategy in this folder:
//!
//! 1. `exact`
//! 2. `line_trimmed`: lines equal once trimmed
//! 3. `block_anchor`: first and last lines as anchors, similar middle
//! 4. `whitespace_normalized`: runs of whitespace count as one
//! 5. `indentation_flexible`: the same lines at another indentation
//!    (`newString` is re-indented to match)
//! 6. `escape_normalized`: `\n`, `\t`, `\"` … unescaped
//! 7. `trimmed_boundary`: leading and trailing whitespace ignored
//! 8. `context_aware`: anchors plus half of the middle lines
//!
//! The first strategy that finds the text anywhere wins, and its matches are
//! all there is: one match is replaced; several are an error
//! ([`ReplaceError::Ambiguous`]) unless every one is to be replaced.
//!
//! One refinement: a block that is `oldString` at another indentation is also
//! equal to it once lines are trimmed, so line-trimmed (and block-anchor and
//! whitespace-normalised) would always take it first and insert `newString`
//! at the model's depth. When every match such a strategy finds is a block
//! indentation-flexible also accepts, the strategy stands aside, so that the
//! block is matched by indentation-flexible and `newString` re-indented.
//!
//! `newString` is inserted literally: `$1`, `$&` and `\1` mean nothing here.

mod block_anchor;
mod context_aware;
mod escape_normalized;
mod exact;
mod indentation_flexible;
mod line_trimmed;
mod lines;
mod trimmed_boundary;
mod whitespace_normalized;

use lines::Haystack;
use std::borrow::Cow;
use std::ops::Range;

/// One way of finding `oldString` in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strategy {
    /// The text as it is.
    Exact,
    /// Whole lines, equal once each is trimmed.
    LineTrimmed,
    /// First and last lines equal once trimmed, middle lines similar.
    BlockAnchor,
    /// Runs of whitespace count as one space.
    WhitespaceNormalized,
    /// The same lines under another common indentation; re-indents the
    /// replacement.
    IndentationFlexible,
    /// Escape sequences in `oldString` (and `newString`) unescaped.
    EscapeNormalized,
    /// `oldString` without its leading and trailing whitespace.
    TrimmedBoundary,
    /// First and last lines equal once trimmed, half the middle lines too.
    ContextAware,
}

/// The strategies in the order they are tried, strictest first.
pub(crate) const CHAIN: [Strategy; 8] = [
    Strategy::Exact,
    Strategy::LineTrimmed,
    Strategy::BlockAnchor,
    Strategy::WhitespaceNormalized,
    Strategy::IndentationFlexible,
    Strategy::EscapeNormalized,
    Strategy::TrimmedBoundary,
    Strategy::ContextAware,
];

impl Strategy {
    /// The strategy's name, as outputs and errors show it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::LineTrimmed => "line-trimmed",
            Self::BlockAnchor => "block-anchor",
            Self::WhitespaceNormalized => "whitespace-normalised",
            Self::IndentationFlexible => "indentation-flexible",
            Self::EscapeNormalized => "escape-normalised",
            Self::TrimmedBoundary => "trimmed-boundary",
            Self::ContextAware => "context-aware",
        }
    }

    /// What a match by this strategy says about the model's `oldString`, for
    /// the output: the model should know its copy was not exact.
    pub(crate) fn explanation(self) -> &'static str {
        match self {
            Self::Exact => "oldString matched exactly",
            Self::LineTrimmed => {
                "oldString differed from the file in whitespace at line starts or ends"
            }
            Self::BlockAnchor => {
                "oldString's first and last lines matched and the lines between were similar \
                 but not equal; check the diff"
            }
            Self::WhitespaceNormalized => "oldString differed from the file in spacing",
            Self::IndentationFlexible => {
                "oldString was indented differently from the file; newString was re-indented \
                 to the file's indentation"
            }
            Self::EscapeNormalized => {
                "oldString held escape sequences such as \\n where the file has the characters; \
                 newString was unescaped the same way"
            }
            Self::TrimmedBoundary => {
                "oldString had extra whitespace at its start or end; newString was trimmed the \
                 same way"
            }
            Self::ContextAware => {
                "only oldString's first and last lines and half of the lines between matched; \
                 check the diff"
            }
        }
    }

    /// Where `old` occurs: non-overlapping byte ranges, in order.
    fn find(self, haystack: &Haystack<'_>, old: &str) -> Vec<Range<usize>> {
        match self {
            Self::Exact => exact::find(haystack, old),
            Self::LineTrimmed => line_trimmed::find(haystack, old),
            Self::BlockAnchor => block_anchor::find(haystack, old),
            Self::WhitespaceNormalized => whitespace_normalized::find(haystack, old),
            Self::IndentationFlexible => indentation_flexible::find(haystack, old),
            Self::EscapeNormalized => escape_normalized::find(haystack, old),
            Self::TrimmedBoundary => trimmed_boundary::find(haystack, old),
            Self::ContextAware => context_aware::find(haystack, old),
        }
    }

    /// The text that replaces `matched`, a match of `old`: `new`, adapted
    /// where the strategy matched `old` in another form.
    fn new_text<'a>(self, matched: &str, old: &str, new: &'a str) -> Cow<'a, str> {
        match self {
            Self::IndentationFlexible => indentation_flexible::reindent(matched, old, new).into(),
            Self::EscapeNormalized => escape_normalized::unescape(new),
            Self::WhitespaceNormalized | Self::TrimmedBoundary => {
                trimmed_boundary::trim_like(old, new).into()
            }
            Self::Exact | Self::LineTrimmed | Self::BlockAnchor | Self::ContextAware => new.into(),
        }
    }

    /// Whether this strategy comes before indentation-flexible and would
    /// also accept a merely re-indented block (see the module docs).
    fn accepts_shifted_blocks(self) -> bool {
        matches!(
            self,
            Self::LineTrimmed | Self::BlockAnchor | Self::WhitespaceNormalized
        )
    }
}

/// Why a replacement could not be made. Nothing was replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReplaceError {
    /// No strategy found the text.
    NotFound,
    /// The first strategy to find the text found it in `count` places, and
    /// replacing every one was not asked for.
    Ambiguous {
        /// How many places.
        count: usize,
        /// The strategy that found them.
        strategy: Strategy,
    },
}

/// The text after a replacement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Replaced {
    /// The whole new text.
    pub(crate) content: String,
    /// How many places were replaced.
    pub(crate) count: usize,
    /// The strategy that found them.
    pub(crate) strategy: Strategy,
}

/// Replaces `old` with `new` in `content`: the one place the first
/// successful strategy finds, or every place if `replace_all`. An empty or
/// all-whitespace `old` is only matched exactly (an empty one never).
pub(crate) fn replace(
    content: &str,
    old: &str,
    new: &str,
    replace_all: bool,
) -> Result<Replaced, ReplaceError> {
    if old.is_empty() {
        return Err(ReplaceError::NotFound);
    }
    let haystack = Haystack::new(content);
    let only_exact = old.trim().is_empty();
    let mut shifted_blocks: Option<Vec<Range<usize>>> = None;
    for strategy in CHAIN {
        if only_exact && strategy != Strategy::Exact {
            break;
        }
        let found = if strategy == Strategy::IndentationFlexible
            && let Some(shifted) = shifted_blocks.take()
        {
            // Already found while the strategies before it were checked.
            shifted
        } else {
            strategy.find(&haystack, old)
        };
        if found.is_empty() {
            continue;
        }
        if strategy.accepts_shifted_blocks() {
            let shifted = shifted_blocks
                .get_or_insert_with(|| Strategy::IndentationFlexible.find(&haystack, old));
            if found.iter().all(|range| overlaps_any(range, shifted)) {
                continue;
            }
        }
        if found.len() > 1 && !replace_all {
            return Err(ReplaceError::Ambiguous {
                count: found.len(),
                strategy,
            });
        }
        let count = found.len();
        let pieces: Vec<(Range<usize>, Cow<'_, str>)> = found
            .into_iter()
            .map(|range| {
                let matched = content.get(range.clone()).unwrap_or_default();
                let text = strategy.new_text(matched, old, new);
                (range, text)
            })
            .collect();
        return Ok(Replaced {
            content: splice(content, &pieces),
            count,
            strategy,
        });
    }
    Err(ReplaceError::NotFound)
}

/// Whether `range` overlaps one of the ordered, non-overlapping `ranges`.
fn overlaps_any(range: &Range<usize>, ranges: &[Range<usize>]) -> bool {
    let after = ranges.partition_point(|other| other.end <= range.start);
    ranges
        .get(after)
        .is_some_and(|other| other.start < range.end)
}

/// `content` with each of the ordered, non-overlapping ranges replaced by
/// its text.
fn splice(content: &str, pieces: &[(Range<usize>, Cow<'_, str>)]) -> String {
    let added: usize = pieces.iter().map(|(_, text)| text.len()).sum();
    let mut result = String::with_capacity(content.len() + added);
    let mut copied = 0;
    for (range, text) in pieces {
        result.push_str(content.get(copied..range.start).unwrap_or_default());
        result.push_str(text);
        copied = range.end;
    }
    result.push_str(content.get(copied..).unwrap_or_default());
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_occurrence_is_replaced_exactly() {
        assert_eq!(
            replace("let a = 1;\nlet b = 2;\n", "b = 2", "b = 3", false),
            Ok(Replaced {
                content: "let a = 1;\nlet b = 3;\n".to_string(),
                count: 1,
                strategy: Strategy::Exact
            })
        );
    }

    #[test]
    fn several_occurrences_need_replace_all() {
        assert_eq!(
            replace("x x x", "x", "y", false),
            Err(ReplaceError::Ambiguous {
                count: 3,
                strategy: Strategy::Exact
            })
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
        assert_eq!(replace("abc", "", "x", true), Err(ReplaceError::NotFound));
    }

    #[test]
    fn whitespace_only_old_text_is_matched_exactly_or_not_at_all() {
        assert_eq!(
            replace("a\n\nb", "  ", "x", false),
            Err(ReplaceError::NotFound)
        );
    }

    /// For each strategy, a case that every strategy before it misses (so
    /// it is the one that matches), and its winning there.
    #[test]
    fn each_strategy_has_a_case_no_earlier_strategy_matches() {
        let cases = [
            ("    foo();  \n", "foo();\n", Strategy::LineTrimmed),
            (
                "fn f() {\n    let total = a + b;\n    total\n}\n",
                "fn f() {\n    let totl = a + b;\n    totl\n}",
                Strategy::BlockAnchor,
            ),
            (
                "let x = 1;\n",
                "let  x  = 1;",
                Strategy::WhitespaceNormalized,
            ),
            ("  a\n    b\n", "a\n  b", Strategy::IndentationFlexible),
            ("a\nb\n", "a\\nb", Strategy::EscapeNormalized),
            ("call(foo(x));\n", "\tfoo(x)\n", Strategy::TrimmedBoundary),
            (
                "if a {\n  one();\n  two();\n  three();\n}\n",
                "if a {\n  one();\n  two();\n  something_else_entirely(with, many, args);\n}",
                Strategy::ContextAware,
            ),
        ];
        for (content, old, expected) in cases {
            let haystack = Haystack::new(content);
            for earlier in CHAIN.iter().take_while(|strategy| **strategy != expected) {
                let found = earlier.find(&haystack, old);
                // Shifted blocks are left to indentation-flexible.
                let stands_aside =
                    expected == Strategy::IndentationFlexible && earlier.accepts_shifted_blocks();
                assert!(
                    found.is_empty() || stands_aside,
                    "{} matches {old:?} before {}",
                    earlier.name(),
                    expected.name()
                );
            }
            assert_eq!(
                replace(content, old, "new", false).map(|replaced| replaced.strategy),
                Ok(expected),
                "{old:?} in {content:?}"
            );
        }
    }

    #[test]
    fn overlap_is_found_by_binary_search() {
        let ranges = [0..2, 5..8, 10..12];
        assert!(overlaps_any(&(6..7), &ranges));
        assert!(overlaps_any(&(1..6), &ranges));
        assert!(!overlaps_any(&(2..5), &ranges));
        assert!(!overlaps_any(&(12..20), &ranges));
    }
}
