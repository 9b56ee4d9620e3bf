//! Syntax highlighting for the lines of a fenced code block: keywords,
//! strings, comments and numbers colored for the fence's language (Rust,
//! Python, JavaScript/TypeScript, Go, shell, JSON, TOML, YAML); a language
//! it does not know stays one color.
//!
//! Hand-written on purpose: `syntect` or tree-sitter grammars cost
//! megabytes of binary (against a 15 MB budget) and a start-up load of
//! their syntax sets, for code shown once in a terminal answer. This is a
//! line tokenizer; the only state carried from line to line is an open
//! `/* … */` comment. A string left open at the end of a line ends there.

use super::color::{self, CODE, DIM};
use anstyle::{AnsiColor, Style};

const KEYWORD: Style = AnsiColor::Magenta.on_default();
const STRING: Style = AnsiColor::Green.on_default();
const COMMENT: Style = DIM;
const NUMBER: Style = AnsiColor::Yellow.on_default();

/// What the tokenizer needs to know of a language.
#[derive(Debug)]
struct Language {
    keywords: &'static [&'static str],
    /// What starts a comment running to the end of the line.
    line_comment: Option<&'static str>,
    /// The line comment starts only at the start of a line or after a
    /// blank: in shell and YAML, `$#` and `a#b` are not comments.
    comment_after_blank: bool,
    /// Whether `/* … */` is a comment.
    block_comment: bool,
    /// The characters that open (and close) a string. Rust's `'` is left
    /// out: it also starts lifetimes.
    quotes: &'static [u8],
}

const RUST: Language = Language {
    keywords: &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move",
        "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
        "true", "type", "unsafe", "use", "where", "while",
    ],
    line_comment: Some("//"),
    comment_after_blank: false,
    block_comment: true,
    quotes: b"\"",
};

const PYTHON: Language = Language {
    keywords: &[
        "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "False", "finally", "for", "from", "global", "if", "import",
        "in", "is", "lambda", "None", "nonlocal", "not", "or", "pass", "raise", "return", "True",
        "try", "while", "with", "yield",
    ],
    line_comment: Some("#"),
    comment_after_blank: false,
    block_comment: false,
    quotes: b"\"'",
};

const JAVASCRIPT: Language = Language {
    keywords: &[
        "async",
        "await",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "from",
        "function",
        "if",
        "implements",
        "import",
        "in",
        "instanceof",
        "interface",
        "let",
        "new",
        "null",
        "of",
        "readonly",
        "return",
        "static",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "type",
        "typeof",
        "undefined",
        "var",
        "void",
        "while",
        "yield",
    ],
    line_comment: Some("//"),
    comment_after_blank: false,
    block_comment: true,
    quotes: b"\"'`",
};

const GO: Language = Language {
    keywords: &[
        "break",
        "case",
        "chan",
        "const",
        "continue",
        "default",
        "defer",
        "else",
        "fallthrough",
        "false",
        "for",
        "func",
        "go",
        "goto",
        "if",
        "import",
        "interface",
        "map",
        "nil",
        "package",
        "range",
        "return",
        "select",
        "struct",
        "switch",
        "true",
        "type",
        "var",
    ],
    line_comment: Some("//"),
    comment_after_blank: false,
    block_comment: true,
    quotes: b"\"'`",
};

const SHELL: Language = Language {
    keywords: &[
        "case", "do", "done", "elif", "else", "esac", "export", "fi", "for", "function", "if",
        "in", "local", "return", "then", "until", "while",
    ],
    line_comment: Some("#"),
    comment_after_blank: true,
    block_comment: false,
    quotes: b"\"'",
};

const JSON: Language = Language {
    keywords: &["true", "false", "null"],
    line_comment: None,
    comment_after_blank: false,
    block_comment: false,
    quotes: b"\"",
};

const TOML: Language = Language {
    keywords: &["true", "false"],
    line_comment: Some("#"),
    comment_after_blank: false,
    block_comment: false,
    quotes: b"\"'",
};

const YAML: Language = Language {
    keywords: &["true", "false", "null", "yes", "no"],
    line_comment: Some("#"),
    comment_after_blank: true,
    block_comment: false,
    quotes: b"\"'",
};

/// The language a fence's info string names (` ```rust,ignore ` is Rust).
fn language(info: &str) -> Option<&'static Language> {
    let name = info
        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    Some(match name.as_str() {
        "rust" | "rs" => &RUST,
        "python" | "py" => &PYTHON,
        "javascript" | "js" | "jsx" | "typescript" | "ts" | "tsx" => &JAVASCRIPT,
        "go" | "golang" => &GO,
        "sh" | "bash" | "shell" | "zsh" | "console" => &SHELL,
        "json" | "jsonc" => &JSON,
        "toml" => &TOML,
        "yaml" | "yml" => &YAML,
        _ => return None,
    })
}

/// Highlights the lines of one code block, in order.
#[derive(Debug, Default)]
pub struct Highlighter {
    language: Option<&'static Language>,
    /// A `/* … */` comment is open at the end of the last line.
    in_block_comment: bool,
}

impl Highlighter {
    /// For the block opened by a fence with `info` (`rust` in ` ```rust `).
    pub fn for_fence(info: &str) -> Self {
        Self {
            language: language(info.trim()),
            in_block_comment: false,
        }
    }

    /// `line` of the block, colored when `color`; in one color when the
    /// language is unknown.
    pub fn line(&mut self, line: &str, color: bool) -> String {
        if !color {
            return line.to_string();
        }
        let Some(lang) = self.language else {
            return color::paint(line, CODE, true);
        };
        let bytes = line.as_bytes();
        let mut spans = Spans::new(line);
        let mut i = 0;
        if self.in_block_comment {
            i = self.block_comment_end(line, 0);
            spans.styled(0, i, COMMENT);
        }
        // Tokens start at ASCII bytes only, so every cut is a char boundary.
        while i < bytes.len() {
            let rest = &line[i..];
            let at_blank = i == 0 || bytes[i - 1].is_ascii_whitespace();
            let end = if lang.block_comment && rest.starts_with("/*") {
                let end = self.block_comment_end(line, i + 2);
                spans.styled(i, end, COMMENT);
                end
            } else if let Some(marker) = lang.line_comment
                && rest.starts_with(marker)
                && (at_blank || !lang.comment_after_blank)
            {
                spans.styled(i, line.len(), COMMENT);
                line.len()
            } else if lang.quotes.contains(&bytes[i]) {
                let end = string_end(bytes, i);
                spans.styled(i, end, STRING);
                end
            } else if bytes[i].is_ascii_digit() {
                let end = number_end(bytes, i);
                spans.styled(i, end, NUMBER);
                end
            } else if bytes[i].is_ascii_alphabetic() || bytes[i] == b'_' {
                let end = i + rest
                    .bytes()
                    .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                    .count();
                if lang.keywords.contains(&&line[i..end]) {
                    spans.styled(i, end, KEYWORD);
                }
                end
            } else {
                i + 1
            };
            i = end;
        }
        spans.finish()
    }

    /// Where the comment open at `from` ends (after its `*/`, or the end
    /// of the line, the comment going on).
    fn block_comment_end(&mut self, line: &str, from: usize) -> usize {
        match line[from..].find("*/") {
            Some(at) => {
                self.in_block_comment = false;
                from + at + 2
            }
            None => {
                self.in_block_comment = true;
                line.len()
            }
        }
    }
}

/// Where the string opened at `start` ends: after its closing quote (a
/// backslash escapes the next byte), or at the end of the line.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Where the number starting at `start` ends: `42`, `0x1f`, `1_000u32`, `3.14`.
fn number_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        let decimal_point = b == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if !(b.is_ascii_alphanumeric() || b == b'_' || decimal_point) {
            break;
        }
        i += 1;
    }
    i
}

/// A line rebuilt from plain text and styled spans, left to right.
struct Spans<'a> {
    line: &'a str,
    out: String,
    /// Where the plain text not yet copied starts.
    plain: usize,
}

impl<'a> Spans<'a> {
    fn new(line: &'a str) -> Self {
        Self {
            line,
            out: String::with_capacity(line.len() + 32),
            plain: 0,
        }
    }

    fn styled(&mut self, start: usize, end: usize, style: Style) {
        self.out.push_str(&self.line[self.plain..start]);
        self.out
            .push_str(&color::paint(&self.line[start..end], style, true));
        self.plain = end;
    }

    fn finish(mut self) -> String {
        self.out.push_str(&self.line[self.plain..]);
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paint(text: &str, style: Style) -> String {
        color::paint(text, style, true)
    }

    #[test]
    fn rust_keywords_strings_comments_and_numbers_are_colored() {
        let line = r#"let url = "http://x"; call(8080); // port"#;
        let expected = format!(
            "{} url = {}; call({}); {}",
            paint("let", KEYWORD),
            paint(r#""http://x""#, STRING),
            paint("8080", NUMBER),
            paint("// port", COMMENT),
        );
        assert_eq!(Highlighter::for_fence("rust").line(line, true), expected);
    }

    #[test]
    fn a_block_comment_goes_on_across_lines() {
        let mut code = Highlighter::for_fence("js");
        assert_eq!(
            code.line("x /* one", true),
            format!("x {}", paint("/* one", COMMENT))
        );
        assert_eq!(code.line("two", true), paint("two", COMMENT));
        assert_eq!(
            code.line("*/ return", true),
            format!("{} {}", paint("*/", COMMENT), paint("return", KEYWORD))
        );
    }

    #[test]
    fn a_hash_in_a_shell_word_is_not_a_comment() {
        assert_eq!(
            Highlighter::for_fence("bash").line("echo $# # count", true),
            format!("echo $# {}", paint("# count", COMMENT))
        );
    }

    #[test]
    fn an_unknown_language_stays_one_color() {
        assert_eq!(
            Highlighter::for_fence("brainfuck").line("let x = 1", true),
            paint("let x = 1", CODE)
        );
        assert_eq!(
            Highlighter::for_fence("").line("let x = 1", true),
            paint("let x = 1", CODE)
        );
    }

    #[test]
    fn without_color_lines_are_unchanged() {
        let line = r#"fn main() { println!("{}", 1); } // é"#;
        assert_eq!(Highlighter::for_fence("rust").line(line, false), line);
    }
}
