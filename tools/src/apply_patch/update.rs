//! Applying an Update section's hunks to a file's text, in memory.
//!
//! Each hunk is looked for after the previous one: first its `@@` context
//! line, if it has one, then its context and `-` lines (see `seek` for the
//! whitespace forgiven). Every hunk is located before any is applied, so a
//! hunk that is not found leaves nothing half done.

use super::parser::Hunk;
use super::seek::seek;

/// What a hunk needed and the file did not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Missing {
    /// The `@@` context line.
    Context(String),
    /// The context and `-` lines, in this order.
    Lines(Vec<String>),
}

/// A hunk that could not be located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HunkError {
    /// The hunk's 0-based position in its section.
    pub(super) index: usize,
    /// What was not found.
    pub(super) missing: Missing,
}

/// `text` with every hunk applied. The file keeps its final line break, or
/// its lack of one (an empty file gets one).
pub(super) fn apply_hunks(text: &str, hunks: &[Hunk]) -> Result<String, HunkError> {
    let ends_with_newline = text.is_empty() || text.ends_with('\n');
    let mut lines: Vec<&str> = text.split('\n').collect();
    if ends_with_newline {
        lines.pop();
    }
    // (first line, lines replaced, new lines), in file order.
    let mut replacements: Vec<(usize, usize, &[String])> = Vec::with_capacity(hunks.len());
    let mut cursor = 0;
    for (index, hunk) in hunks.iter().enumerate() {
        if let Some(context) = &hunk.context {
            match seek(&lines, std::slice::from_ref(context), cursor, false) {
                Some(at) => cursor = at + 1,
                None => {
                    return Err(HunkError {
                        index,
                        missing: Missing::Context(context.clone()),
                    });
                }
            }
        }
        if hunk.old_lines.is_empty() {
            // Only additions: right after the context line, else at the end.
            let at = if hunk.context.is_some() {
                cursor
            } else {
                lines.len()
            };
            replacements.push((at, 0, &hunk.new_lines));
            cursor = at;
            continue;
        }
        let mut old = hunk.old_lines.as_slice();
        let mut new = hunk.new_lines.as_slice();
        let mut found = seek(&lines, old, cursor, hunk.end_of_file);
        // A blank line ending a hunk is often the patch's spacing, not the
        // file's: try without it.
        while found.is_none() && old.len() > 1 && old.last().is_some_and(String::is_empty) {
            old = &old[..old.len() - 1];
            if new.last().is_some_and(String::is_empty) {
                new = &new[..new.len() - 1];
            }
            found = seek(&lines, old, cursor, hunk.end_of_file);
        }
        match found {
            Some(at) => {
                replacements.push((at, old.len(), new));
                cursor = at + old.len();
            }
            None => {
                return Err(HunkError {
                    index,
                    missing: Missing::Lines(hunk.old_lines.clone()),
                });
            }
        }
    }
    for (at, count, new) in replacements.into_iter().rev() {
        lines.splice(at..at + count, new.iter().map(String::as_str));
    }
    let mut result = lines.join("\n");
    if ends_with_newline && !lines.is_empty() {
        result.push('\n');
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hunk(context: Option<&str>, old: &[&str], new: &[&str]) -> Hunk {
        Hunk {
            context: context.map(str::to_string),
            old_lines: old.iter().map(|line| line.to_string()).collect(),
            new_lines: new.iter().map(|line| line.to_string()).collect(),
            end_of_file: false,
        }
    }

    #[test]
    fn hunks_apply_in_order_after_their_context() {
        let text = "fn a() {\n    x();\n}\nfn b() {\n    x();\n}\n";
        let hunks = [hunk(Some("fn b() {"), &["    x();"], &["    y();"])];
        assert_eq!(
            apply_hunks(text, &hunks),
            Ok("fn a() {\n    x();\n}\nfn b() {\n    y();\n}\n".to_string())
        );
    }

    #[test]
    fn a_missing_second_hunk_is_reported_by_index() {
        let hunks = [hunk(None, &["a"], &["A"]), hunk(None, &["zzz"], &["Z"])];
        assert_eq!(
            apply_hunks("a\nb\n", &hunks),
            Err(HunkError {
                index: 1,
                missing: Missing::Lines(vec!["zzz".to_string()]),
            })
        );
    }

    #[test]
    fn additions_without_context_go_at_the_end_and_the_final_newline_is_kept() {
        assert_eq!(
            apply_hunks("a\n", &[hunk(None, &[], &["b"])]),
            Ok("a\nb\n".to_string())
        );
        assert_eq!(
            apply_hunks("a", &[hunk(None, &["a"], &["b"])]),
            Ok("b".to_string())
        );
        assert_eq!(
            apply_hunks("", &[hunk(None, &[], &["x"])]),
            Ok("x\n".to_string())
        );
    }

    #[test]
    fn a_trailing_blank_context_line_is_optional() {
        assert_eq!(
            apply_hunks("a\nb\n", &[hunk(None, &["a", ""], &["A", ""])]),
            Ok("A\nb\n".to_string())
        );
    }
}
