//! The text being searched, seen line by line, and the model's `oldString`
//! split the same way: what the line-based strategies (line-trimmed,
//! block-anchor, indentation-flexible, context-aware) work on.

use std::cell::OnceCell;
use std::ops::Range;

/// The file's text, with its line table built only when a line-based
/// strategy first asks for it (an exact match never needs it).
pub(super) struct Haystack<'a> {
    /// The whole text.
    pub(super) text: &'a str,
    /// Byte ranges of the lines, without their `\n`.
    spans: OnceCell<Vec<Range<usize>>>,
}

impl<'a> Haystack<'a> {
    /// `text`, not yet split into lines.
    pub(super) fn new(text: &'a str) -> Self {
        Self {
            text,
            spans: OnceCell::new(),
        }
    }

    /// Byte ranges of every line, without the `\n`. A final `\n` does not
    /// start another (empty) line.
    fn spans(&self) -> &[Range<usize>] {
        self.spans.get_or_init(|| {
            let mut spans = Vec::with_capacity(self.text.len() / 32 + 1);
            let mut start = 0;
            for (at, _) in self.text.match_indices('\n') {
                spans.push(start..at);
                start = at + 1;
            }
            if start < self.text.len() {
                spans.push(start..self.text.len());
            }
            spans
        })
    }

    /// How many lines the text has.
    pub(super) fn line_count(&self) -> usize {
        self.spans().len()
    }

    /// Line `index` (0-based), without its `\n`; empty past the end.
    pub(super) fn line(&self, index: usize) -> &'a str {
        self.spans()
            .get(index)
            .and_then(|span| self.text.get(span.clone()))
            .unwrap_or_default()
    }

    /// The lines `first..first + count`, as a slice of the text.
    pub(super) fn lines(&self, first: usize, count: usize) -> impl Iterator<Item = &'a str> {
        (first..first + count).map(move |index| self.line(index))
    }

    /// The byte range of lines `first..first + count`, from the start of the
    /// first to the end of the last, and past its `\n` too if
    /// `with_newline` (when the model's text ended with one).
    pub(super) fn block(&self, first: usize, count: usize, with_newline: bool) -> Range<usize> {
        let spans = self.spans();
        let start = spans.get(first).map_or(self.text.len(), |span| span.start);
        let last = (first + count).saturating_sub(1);
        let mut end = spans.get(last).map_or(self.text.len(), |span| span.end);
        if with_newline && end < self.text.len() {
            end += 1;
        }
        start..end
    }
}

/// The model's `oldString` as lines.
pub(super) struct OldLines<'a> {
    /// Its lines; a final `\n` does not add an empty one.
    pub(super) lines: Vec<&'a str>,
    /// Whether it ended with `\n`, so the match takes the file's `\n` too.
    pub(super) ends_with_newline: bool,
}

impl<'a> OldLines<'a> {
    /// Splits `old` into lines.
    pub(super) fn new(old: &'a str) -> Self {
        let ends_with_newline = old.ends_with('\n');
        let body = old.strip_suffix('\n').unwrap_or(old);
        Self {
            lines: body.split('\n').collect(),
            ends_with_newline,
        }
    }

    /// How many lines.
    pub(super) fn len(&self) -> usize {
        self.lines.len()
    }
}

/// Whether the trimmed first and last lines of `old` (three lines at least,
/// both anchors non-blank: a blank anchor would match anywhere) are at lines
/// `first` and `last` of the file.
pub(super) fn anchors_match(
    haystack: &Haystack<'_>,
    old: &OldLines<'_>,
    first: usize,
    last: usize,
) -> bool {
    match (old.lines.first(), old.lines.last()) {
        (Some(head), Some(tail)) => {
            haystack.line(first).trim() == head.trim() && haystack.line(last).trim() == tail.trim()
        }
        _ => false,
    }
}

/// Whether `old` can be anchored: at least three lines, and non-blank first
/// and last lines.
pub(super) fn has_anchors(old: &OldLines<'_>) -> bool {
    old.len() >= 3
        && old
            .lines
            .first()
            .is_some_and(|line| !line.trim().is_empty())
        && old.lines.last().is_some_and(|line| !line.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_blocks_follow_the_text() {
        let haystack = Haystack::new("a\nbb\nc");
        assert_eq!(haystack.line_count(), 3);
        assert_eq!(haystack.line(1), "bb");
        assert_eq!(haystack.block(0, 2, false), 0..4);
        assert_eq!(haystack.block(0, 2, true), 0..5);
        assert_eq!(haystack.block(2, 1, true), 5..6);
    }

    #[test]
    fn a_final_newline_adds_no_line() {
        assert_eq!(Haystack::new("a\n").line_count(), 1);
        let old = OldLines::new("x\ny\n");
        assert_eq!(old.lines, vec!["x", "y"]);
        assert!(old.ends_with_newline);
    }
}
