//! A unified diff for a terminal: added lines green, removed lines red,
//! hunk headers cyan, file headers bold. Without color, byte for byte the
//! diff it was given.

use super::color::{self, ADDED, BOLD, CODE, REMOVED};

/// `diff`, colored line by line when `color`. Line endings (`\n`, `\r\n`)
/// stay outside the color codes, so the text between them is unchanged.
pub fn colored(diff: &str, color: bool) -> String {
    if !color {
        return diff.to_string();
    }
    let mut out = String::with_capacity(diff.len() + diff.len() / 4);
    for line in diff.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let ending = &line[body.len()..];
        let style = if body.starts_with("+++") || body.starts_with("---") {
            Some(BOLD)
        } else if body.starts_with('+') {
            Some(ADDED)
        } else if body.starts_with('-') {
            Some(REMOVED)
        } else if body.starts_with("@@") {
            Some(CODE)
        } else {
            None
        };
        match style {
            Some(style) => out.push_str(&color::paint(body, style, true)),
            None => out.push_str(body),
        }
        out.push_str(ending);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIFF: &str = "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n keep\r\n-old\r\n+new\r\n";

    #[test]
    fn without_color_the_diff_is_unchanged() {
        assert_eq!(colored(DIFF, false), DIFF);
    }

    #[test]
    fn added_lines_are_green_removed_red_hunks_cyan_and_line_endings_kept() {
        let out = colored(DIFF, true);
        assert!(out.contains("\u{1b}[32m+new\u{1b}[0m\r\n"), "{out:?}");
        assert!(out.contains("\u{1b}[31m-old\u{1b}[0m\r\n"), "{out:?}");
        assert!(
            out.contains("\u{1b}[36m@@ -1,2 +1,2 @@\u{1b}[0m\n"),
            "{out:?}"
        );
        assert!(out.contains("\u{1b}[1m--- a/x\u{1b}[0m\n"), "{out:?}");
        assert!(out.contains("\n keep\r\n"), "{out:?}");
    }
}
