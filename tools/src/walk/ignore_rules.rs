//! The ignore files in force in a directory, read through a [`Disk`], for
//! a walk of a disk that is not the machine's own. The same rules as
//! ripgrep's walker with `--no-require-git`, on the `ignore` crate's own
//! gitignore matcher: each directory's `.ignore`, `.gitignore` and (where
//! it has a `.git` directory) `.git/info/exclude` apply below it, from the
//! file system's root down; the deepest file with a matching line decides,
//! and `.ignore` wins over `.gitignore`, which wins over `info/exclude`.
//! Git's global excludes file (`~/.config/git/ignore`) lives in a home
//! directory such a disk does not have, so it is not read.

use code_mesh_runtime::fs::{DirEntry, Disk};
use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::path::Path;
use std::sync::Arc;

/// The UTF-8 byte-order mark git skips at the start of an ignore file.
const BOM: &str = "\u{feff}";

/// The rules in force in one directory: its own ignore files' and every
/// ancestor's. Cheap to clone (a shared chain, deepest first).
#[derive(Debug, Clone, Default)]
pub(super) struct IgnoreRules(Option<Arc<Level>>);

/// One directory's ignore files, and the rules of the directory above.
#[derive(Debug)]
struct Level {
    /// `.ignore`.
    ignore: Gitignore,
    /// `.gitignore`.
    git: Gitignore,
    /// `.git/info/exclude`.
    exclude: Gitignore,
    parent: Option<Arc<Level>>,
}

impl IgnoreRules {
    /// The rules the ancestors of `dir` set (not `dir`'s own files), up to
    /// the file system's root, as ripgrep reads its parents' ignore files.
    pub(super) fn above(disk: &Disk, dir: &Path) -> Self {
        let mut ancestors: Vec<&Path> = dir.ancestors().skip(1).collect();
        ancestors.reverse();
        ancestors
            .into_iter()
            .fold(Self::default(), |rules, ancestor| {
                rules.with_dir(disk, ancestor, None)
            })
    }

    /// These rules and those of `dir`'s own ignore files. `listing`, when
    /// the directory was already read, says which of them exist, sparing a
    /// read of each missing one.
    pub(super) fn with_dir(&self, disk: &Disk, dir: &Path, listing: Option<&[DirEntry]>) -> Self {
        let has = |name: &str| listing.is_none_or(|entries| entries.iter().any(|e| e.name == name));
        let read = |present: bool, root: &Path, file: &Path| {
            if present {
                read_ignore_file(disk, root, file)
            } else {
                Gitignore::empty()
            }
        };
        let ignore = read(has(".ignore"), dir, &dir.join(".ignore"));
        let git = read(has(".gitignore"), dir, &dir.join(".gitignore"));
        let exclude = read(has(".git"), dir, &dir.join(".git/info/exclude"));
        if ignore.is_empty() && git.is_empty() && exclude.is_empty() {
            return self.clone();
        }
        Self(Some(Arc::new(Level {
            ignore,
            git,
            exclude,
            parent: self.0.clone(),
        })))
    }

    /// Whether `path` (absolute, under every directory of these rules) is
    /// ignored, whitelisted (a `!` line) or neither.
    pub(super) fn matched(&self, path: &Path, is_dir: bool) -> Match<()> {
        let (mut ignore, mut git, mut exclude) = (Match::None, Match::None, Match::None);
        let mut level = self.0.as_deref();
        while let Some(current) = level {
            if ignore.is_none() {
                ignore = current.ignore.matched(path, is_dir).map(|_| ());
            }
            if git.is_none() {
                git = current.git.matched(path, is_dir).map(|_| ());
            }
            if exclude.is_none() {
                exclude = current.exclude.matched(path, is_dir).map(|_| ());
            }
            level = current.parent.as_deref();
        }
        ignore.or(git).or(exclude)
    }
}

/// The rules of the ignore file `file`, matching paths under `root`; none
/// when it is missing or unreadable (ripgrep carries on the same way). As
/// ripgrep reads it: line by line up to the first that is not UTF-8, a
/// leading byte-order mark skipped, invalid lines left out.
fn read_ignore_file(disk: &Disk, root: &Path, file: &Path) -> Gitignore {
    let Ok(Some(bytes)) = disk.read_if_exists(file) else {
        return Gitignore::empty();
    };
    let mut builder = GitignoreBuilder::new(root);
    let mut lines = bytes.split(|&byte| byte == b'\n').peekable();
    let mut first = true;
    while let Some(raw) = lines.next() {
        if raw.is_empty() && lines.peek().is_none() {
            break;
        }
        let Ok(line) = std::str::from_utf8(raw) else {
            break;
        };
        // A `\r` is part of a CRLF line end only when a `\n` follows.
        let line = match lines.peek() {
            Some(_) => line.strip_suffix('\r').unwrap_or(line),
            None => line,
        };
        let line = if first {
            line.trim_start_matches(BOM)
        } else {
            line
        };
        first = false;
        // An invalid glob spoils only its own line.
        let _ = builder.add_line(Some(file.to_path_buf()), line);
    }
    builder.build().unwrap_or_else(|_| Gitignore::empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use code_mesh_runtime::fs::MemoryFs;

    fn disk(files: &[(&str, &str)]) -> Disk {
        Disk::new(MemoryFs::with_files(Path::new("/p"), files.iter().copied()).unwrap())
    }

    #[test]
    fn a_nested_negation_beats_the_parent_ignore_and_ignore_beats_gitignore() {
        let disk = disk(&[
            (".gitignore", "*.log\n"),
            ("keep/.gitignore", "!important.log\n"),
            (".ignore", "!forced.log\n"),
        ]);
        let root =
            IgnoreRules::above(&disk, Path::new("/p")).with_dir(&disk, Path::new("/p"), None);
        let keep = root.with_dir(&disk, Path::new("/p/keep"), None);
        assert!(root.matched(Path::new("/p/debug.log"), false).is_ignore());
        assert!(
            root.matched(Path::new("/p/forced.log"), false)
                .is_whitelist()
        );
        assert!(
            keep.matched(Path::new("/p/keep/other.log"), false)
                .is_ignore()
        );
        assert!(
            keep.matched(Path::new("/p/keep/important.log"), false)
                .is_whitelist()
        );
        assert!(root.matched(Path::new("/p/main.rs"), false).is_none());
    }

    #[test]
    fn an_ignore_file_with_a_bom_and_crlf_lines_is_read_as_git_reads_it() {
        let disk = disk(&[(".gitignore", "\u{feff}target\r\n# comment\r\n")]);
        let rules = IgnoreRules::default().with_dir(&disk, Path::new("/p"), None);
        assert!(rules.matched(Path::new("/p/target"), true).is_ignore());
    }

    #[test]
    fn git_info_exclude_applies_to_its_repository() {
        let disk = disk(&[(".git/info/exclude", "secret.txt\n")]);
        let rules = IgnoreRules::default().with_dir(&disk, Path::new("/p"), None);
        assert!(rules.matched(Path::new("/p/secret.txt"), false).is_ignore());
    }
}
