//! The model's Markdown for a terminal, one line at a time, so it can be
//! shown as it streams: headings bold, list bullets as `•`, `**strong**`
//! bold, `` `code` `` cyan, fenced code blocks highlighted for their
//! language (see [`super::highlight`]), fences and quotes dim.
//!
//! A line is styled once it is complete (the text shows a line at a time
//! on a terminal). Without color, lines are returned as they came.

use super::color::{self, BOLD, CODE, DIM};
use super::highlight::Highlighter;

/// Styles Markdown lines, remembering whether a code block is open.
#[derive(Debug, Default)]
pub struct MarkdownLines {
    /// The open code block's highlighter.
    code: Option<Highlighter>,
}

impl MarkdownLines {
    /// `line` (without its line ending) styled for a terminal when `color`.
    pub fn line(&mut self, line: &str, color: bool) -> String {
        let trimmed = line.trim_start();
        if let Some(info) = ["```", "~~~"]
            .iter()
            .find_map(|fence| trimmed.strip_prefix(fence))
        {
            self.code = match self.code {
                Some(_) => None,
                None => Some(Highlighter::for_fence(info)),
            };
            return color::paint(line, DIM, color);
        }
        if let Some(code) = &mut self.code {
            return code.line(line, color);
        }
        if !color {
            return line.to_string();
        }
        let indent = &line[..line.len() - trimmed.len()];
        if let Some(title) = heading(trimmed) {
            return format!("{indent}{}", color::paint(title, BOLD, true));
        }
        if let Some(rest) = ["- ", "* ", "+ "]
            .iter()
            .find_map(|bullet| trimmed.strip_prefix(bullet))
        {
            return format!("{indent}• {}", inline(rest));
        }
        if let Some(rest) = trimmed.strip_prefix('>') {
            return format!("{indent}{}", color::paint(&format!(">{rest}"), DIM, true));
        }
        format!("{indent}{}", inline(trimmed))
    }

    /// Forgets an unclosed code block (the answer ended).
    pub fn reset(&mut self) {
        self.code = None;
    }
}

/// The title of an ATX heading (`# Title` … `###### Title`).
fn heading(line: &str) -> Option<&str> {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    if (1..=6).contains(&hashes) {
        line[hashes..].strip_prefix(' ').map(str::trim)
    } else {
        None
    }
}

/// `**strong**` in bold and `` `code` `` in cyan, markers removed; an
/// unclosed marker is left as written.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let next = [("`", CODE), ("**", BOLD)]
            .into_iter()
            .filter_map(|(marker, style)| rest.find(marker).map(|at| (at, marker, style)))
            .min_by_key(|(at, _, _)| *at);
        let Some((at, marker, style)) = next else {
            out.push_str(rest);
            return out;
        };
        let after = &rest[at + marker.len()..];
        match after.find(marker) {
            Some(end) if end > 0 => {
                out.push_str(&rest[..at]);
                out.push_str(&color::paint(&after[..end], style, true));
                rest = &after[end + marker.len()..];
            }
            _ => {
                out.push_str(&rest[..at + marker.len()]);
                rest = after;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: [&str; 7] = [
        "# Plan",
        "- read **src/lib.rs**",
        "Call `greet()`:",
        "```rust",
        "fn greet() {}",
        "```",
        "> done",
    ];

    fn render(color: bool) -> Vec<String> {
        let mut md = MarkdownLines::default();
        ANSWER.iter().map(|line| md.line(line, color)).collect()
    }

    #[test]
    fn without_color_lines_are_unchanged() {
        assert_eq!(render(false), ANSWER);
    }

    #[test]
    fn headings_bullets_inline_code_and_code_blocks_are_styled() {
        assert_eq!(
            render(true),
            [
                "\u{1b}[1mPlan\u{1b}[0m",
                "• read \u{1b}[1msrc/lib.rs\u{1b}[0m",
                "Call \u{1b}[36mgreet()\u{1b}[0m:",
                "\u{1b}[2m```rust\u{1b}[0m",
                "\u{1b}[35mfn\u{1b}[0m greet() {}",
                "\u{1b}[2m```\u{1b}[0m",
                "\u{1b}[2m> done\u{1b}[0m",
            ]
        );
    }

    #[test]
    fn an_unclosed_marker_is_left_as_written() {
        let mut md = MarkdownLines::default();
        assert_eq!(md.line("2 ** 3 and `x", true), "2 ** 3 and `x");
        assert_eq!(md.line("#hashtag", true), "#hashtag");
    }
}
