//! The search behind `grep`: ripgrep's walker and searcher over the project,
//! on several threads, gathering matching lines per file.

use crate::walk::{self, StopFlag};
use grep_regex::RegexMatcher;
use grep_searcher::sinks::Lossy;
use grep_searcher::{BinaryDetection, Searcher, SearcherBuilder};
use ignore::WalkBuilder;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::SystemTime;

/// The matching lines of one file.
#[derive(Debug)]
pub(super) struct FileMatches {
    /// The file, as the walk found it.
    pub(super) path: PathBuf,
    /// When it was last modified.
    pub(super) modified: SystemTime,
    /// `(line number, text)` of its first matching lines, at most the cap.
    pub(super) lines: Vec<(u64, String)>,
    /// How many lines matched in all.
    pub(super) count: usize,
}

/// Searches every file `walker` yields for lines `matcher` matches, keeping
/// at most `keep_per_file` lines of each file (no file can show more than
/// the overall cap, so memory stays bounded however many lines match).
/// Binary files (a NUL byte) are skipped as `rg` skips them. Files come back
/// in no particular order.
pub(super) fn search(
    walker: &WalkBuilder,
    matcher: &RegexMatcher,
    keep_per_file: usize,
    stop: &StopFlag,
) -> Vec<FileMatches> {
    let found = Mutex::new(Vec::new());
    walk::for_each_entry(walker, || {
        let matcher = matcher.clone();
        let mut searcher = SearcherBuilder::new()
            .binary_detection(BinaryDetection::quit(b'\x00'))
            .line_number(true)
            .build();
        let found = &found;
        move |entry| {
            if stop.is_set() {
                return false;
            }
            if walk::is_file(&entry)
                && let Some(file) = search_file(&mut searcher, &matcher, entry, keep_per_file)
                && let Ok(mut found) = found.lock()
            {
                found.push(file);
            }
            true
        }
    });
    found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The matches in one file; `None` when there are none or it cannot be read.
fn search_file(
    searcher: &mut Searcher,
    matcher: &RegexMatcher,
    entry: ignore::DirEntry,
    keep: usize,
) -> Option<FileMatches> {
    let mut lines = Vec::new();
    let mut count = 0;
    let searched = searcher.search_path(
        matcher,
        entry.path(),
        Lossy(|number, line| {
            count += 1;
            if lines.len() < keep {
                lines.push((number, line.trim_end_matches(['\n', '\r']).to_string()));
            }
            Ok(true)
        }),
    );
    if searched.is_err() || count == 0 {
        return None;
    }
    Some(FileMatches {
        modified: walk::modified(&entry),
        path: entry.into_path(),
        lines,
        count,
    })
}
