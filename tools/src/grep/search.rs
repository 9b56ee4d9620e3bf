//! The search behind `grep`: ripgrep's walker and searcher over the project,
//! gathering matching lines per file. On the machine's disk the walk runs
//! on several threads and each file is searched from its path; on another
//! disk each file's bytes are read through it and searched in memory, with
//! the same matcher and searcher. Files with a staged change are not
//! searched on disk: the walk reports them, and their staged content is
//! searched with [`search_bytes`].

use crate::staged::StagedFiles;
use crate::walk::{Entry, ProjectWalk, StopFlag};
use grep_regex::RegexMatcher;
use grep_searcher::{BinaryDetection, Searcher, SearcherBuilder, Sink, SinkMatch};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// The matching lines of one file.
#[derive(Debug)]
pub(super) struct FileMatches {
    /// The file, as the walk found it.
    pub(super) path: PathBuf,
    /// When it was last modified.
    pub(super) modified: SystemTime,
    /// Whether its content is staged (newer than anything on disk).
    pub(super) staged: bool,
    /// `(line number, text)` of its first matching lines, at most the cap.
    pub(super) lines: Vec<(u64, String)>,
    /// How many lines matched in all.
    pub(super) count: usize,
}

/// What a walk found: the matches in files on disk, and the staged files
/// it came across, whose staged content is still to be searched.
#[derive(Debug, Default)]
pub(super) struct Found {
    /// Matches in files without a staged change, in no particular order.
    pub(super) files: Vec<FileMatches>,
    /// Files the walk reached that have a staged change (deletions included).
    pub(super) staged: Vec<PathBuf>,
}

/// Searches every file `walk` yields for lines `matcher` matches, keeping
/// at most `keep_per_file` lines of each file (no file can show more than
/// the overall cap, so memory stays bounded however many lines match).
/// Binary files (a NUL byte) are skipped as `rg` skips them. Files in
/// `staged` are not searched but reported.
pub(super) fn search(
    walk: &ProjectWalk,
    matcher: &RegexMatcher,
    keep_per_file: usize,
    staged: &StagedFiles,
    stop: &StopFlag,
) -> Found {
    let found = Mutex::new(Found::default());
    walk.for_each_entry(|| {
        let matcher = matcher.clone();
        let mut searcher = searcher();
        let found = &found;
        move |entry: Entry| {
            if stop.is_set() {
                return false;
            }
            if !entry.is_file() {
                return true;
            }
            if staged.is_staged(entry.path()) {
                if let Ok(mut found) = found.lock() {
                    found.staged.push(entry.into_path());
                }
            } else if let Some(file) =
                search_file(walk, &mut searcher, &matcher, entry, keep_per_file)
                && let Ok(mut found) = found.lock()
            {
                found.files.push(file);
            }
            true
        }
    });
    found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Searches `bytes`, the staged content of `path`, as [`search`] searches a
/// file on disk.
pub(super) fn search_bytes(
    matcher: &RegexMatcher,
    path: &Path,
    bytes: &[u8],
    keep: usize,
) -> Option<FileMatches> {
    let mut sink = Collect::new(keep);
    let searched = searcher().search_slice(matcher, bytes, &mut sink);
    sink.into_matches(searched, path.to_path_buf(), SystemTime::UNIX_EPOCH, true)
}

/// A searcher as `rg` searches: line numbers on, quitting a file at its
/// first NUL byte (a binary file).
fn searcher() -> Searcher {
    SearcherBuilder::new()
        .binary_detection(BinaryDetection::quit(b'\x00'))
        .line_number(true)
        .build()
}

/// The matches in one file the walk found; `None` when there are none or
/// it cannot be read. On the machine's disk the searcher reads the file
/// itself; on another, its bytes come through the walk's disk.
fn search_file(
    walk: &ProjectWalk,
    searcher: &mut Searcher,
    matcher: &RegexMatcher,
    entry: Entry,
    keep: usize,
) -> Option<FileMatches> {
    let mut sink = Collect::new(keep);
    let searched = if walk.is_native() {
        searcher.search_path(matcher, entry.path(), &mut sink)
    } else {
        walk.read(&entry)
            .and_then(|bytes| searcher.search_slice(matcher, &bytes, &mut sink))
    };
    if searched.is_err() || sink.count == 0 {
        return None;
    }
    // Only a file with matches needs its time, for the ordering.
    let modified = walk.modified(&entry);
    sink.into_matches(searched, entry.into_path(), modified, false)
}

/// A sink keeping the first `keep` matching lines (lossily decoded, line
/// end trimmed) and counting them all.
struct Collect {
    keep: usize,
    lines: Vec<(u64, String)>,
    count: usize,
}

impl Collect {
    /// An empty sink keeping at most `keep` lines.
    fn new(keep: usize) -> Self {
        Self {
            keep,
            lines: Vec::new(),
            count: 0,
        }
    }

    /// The file's matches, after a search that ended with `searched`; `None`
    /// when it failed or found nothing.
    fn into_matches(
        self,
        searched: io::Result<()>,
        path: PathBuf,
        modified: SystemTime,
        staged: bool,
    ) -> Option<FileMatches> {
        if searched.is_err() || self.count == 0 {
            return None;
        }
        Some(FileMatches {
            path,
            modified,
            staged,
            lines: self.lines,
            count: self.count,
        })
    }
}

impl Sink for Collect {
    type Error = io::Error;

    fn matched(&mut self, _searcher: &Searcher, found: &SinkMatch<'_>) -> io::Result<bool> {
        self.count += 1;
        if self.lines.len() < self.keep {
            let line = String::from_utf8_lossy(found.bytes());
            self.lines.push((
                found.line_number().unwrap_or_default(),
                line.trim_end_matches(['\n', '\r']).to_string(),
            ));
        }
        Ok(true)
    }
}
