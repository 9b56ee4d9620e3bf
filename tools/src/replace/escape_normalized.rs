//! Escape-normalised: `oldString` occurs once its escape sequences (`\n`,
//! `\t`, `\r`, `\"`, `\'`, `` \` ``, `\$`, `\\`, and a backslash before a line
//! break) are turned into the characters they stand for. Catches a model
//! that escaped its arguments once too often, writing `\n` for a line break.
//!
//! Such a model escaped `newString` the same way, so it is unescaped too
//! before it is inserted.

use super::lines::Haystack;
use std::borrow::Cow;
use std::ops::Range;

/// Every occurrence of `old` unescaped, if unescaping changes it.
pub(super) fn find(haystack: &Haystack<'_>, old: &str) -> Vec<Range<usize>> {
    match unescape(old) {
        Cow::Owned(unescaped) if !unescaped.is_empty() => super::exact::find(haystack, &unescaped),
        _ => Vec::new(),
    }
}

/// `text` with its escape sequences replaced by what they stand for;
/// borrowed if it has none. An unknown sequence (`\d`) is kept as it is.
pub(super) fn unescape(text: &str) -> Cow<'_, str> {
    if !text.contains('\\') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let replacement = match chars.clone().next() {
            Some('n') | Some('\n') => Some('\n'),
            Some('t') => Some('\t'),
            Some('r') => Some('\r'),
            Some(quoted @ ('"' | '\'' | '`' | '$' | '\\')) => Some(quoted),
            _ => None,
        };
        match replacement {
            Some(replacement) => {
                chars.next();
                out.push(replacement);
                changed = true;
            }
            None => out.push(c),
        }
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_become_characters() {
        assert_eq!(
            unescape(r#"a\nb\t\"c\" \\ \$x \d"#),
            "a\nb\t\"c\" \\ $x \\d"
        );
        assert!(matches!(unescape("plain"), Cow::Borrowed("plain")));
        assert!(matches!(unescape(r"\d"), Cow::Borrowed(_)));
    }
}
