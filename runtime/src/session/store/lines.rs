//! Reading a session's JSON-lines log back, forgiving what a crash or a
//! stray edit can leave: [`parse_records`].

use crate::session::SessionRecord;
use std::fmt;

/// A session's records as loaded, and what was skipped to load them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadedSession {
    /// The records that could be read, in order.
    pub records: Vec<SessionRecord>,
    /// The lines that could not; show them to the person as warnings.
    pub warnings: Vec<LoadWarning>,
}

/// A line of a session's log that was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadWarning {
    /// The last line has no newline: the record being written when the
    /// process stopped. It is dropped; the records before it are whole.
    TornLastLine {
        /// The log's name (its path, for a file).
        file: String,
        /// The line's number, from 1.
        line: usize,
    },
    /// A line that is not a record (damaged, or from a newer Code Mesh);
    /// skipped, and the records after it are read.
    CorruptLine {
        /// The log's name (its path, for a file).
        file: String,
        /// The line's number, from 1.
        line: usize,
        /// Why it could not be read.
        reason: String,
    },
}

impl fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TornLastLine { file, line } => write!(
                f,
                "{file}:{line}: the last record was cut short (the process stopped while writing it); left out"
            ),
            Self::CorruptLine { file, line, reason } => {
                write!(f, "{file}:{line}: not a session record ({reason}); skipped")
            }
        }
    }
}

/// The records of the log `bytes`, one JSON object per line; `file` names
/// it in warnings. A last line without its newline is torn and dropped; a
/// line that does not parse is skipped; blank lines are ignored. Never
/// fails: whatever can be read is returned.
pub fn parse_records(bytes: &[u8], file: &str) -> LoadedSession {
    let mut loaded = LoadedSession::default();
    let complete = bytes.ends_with(b"\n");
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    // `split` yields an empty piece after a final newline: not a line.
    let count = if complete {
        lines.len() - 1
    } else {
        lines.len()
    };
    for (index, line) in lines.iter().take(count).enumerate() {
        let number = index + 1;
        if !complete && number == count {
            if !line.iter().all(u8::is_ascii_whitespace) {
                loaded.warnings.push(LoadWarning::TornLastLine {
                    file: file.to_string(),
                    line: number,
                });
            }
            break;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice(line) {
            Ok(record) => loaded.records.push(record),
            Err(error) => loaded.warnings.push(LoadWarning::CorruptLine {
                file: file.to_string(),
                line: number,
                reason: error.to_string(),
            }),
        }
    }
    loaded
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = r#"{"kind":"rewound","len":1}"#;
    const B: &str = r#"{"kind":"rewound","len":2}"#;

    #[test]
    fn whole_lines_are_read_in_order() {
        let loaded = parse_records(format!("{A}\n\n{B}\n").as_bytes(), "s.jsonl");
        assert_eq!(loaded.records.len(), 2);
        assert!(loaded.warnings.is_empty());
        assert!(parse_records(b"", "s.jsonl").records.is_empty());
    }

    #[test]
    fn a_torn_last_line_is_dropped_with_a_warning_naming_file_and_line() {
        let loaded = parse_records(format!("{A}\n{B}\n{{\"kind\":\"rew").as_bytes(), "s.jsonl");
        assert_eq!(loaded.records.len(), 2);
        assert_eq!(
            loaded.warnings,
            [LoadWarning::TornLastLine {
                file: "s.jsonl".into(),
                line: 3
            }]
        );
        assert!(loaded.warnings[0].to_string().starts_with("s.jsonl:3: "));
    }

    #[test]
    fn a_corrupt_middle_line_is_skipped_and_the_rest_read() {
        let loaded = parse_records(format!("{A}\nnot json\n{B}\n").as_bytes(), "s.jsonl");
        assert_eq!(loaded.records.len(), 2);
        assert!(
            matches!(
                &loaded.warnings[..],
                [LoadWarning::CorruptLine { line: 2, .. }]
            ),
            "{:?}",
            loaded.warnings
        );
        assert!(loaded.warnings[0].to_string().contains("s.jsonl:2"));
    }
}
