//! Reading a patch in codex's `*** Begin Patch` format into file operations.
//! Nothing is checked against the files here (that is `plan`'s job); a patch
//! that does not follow the format is refused with the line at fault.
//!
//! ```text
//! *** Begin Patch
//! *** Add File: <path>          then lines starting with `+`
//! *** Delete File: <path>
//! *** Update File: <path>
//! *** Move to: <path>           optional, right after Update File
//! @@ <optional context line>    starts a hunk (may be left out before the first)
//!  context / -removed / +added  the hunk's lines
//! *** End of File               optional: the hunk ends at the end of the file
//! *** End Patch
//! ```
//!
//! Lenient where models are sloppy: the patch may be wrapped in a heredoc
//! or code fence, marker lines may carry surrounding whitespace, an empty
//! line inside a hunk is an empty context line, and a unified-diff range
//! (`@@ -12,4 +12,5 @@`) is taken as "no context".

use super::heredoc;
use std::fmt;

const BEGIN_PATCH: &str = "*** Begin Patch";
const END_PATCH: &str = "*** End Patch";
const ADD_FILE: &str = "*** Add File:";
const DELETE_FILE: &str = "*** Delete File:";
const UPDATE_FILE: &str = "*** Update File:";
const MOVE_TO: &str = "*** Move to:";
const END_OF_FILE: &str = "*** End of File";

/// A parsed patch: its file operations in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Patch {
    /// What to do to each file, in the patch's order.
    pub(super) operations: Vec<FileOperation>,
}

/// One file section of the patch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum FileOperation {
    /// Create `path` with `contents`.
    Add {
        /// As written in the patch.
        path: String,
        /// The `+` lines, each ended by `\n`.
        contents: String,
    },
    /// Remove `path`.
    Delete {
        /// As written in the patch.
        path: String,
    },
    /// Change `path` by `hunks`, and rename it to `move_to` if given.
    Update {
        /// As written in the patch.
        path: String,
        /// The new path, for a rename.
        move_to: Option<String>,
        /// The changes, in file order.
        hunks: Vec<Hunk>,
    },
}

/// One `@@` hunk of an Update section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Hunk {
    /// The text after `@@`: a line of the file before the change (a function
    /// header, say) that narrows down where the change is.
    pub(super) context: Option<String>,
    /// Context and `-` lines: what the file holds where the hunk applies.
    pub(super) old_lines: Vec<String>,
    /// Context and `+` lines: what it holds afterwards.
    pub(super) new_lines: Vec<String>,
    /// Whether the hunk was marked `*** End of File`: it ends the file.
    pub(super) end_of_file: bool,
}

/// A patch that does not follow the format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ParseError {
    /// The 1-based line of the patch at fault (after any wrapper).
    pub(super) line: usize,
    /// What is wrong and what was expected.
    pub(super) message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} of the patch: {}", self.line, self.message)
    }
}

/// Parses `text` into a [`Patch`].
pub(super) fn parse(text: &str) -> Result<Patch, ParseError> {
    let text = text.replace("\r\n", "\n");
    let text = heredoc::unwrap(&text);
    let lines: Vec<&str> = text.split('\n').collect();
    let first = lines.first().map_or("", |line| line.trim());
    if first != BEGIN_PATCH {
        return Err(ParseError {
            line: 1,
            message: format!(
                "a patch starts with `{BEGIN_PATCH}`, but this one starts with `{first}`"
            ),
        });
    }
    let last = lines.last().map_or("", |line| line.trim());
    if lines.len() < 2 || last != END_PATCH {
        return Err(ParseError {
            line: lines.len(),
            message: format!(
                "a patch ends with `{END_PATCH}`, but this one ends with `{last}`; was it cut \
                 short? Send the whole patch"
            ),
        });
    }
    let mut parser = Parser {
        lines: &lines[1..lines.len() - 1],
        at: 0,
    };
    let mut operations = Vec::new();
    while let Some(line) = parser.peek() {
        if line.trim().is_empty() {
            parser.at += 1;
            continue;
        }
        operations.push(parser.file_operation()?);
    }
    Ok(Patch { operations })
}

/// A cursor over the lines between `*** Begin Patch` and `*** End Patch`.
struct Parser<'a> {
    lines: &'a [&'a str],
    at: usize,
}

impl<'a> Parser<'a> {
    /// The current line, if any.
    fn peek(&self) -> Option<&'a str> {
        self.lines.get(self.at).copied()
    }

    /// The current line's 1-based number in the patch (the Begin line is 1).
    fn line_number(&self) -> usize {
        self.at + 2
    }

    /// An error about the current line.
    fn error(&self, message: String) -> ParseError {
        ParseError {
            line: self.line_number(),
            message,
        }
    }

    /// Parses the file section starting at the current line.
    fn file_operation(&mut self) -> Result<FileOperation, ParseError> {
        let header = self.peek().unwrap_or_default().trim();
        if let Some(path) = header.strip_prefix(ADD_FILE) {
            let path = self.path(path, ADD_FILE)?;
            self.at += 1;
            let mut contents = String::new();
            while let Some(added) = self.peek().and_then(|line| line.strip_prefix('+')) {
                contents.push_str(added);
                contents.push('\n');
                self.at += 1;
            }
            return Ok(FileOperation::Add { path, contents });
        }
        if let Some(path) = header.strip_prefix(DELETE_FILE) {
            let path = self.path(path, DELETE_FILE)?;
            self.at += 1;
            return Ok(FileOperation::Delete { path });
        }
        if let Some(path) = header.strip_prefix(UPDATE_FILE) {
            let path = self.path(path, UPDATE_FILE)?;
            self.at += 1;
            let move_to = match self
                .peek()
                .map(str::trim)
                .and_then(|line| line.strip_prefix(MOVE_TO))
            {
                Some(target) => {
                    let target = self.path(target, MOVE_TO)?;
                    self.at += 1;
                    Some(target)
                }
                None => None,
            };
            let start = self.line_number();
            let hunks = self.hunks()?;
            if hunks.is_empty() {
                return Err(ParseError {
                    line: start,
                    message: format!(
                        "`{UPDATE_FILE} {path}` has no hunks; follow it with `@@` hunks of \
                         context, `-` and `+` lines"
                    ),
                });
            }
            return Ok(FileOperation::Update {
                path,
                move_to,
                hunks,
            });
        }
        Err(self.error(format!(
            "`{header}` is not a file section; expected `{ADD_FILE} <path>`, `{UPDATE_FILE} \
             <path>`, `{DELETE_FILE} <path>` or `{END_PATCH}`"
        )))
    }

    /// The path after a marker, trimmed; an error if there is none.
    fn path(&self, raw: &str, marker: &str) -> Result<String, ParseError> {
        let path = raw.trim();
        if path.is_empty() {
            return Err(self.error(format!("`{marker}` needs a path after it")));
        }
        Ok(path.to_string())
    }

    /// The hunks of an Update section, up to the next `***` line.
    fn hunks(&mut self) -> Result<Vec<Hunk>, ParseError> {
        let mut hunks = Vec::new();
        let mut current: Option<(Hunk, usize)> = None;
        while let Some(line) = self.peek() {
            if line.trim() == END_OF_FILE {
                match current.as_mut() {
                    Some((hunk, _)) => hunk.end_of_file = true,
                    None => {
                        return Err(self.error(format!(
                            "`{END_OF_FILE}` must end a hunk, but no hunk comes before it"
                        )));
                    }
                }
                self.at += 1;
                self.finish(current.take(), &mut hunks)?;
                continue;
            }
            if line.trim_start().starts_with("***") {
                break;
            }
            if let Some(rest) = line.strip_prefix("@@") {
                self.finish(current.take(), &mut hunks)?;
                let hunk = Hunk {
                    context: context_of(rest),
                    ..Hunk::default()
                };
                current = Some((hunk, self.line_number()));
                self.at += 1;
                continue;
            }
            let (kind, text) = match line.chars().next() {
                None => (' ', ""),
                Some(kind @ (' ' | '-' | '+')) => (kind, &line[1..]),
                Some(_) => {
                    return Err(self.error(format!(
                        "`{line}` is not a hunk line; in an Update section every line starts \
                         with a space (context), `-` (removed), `+` (added) or `@@` (a new \
                         hunk); the next file section starts with `***`"
                    )));
                }
            };
            if current.is_none() && text.is_empty() && kind == ' ' {
                // A blank line between hunks.
                self.at += 1;
                continue;
            }
            let (hunk, _) = current.get_or_insert_with(|| (Hunk::default(), self.at + 2));
            if kind != '+' {
                hunk.old_lines.push(text.to_string());
            }
            if kind != '-' {
                hunk.new_lines.push(text.to_string());
            }
            self.at += 1;
        }
        self.finish(current, &mut hunks)?;
        Ok(hunks)
    }

    /// Adds a finished hunk (started at `line`) to `hunks`; an empty one is an
    /// error.
    fn finish(&self, hunk: Option<(Hunk, usize)>, hunks: &mut Vec<Hunk>) -> Result<(), ParseError> {
        let Some((hunk, line)) = hunk else {
            return Ok(());
        };
        if hunk.old_lines.is_empty() && hunk.new_lines.is_empty() {
            return Err(ParseError {
                line,
                message: "this hunk has no lines; give it context, `-` and `+` lines".to_string(),
            });
        }
        hunks.push(hunk);
        Ok(())
    }
}

/// The context after `@@`: `None` if blank or a unified-diff range such as
/// `-12,4 +12,5 @@` (whose text after the closing `@@`, if any, is the
/// context); a closing `@@` is dropped.
fn context_of(rest: &str) -> Option<String> {
    let rest = rest.trim();
    let rest = match rest.strip_prefix('-') {
        Some(range) if range.starts_with(|c: char| c.is_ascii_digit()) => {
            range.split_once("@@").map_or("", |(_, after)| after.trim())
        }
        _ => rest.strip_suffix("@@").map_or(rest, str::trim_end),
    };
    (!rest.is_empty()).then(|| rest.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &[&str]) -> Vec<String> {
        text.iter().map(|line| line.to_string()).collect()
    }

    #[test]
    fn every_kind_of_section_is_read() {
        let patch = parse(
            "*** Begin Patch\n\
             *** Add File: docs/new.md\n\
             +# New\n\
             +\n\
             *** Delete File: old.txt\n\
             *** Update File: src/a.rs\n\
             *** Move to: src/b.rs\n\
             @@ fn main() {\n\
             \x20    let a = 1;\n\
             -    let b = 2;\n\
             +    let b = 3;\n\
             @@\n\
             -last\n\
             +final\n\
             *** End of File\n\
             *** End Patch",
        )
        .unwrap();
        assert_eq!(
            patch.operations,
            vec![
                FileOperation::Add {
                    path: "docs/new.md".to_string(),
                    contents: "# New\n\n".to_string(),
                },
                FileOperation::Delete {
                    path: "old.txt".to_string()
                },
                FileOperation::Update {
                    path: "src/a.rs".to_string(),
                    move_to: Some("src/b.rs".to_string()),
                    hunks: vec![
                        Hunk {
                            context: Some("fn main() {".to_string()),
                            old_lines: lines(&["    let a = 1;", "    let b = 2;"]),
                            new_lines: lines(&["    let a = 1;", "    let b = 3;"]),
                            end_of_file: false,
                        },
                        Hunk {
                            context: None,
                            old_lines: lines(&["last"]),
                            new_lines: lines(&["final"]),
                            end_of_file: true,
                        },
                    ],
                },
            ]
        );
    }

    #[test]
    fn the_first_hunk_may_leave_out_its_header() {
        let patch = parse("*** Begin Patch\n*** Update File: a\n x\n+y\n*** End Patch").unwrap();
        let FileOperation::Update { hunks, .. } = &patch.operations[0] else {
            panic!("an update");
        };
        assert_eq!(hunks[0].old_lines, lines(&["x"]));
        assert_eq!(hunks[0].new_lines, lines(&["x", "y"]));
    }

    #[test]
    fn unified_diff_ranges_are_not_context() {
        assert_eq!(context_of(" -12,4 +12,5 @@"), None);
        assert_eq!(context_of(" -1 +1 @@ fn f()"), Some("fn f()".to_string()));
        assert_eq!(context_of(" impl A @@"), Some("impl A".to_string()));
        assert_eq!(context_of(" - item"), Some("- item".to_string()));
        assert_eq!(context_of(""), None);
    }

    #[test]
    fn errors_name_the_line() {
        let error = parse("*** Begin Patch\n*** Frobnicate: a\n*** End Patch").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.message.contains("is not a file section"), "{error}");
        let error =
            parse("*** Begin Patch\n*** Update File: a\n@@\n?x\n*** End Patch").unwrap_err();
        assert_eq!(error.line, 4);
        let error = parse("*** Begin Patch\n*** Add File: a\n+x").unwrap_err();
        assert!(error.message.contains("cut short"), "{error}");
        let error = parse("diff --git a/x b/x").unwrap_err();
        assert_eq!(error.line, 1);
    }

    #[test]
    fn an_update_without_hunks_is_refused() {
        let error = parse("*** Begin Patch\n*** Update File: a\n*** End Patch").unwrap_err();
        assert!(error.message.contains("has no hunks"), "{error}");
    }
}
