//! The walk of a disk that is not the machine's own (Node's `fs`, a project
//! in memory): directories read through the [`Disk`](code_mesh_runtime::fs::Disk),
//! each entry decided as ripgrep's walker decides it — the overrides first,
//! then the ignore files ([`IgnoreRules`]), then whether it is hidden, then
//! the walk's filter — on the calling thread, depth first, each directory's
//! entries in name order.

use super::ProjectWalk;
use super::entry::{Candidate, Entry};
use super::ignore_rules::IgnoreRules;
use code_mesh_runtime::fs::FileKind;
use ignore::Match;
use std::path::{Path, PathBuf};

/// Walks `walk`'s root, giving `visit` every entry not left out, the root
/// first; stops when `visit` returns `false`. A directory that cannot be
/// read is yielded but not descended into; a root that does not exist
/// yields nothing.
pub(super) fn walk(walk: &ProjectWalk, visit: &mut dyn FnMut(Entry) -> bool) {
    let disk = &walk.disk;
    let Ok(root) = disk.metadata(&walk.root) else {
        return;
    };
    if !visit(Entry::new(walk.root.clone(), 0, root.kind)) || root.kind != FileKind::Dir {
        return;
    }
    let mut pending: Vec<(PathBuf, usize, IgnoreRules)> =
        vec![(walk.root.clone(), 0, IgnoreRules::above(disk, &walk.root))];
    while let Some((dir, depth, inherited)) = pending.pop() {
        let Ok(mut listing) = disk.read_dir(&dir) else {
            continue;
        };
        listing.sort_by(|a, b| a.name.cmp(&b.name));
        let rules = inherited.with_dir(disk, &dir, Some(&listing));
        let mut below = Vec::new();
        for item in listing {
            let path = dir.join(&item.name);
            if skips(walk, &rules, &path, depth + 1, item.kind) {
                continue;
            }
            if item.kind == FileKind::Dir {
                below.push((path.clone(), depth + 1, rules.clone()));
            }
            if !visit(Entry::new(path, depth + 1, item.kind)) {
                return;
            }
        }
        // Popped in name order.
        pending.extend(below.into_iter().rev());
    }
}

/// Whether the entry at `path` is left out (and, for a directory, all
/// under it), in ripgrep's order: a matching override decides; else an
/// ignore file's matching line; else a hidden name is skipped unless
/// hidden entries are walked; then the walk's filter has its say.
fn skips(
    walk: &ProjectWalk,
    rules: &IgnoreRules,
    path: &Path,
    depth: usize,
    kind: FileKind,
) -> bool {
    let is_dir = kind == FileKind::Dir;
    let overridden = walk.overrides.as_ref().map_or(Match::None, |overrides| {
        overrides.matched(path, is_dir).map(|_| ())
    });
    let decided = if overridden.is_none() {
        rules.matched(path, is_dir)
    } else {
        overridden
    };
    if decided.is_ignore() {
        return true;
    }
    let hidden = path
        .file_name()
        .is_some_and(|name| name.as_encoded_bytes().starts_with(b"."));
    if decided.is_none() && walk.skip_hidden && hidden {
        return true;
    }
    walk.filter
        .as_ref()
        .is_some_and(|filter| !filter(&Candidate::new(path, depth, kind)))
}
