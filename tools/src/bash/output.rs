//! A command's output, kept within a budget: the head and the tail survive,
//! the middle is cut and counted, and memory stays bounded however much the
//! command prints. Once the output may need cutting, all of it is also
//! written to a file in the project (see `crate::truncate`), whose path the
//! cut marker gives.

use crate::truncate::{self, MAX_BYTES, MAX_LINES};
use crate::workspace::Workspace;
use std::collections::VecDeque;
use std::fs;
use std::io::Write;
use std::path::PathBuf;

/// The most bytes of a command's full output kept in memory to be saved
/// through a disk that is not the machine's; the rest is left out of the
/// saved file (its note says so).
const MAX_COLLECTED_BYTES: usize = 16 * 1024 * 1024;

/// The most bytes one character takes in UTF-8.
const MAX_CHAR_BYTES: usize = 4;
/// Lines shown at most, head and tail together: the shared limit, less room
/// for the cut marker and the exit code.
const MAX_SHOWN_LINES: usize = MAX_LINES - 20;
/// Bytes shown at most, head and tail together: the shared limit, less room
/// for the cut marker and the exit code.
const MAX_SHOWN_BYTES: usize = MAX_BYTES - 2048;

/// Collects a command's output up to `max_chars` characters: the first half
/// and the last half of the budget are kept (a failing build says what
/// failed at the start, a test run sums up at the end). A
/// [`super::CommandRunner`] pushes what the command writes; the bash tool
/// makes the buffer and reads the result.
pub struct OutputBuffer {
    max_chars: usize,
    /// The first bytes, up to `head_capacity`.
    head: Vec<u8>,
    /// The bytes after the head, the oldest dropped past `tail_capacity`.
    tail: VecDeque<u8>,
    head_capacity: usize,
    tail_capacity: usize,
    /// Whether bytes were dropped from the tail's front.
    dropped: bool,
    /// Characters seen in all (UTF-8 lead bytes counted).
    total_chars: usize,
    /// Bytes seen in all.
    total_bytes: usize,
    /// Line ends seen in all.
    total_newlines: usize,
    /// Where the full output goes.
    full: FullOutput,
}

/// The file holding a command's full output.
enum FullOutput {
    /// Not kept.
    Off,
    /// To be created in this project once the output may need cutting.
    Pending(Workspace),
    /// Kept in memory, to be written through the project's disk once the
    /// command is done (a disk that is not the machine's, such as Node's
    /// `fs`, has no open files to stream into); at most
    /// [`MAX_COLLECTED_BYTES`].
    Collecting {
        /// Where it will be saved.
        workspace: Workspace,
        /// The output so far.
        bytes: Vec<u8>,
    },
    /// Being written.
    Saving {
        file: fs::File,
        /// The physical path, to remove the file if nothing was cut after all.
        path: PathBuf,
        /// The path relative to the project root, for the model.
        shown: String,
    },
    /// It could not be created or written; why.
    Failed(String),
}

impl OutputBuffer {
    /// An empty buffer that will keep at most `max_chars` characters.
    pub(super) fn new(max_chars: usize) -> Self {
        let half_bytes = max_chars.div_ceil(2).saturating_mul(MAX_CHAR_BYTES);
        Self {
            max_chars,
            head: Vec::new(),
            tail: VecDeque::new(),
            head_capacity: half_bytes,
            tail_capacity: half_bytes,
            dropped: false,
            total_chars: 0,
            total_bytes: 0,
            total_newlines: 0,
            full: FullOutput::Off,
        }
    }

    /// This buffer, also saving the full output in `workspace` when it is
    /// too long to show whole.
    pub(super) fn saving_full_output_in(mut self, workspace: Workspace) -> Self {
        self.full = FullOutput::Pending(workspace);
        self
    }

    /// Appends bytes as they arrived.
    pub fn push(&mut self, mut bytes: &[u8]) {
        self.total_chars += bytes.iter().filter(|&&b| !is_continuation(b)).count();
        self.total_bytes += bytes.len();
        self.total_newlines += bytes.iter().filter(|&&b| b == b'\n').count();
        self.save(bytes);
        let room = self.head_capacity.saturating_sub(self.head.len());
        if room > 0 {
            let (first, rest) = bytes.split_at(room.min(bytes.len()));
            self.head.extend_from_slice(first);
            bytes = rest;
        }
        self.tail.extend(bytes);
        let excess = self.tail.len().saturating_sub(self.tail_capacity);
        if excess > 0 {
            self.tail.drain(..excess);
            self.dropped = true;
        }
    }

    /// Writes `bytes` to the full-output file, creating it (with what came
    /// before) once the output has grown past what can surely be shown whole.
    /// Nothing has been dropped by then: the head alone holds twice as much.
    fn save(&mut self, bytes: &[u8]) {
        let may_need_cut = self.total_bytes > self.max_chars.min(MAX_SHOWN_BYTES)
            || self.total_newlines >= MAX_SHOWN_LINES;
        if may_need_cut && let FullOutput::Pending(workspace) = &self.full {
            let workspace = workspace.clone();
            // Everything before `bytes`, which is added after: nothing has
            // been dropped yet.
            let mut before = self.head.clone();
            before.extend(self.tail.iter());
            self.full = if workspace.disk().is_native() {
                match truncate::create_output_file(&workspace, "bash") {
                    Ok((mut file, path, shown)) => match file.write_all(&before) {
                        Ok(()) => FullOutput::Saving { file, path, shown },
                        Err(error) => FullOutput::Failed(error.to_string()),
                    },
                    Err(error) => FullOutput::Failed(error.to_string()),
                }
            } else {
                FullOutput::Collecting {
                    workspace,
                    bytes: before,
                }
            };
        }
        match &mut self.full {
            FullOutput::Saving { file, .. } => {
                if let Err(error) = file.write_all(bytes) {
                    self.full = FullOutput::Failed(error.to_string());
                }
            }
            FullOutput::Collecting { bytes: kept, .. } => {
                let room = MAX_COLLECTED_BYTES.saturating_sub(kept.len());
                kept.extend_from_slice(&bytes[..room.min(bytes.len())]);
            }
            FullOutput::Off | FullOutput::Pending(_) | FullOutput::Failed(_) => {}
        }
    }

    /// The text to show: everything if it fits (in characters, lines and
    /// bytes), else the head and the tail around a marker saying how many
    /// characters were cut and where the full output was saved.
    pub(super) fn finish(self) -> String {
        let head_chars = self.max_chars.div_ceil(2);
        let tail_chars = self.max_chars - head_chars;
        let (head, tail) = if self.dropped {
            let mut tail: Vec<u8> = self.tail.into_iter().collect();
            // The tail may start in the middle of a character.
            let start = tail.iter().take_while(|&&b| is_continuation(b)).count();
            tail.drain(..start);
            (
                String::from_utf8_lossy(&self.head).into_owned(),
                String::from_utf8_lossy(&tail).into_owned(),
            )
        } else {
            let mut all = self.head;
            all.extend(self.tail);
            let all = String::from_utf8_lossy(&all).into_owned();
            let fits = all.chars().count() <= self.max_chars
                && all.lines().count() <= MAX_SHOWN_LINES
                && all.len() <= MAX_SHOWN_BYTES;
            if fits {
                if let FullOutput::Saving { path, .. } = self.full {
                    let _ = fs::remove_file(path);
                }
                return all;
            }
            (all.clone(), all)
        };
        let head = first_lines(first_chars(&head, head_chars), MAX_SHOWN_LINES / 2);
        let head = code_mesh_runtime::text::prefix_within(head, MAX_SHOWN_BYTES / 2);
        let tail = last_lines(last_chars(&tail, tail_chars), MAX_SHOWN_LINES / 2);
        let tail = last_bytes(tail, MAX_SHOWN_BYTES / 2);
        let cut = self
            .total_chars
            .saturating_sub(head.chars().count() + tail.chars().count());
        let saved = match &self.full {
            FullOutput::Saving { shown, .. } => format!(
                "; the full output is saved in {shown}: grep it, or read it with offset/limit"
            ),
            FullOutput::Collecting { workspace, bytes } => {
                let text = String::from_utf8_lossy(bytes);
                match truncate::save_full_output(workspace, "bash", &text) {
                    Ok(shown) if self.total_bytes > bytes.len() => format!(
                        "; its first {} MiB are saved in {shown}: grep it, or read it with \
                         offset/limit",
                        MAX_COLLECTED_BYTES / (1024 * 1024)
                    ),
                    Ok(shown) => format!(
                        "; the full output is saved in {shown}: grep it, or read it with offset/limit"
                    ),
                    Err(error) => format!("; the full output could not be saved: {error}"),
                }
            }
            FullOutput::Failed(error) => format!("; the full output could not be saved: {error}"),
            FullOutput::Off | FullOutput::Pending(_) => String::new(),
        };
        // A head cut at a line end keeps one blank line before the marker.
        let head = head.strip_suffix('\n').unwrap_or(head);
        format!(
            "{head}\n\n... [{cut} characters cut from the middle of the output{saved}] ...\n\n{tail}"
        )
    }
}

/// Whether `byte` continues a UTF-8 character rather than starting one.
fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// The first `count` characters of `text`.
fn first_chars(text: &str, count: usize) -> &str {
    match text.char_indices().nth(count) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// The first `count` lines of `text`, line ends included.
fn first_lines(text: &str, count: usize) -> &str {
    match text.match_indices('\n').nth(count.saturating_sub(1)) {
        Some((end, _)) if count > 0 => &text[..=end],
        Some(_) => "",
        None => text,
    }
}

/// The last `count` lines of `text` (a final line end does not start another).
fn last_lines(text: &str, count: usize) -> &str {
    let body = text.strip_suffix('\n').unwrap_or(text);
    match body.rmatch_indices('\n').nth(count.saturating_sub(1)) {
        Some((start, _)) if count > 0 => &text[start + 1..],
        Some(_) => "",
        None => text,
    }
}

/// The longest suffix of `text` of at most `max` bytes that starts on a
/// character boundary.
fn last_bytes(text: &str, max: usize) -> &str {
    let mut start = text.len().saturating_sub(max);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// The last `count` characters of `text`.
fn last_chars(text: &str, count: usize) -> &str {
    if count == 0 {
        return "";
    }
    match text.char_indices().rev().nth(count - 1) {
        Some((start, _)) => &text[start..],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_output_is_kept_whole() {
        let mut buffer = OutputBuffer::new(100);
        buffer.push(b"hello ");
        buffer.push("wörld".as_bytes());
        assert_eq!(buffer.finish(), "hello wörld");
    }

    #[test]
    fn long_output_keeps_head_and_tail_and_counts_the_cut() {
        let mut buffer = OutputBuffer::new(10);
        buffer.push(b"0123456789abcdefghij");
        let text = buffer.finish();
        assert!(text.starts_with("01234\n"), "{text}");
        assert!(text.ends_with("\nfghij"), "{text}");
        assert!(text.contains("[10 characters cut"), "{text}");
    }

    #[test]
    fn many_short_lines_keep_the_first_and_last_lines() {
        let mut buffer = OutputBuffer::new(30_000);
        for n in 1..=5000 {
            buffer.push(format!("{n}\n").as_bytes());
        }
        let text = buffer.finish();
        assert!(text.starts_with("1\n2\n"), "{text}");
        assert!(text.ends_with("4999\n5000\n"), "{text}");
        assert!(
            text.lines().count() <= MAX_LINES,
            "{}",
            text.lines().count()
        );
        assert!(text.contains("characters cut from the middle of the output]"));
    }

    #[test]
    fn line_helpers_count_lines() {
        assert_eq!(first_lines("a\nb\nc\n", 2), "a\nb\n");
        assert_eq!(first_lines("a\nb", 5), "a\nb");
        assert_eq!(last_lines("a\nb\nc\n", 2), "b\nc\n");
        assert_eq!(last_lines("a\nb\nc", 2), "b\nc");
        assert_eq!(last_lines("a\nb", 5), "a\nb");
        assert_eq!(last_bytes("aé", 1), "");
        assert_eq!(last_bytes("aé", 2), "é");
    }

    #[test]
    fn on_a_disk_in_memory_the_full_output_is_saved_when_the_command_is_done() {
        use code_mesh_runtime::fs::{Disk, MemoryFs};
        let root = std::path::Path::new("/p");
        let disk = Disk::new(MemoryFs::with_files(root, [("a.txt", "a")]).unwrap());
        let workspace = Workspace::new(root, disk.clone()).unwrap();
        let mut buffer = OutputBuffer::new(10).saving_full_output_in(workspace);
        for n in 0..100 {
            buffer.push(format!("line {n}\n").as_bytes());
        }
        let text = buffer.finish();
        let saved = text
            .split("saved in ")
            .nth(1)
            .and_then(|rest| rest.split(':').next())
            .unwrap_or_else(|| panic!("no saved file named: {text}"));
        let full = disk.read(&root.join(saved)).unwrap();
        assert!(full.starts_with(b"line 0\n"));
        assert!(full.ends_with(b"line 99\n"));
    }

    #[test]
    fn endless_output_stays_bounded_in_memory() {
        let mut buffer = OutputBuffer::new(10);
        for _ in 0..10_000 {
            buffer.push(b"yyyyyyyyyy");
        }
        buffer.push(b"END");
        assert!(buffer.head.len() + buffer.tail.len() <= 40);
        let text = buffer.finish();
        assert!(text.starts_with("yyyyy\n"), "{text}");
        assert!(text.ends_with("yyEND"), "{text}");
        assert!(text.contains("[99993 characters cut"), "{text}");
    }
}
