//! Whitespace-normalised: `oldString` matches once every run of whitespace
//! (spaces, tabs, line breaks) on both sides counts as one. Catches a copy
//! with different spacing inside lines (`let  x =  1` for `let x = 1`), which
//! the line-based strategies miss.
//!
//! Whitespace at the ends of `oldString` must meet whitespace (or the start
//! or end of the file) but is not part of the match, and the same whitespace
//! is taken off `newString` (see [`super::trimmed_boundary::trim_like`]):
//! otherwise a leading run would swallow the line break before the match.

use super::lines::Haystack;
use std::ops::Range;

/// One step of a match: a run of whitespace (at least one character), or one
/// character that must be there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// One or more whitespace characters.
    Space,
    /// This character.
    Char(char),
}

/// Every non-overlapping match of `old` with whitespace runs normalised, in
/// order.
pub(super) fn find(haystack: &Haystack<'_>, old: &str) -> Vec<Range<usize>> {
    let core = old.trim();
    let Some(first) = core.chars().next() else {
        return Vec::new();
    };
    let needs_space_before = old.starts_with(char::is_whitespace);
    let needs_space_after = old.ends_with(char::is_whitespace);
    if !needs_space_before && !needs_space_after && !core.contains(char::is_whitespace) {
        // Nothing to normalise: this would be the exact match, which failed.
        return Vec::new();
    }
    let tokens = tokens(core);
    let text = haystack.text;
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = text.get(from..).and_then(|rest| rest.find(first)) {
        let start = from + offset;
        let next = start + first.len_utf8();
        let space_before = text
            .get(..start)
            .is_none_or(|before| before.is_empty() || before.ends_with(char::is_whitespace));
        let end = match_at(text, start, &tokens);
        match end {
            Some(end)
                if (!needs_space_before || space_before)
                    && (!needs_space_after || space_after(text, end)) =>
            {
                found.push(start..end);
                from = end;
            }
            _ => from = next,
        }
    }
    found
}

/// `text` as tokens: each whitespace run becomes one [`Token::Space`].
fn tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c.is_whitespace() {
            if tokens.last() != Some(&Token::Space) {
                tokens.push(Token::Space);
            }
        } else {
            tokens.push(Token::Char(c));
        }
    }
    tokens
}

/// Where a match of `tokens` starting at `start` ends, if there is one.
/// A space token takes the whole whitespace run (the next token is never a
/// space, so nothing is lost by being greedy).
fn match_at(text: &str, start: usize, tokens: &[Token]) -> Option<usize> {
    let rest = text.get(start..)?;
    let mut chars = rest.char_indices().peekable();
    for token in tokens {
        match token {
            Token::Char(wanted) => match chars.next() {
                Some((_, c)) if c == *wanted => {}
                _ => return None,
            },
            Token::Space => {
                let mut consumed = 0;
                while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {
                    consumed += 1;
                }
                if consumed == 0 {
                    return None;
                }
            }
        }
    }
    Some(start + chars.peek().map_or(rest.len(), |(at, _)| *at))
}

/// Whether whitespace, or the end of the text, follows `end`.
fn space_after(text: &str, end: usize) -> bool {
    text.get(end..)
        .and_then(|rest| rest.chars().next())
        .is_none_or(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_whitespace_match_each_other() {
        let haystack = Haystack::new("    let x = 1;\n");
        assert_eq!(find(&haystack, "let  x\t=  1;"), vec![4..14]);
    }

    #[test]
    fn whitespace_at_the_ends_must_meet_whitespace_but_is_not_matched() {
        let haystack = Haystack::new("call(foo(x));\n  foo(x)\n");
        assert_eq!(find(&haystack, "  foo(x)\n"), vec![16..22]);
    }

    #[test]
    fn a_run_needs_at_least_one_whitespace_character() {
        assert!(find(&Haystack::new("a=b"), "a = b").is_empty());
    }
}
