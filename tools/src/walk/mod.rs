//! Walking the project as ripgrep does, for grep, glob and list:
//! `.gitignore`, `.ignore` and hidden files are treated exactly as `rg`
//! treats them.
//!
//! Two choices differ from `rg`'s defaults, both for the sake of a project
//! that may not be a git repository yet and must not be escaped:
//! `.gitignore` files count even outside a git repository (`rg
//! --no-require-git`), and symlinks are never followed, so a link pointing
//! out of the project cannot lead a walk outside it.
//!
//! A [`ProjectWalk`] walks the session's [`Disk`]. On the machine's own disk
//! it is ripgrep's `ignore` walker itself, on several threads; on any other
//! (Node's `fs`, a project in memory) it is `disk_walk`, which reads the
//! directories and ignore files through the `Disk` and applies the same
//! rules with the same `ignore` matchers. Both yield the same [`Entry`], so
//! the tools above the walk have one code path.

mod disk_walk;
mod entry;
mod ignore_rules;

pub(crate) use entry::{Candidate, Entry};

use code_mesh_runtime::fs::Disk;
use code_mesh_runtime::tool::ToolError;
use ignore::WalkBuilder;
use ignore::overrides::Override;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

/// A filter deciding, for each entry below the root, whether it is yielded
/// (and, for a directory, descended into).
type EntryFilter = Arc<dyn Fn(&Candidate<'_>) -> bool + Send + Sync>;

/// A walk of a directory of the project with the project's rules: ignore
/// files honoured (git's included, repository or not), hidden entries
/// skipped, symlinks not followed. Callers change what they need
/// ([`hidden`](Self::hidden), [`overrides`](Self::overrides),
/// [`filter_entry`](Self::filter_entry)), then walk with
/// [`for_each_entry`](Self::for_each_entry).
#[derive(Clone)]
pub(crate) struct ProjectWalk {
    disk: Disk,
    root: PathBuf,
    /// Whether hidden entries (a name starting with `.`) are skipped.
    skip_hidden: bool,
    /// Globs that decide before the ignore files do (`rg --glob`).
    overrides: Option<Override>,
    filter: Option<EntryFilter>,
}

impl ProjectWalk {
    /// A walk of `root` (absolute, confined) on `disk`.
    pub(crate) fn new(disk: &Disk, root: &Path) -> Self {
        Self {
            disk: disk.clone(),
            root: root.to_path_buf(),
            skip_hidden: true,
            overrides: None,
            filter: None,
        }
    }

    /// Whether hidden entries are skipped (the default) or walked.
    pub(crate) fn hidden(&mut self, skip: bool) -> &mut Self {
        self.skip_hidden = skip;
        self
    }

    /// Globs matched before the ignore files, as `rg --glob` takes them: a
    /// match (`glob` or `!glob`) decides; with any positive glob, files that
    /// match none are left out.
    pub(crate) fn overrides(&mut self, overrides: Override) -> &mut Self {
        self.overrides = Some(overrides);
        self
    }

    /// Leaves out every entry below the root for which `filter` is false
    /// (and, for a directory, everything under it). Applied after the
    /// ignore rules.
    pub(crate) fn filter_entry<F>(&mut self, filter: F) -> &mut Self
    where
        F: Fn(&Candidate<'_>) -> bool + Send + Sync + 'static,
    {
        self.filter = Some(Arc::new(filter));
        self
    }

    /// When `entry` was last modified; the epoch when that cannot be read,
    /// so such files sort last among newest-first results.
    pub(crate) fn modified(&self, entry: &Entry) -> SystemTime {
        self.disk
            .metadata(entry.path())
            .ok()
            .and_then(|meta| meta.modified)
            .unwrap_or(SystemTime::UNIX_EPOCH)
    }

    /// The file's bytes, read through the walk's disk (for a search on a
    /// disk that is not the machine's).
    pub(crate) fn read(&self, entry: &Entry) -> std::io::Result<Vec<u8>> {
        self.disk.read(entry.path())
    }

    /// Whether the walk is on the machine's own disk, so `std::fs` reaches
    /// its files (and a search may open them itself).
    pub(crate) fn is_native(&self) -> bool {
        self.disk.is_native()
    }

    /// Walks, giving every entry it yields (directories, the root itself
    /// included) to a visitor made by `make_visitor`, which returns `false`
    /// to stop the walk. On the machine's disk the walk runs on several
    /// threads, one visitor each; otherwise it runs on the calling thread
    /// with one visitor. Entries that cannot be read (permission denied,
    /// say) are skipped, as `rg` skips them.
    pub(crate) fn for_each_entry<M, V>(&self, make_visitor: M)
    where
        M: Fn() -> V,
        V: FnMut(Entry) -> bool + Send,
    {
        if self.disk.is_native() {
            self.walk_natively(make_visitor);
        } else {
            let mut visit = make_visitor();
            disk_walk::walk(self, &mut visit);
        }
    }

    /// ripgrep's own walker over `std::fs`.
    fn walk_natively<M, V>(&self, make_visitor: M)
    where
        M: Fn() -> V,
        V: FnMut(Entry) -> bool + Send,
    {
        let mut builder = WalkBuilder::new(&self.root);
        builder
            .require_git(false)
            .follow_links(false)
            .hidden(self.skip_hidden);
        if let Some(overrides) = &self.overrides {
            builder.overrides(overrides.clone());
        }
        if let Some(filter) = &self.filter {
            let filter = Arc::clone(filter);
            builder.filter_entry(move |entry| filter(&Candidate::of_native(entry)));
        }

        #[cfg(not(target_family = "wasm"))]
        builder.build_parallel().run(|| {
            let mut visit = make_visitor();
            Box::new(
                move |entry| match entry.map(|entry| visit(Entry::from(entry))) {
                    Ok(false) => ignore::WalkState::Quit,
                    Ok(true) | Err(_) => ignore::WalkState::Continue,
                },
            )
        });

        // No threads in wasm (nor a native disk: this is never reached there).
        #[cfg(target_family = "wasm")]
        {
            let mut visit = make_visitor();
            for entry in builder.build().flatten() {
                if !visit(Entry::from(entry)) {
                    break;
                }
            }
        }
    }
}

/// Set once the tool call that started a walk is dropped (cancelled), so the
/// walk, which may be running on another thread, stops early.
#[derive(Debug, Clone, Default)]
pub(crate) struct StopFlag(Arc<AtomicBool>);

impl StopFlag {
    /// Whether the walk should stop.
    pub(crate) fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Sets its flag when dropped.
struct SetOnDrop(StopFlag);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        (self.0).0.store(true, Ordering::Relaxed);
    }
}

/// Runs `work` (a walk, a search) off the async executor's thread when a
/// tokio runtime is there to take it, so other agents keep running meanwhile;
/// otherwise (no runtime, or wasm) runs it in place. `work` is handed a flag
/// that is set if this call is dropped before it finishes.
pub(crate) async fn run_blocking<T, F>(work: F) -> Result<T, ToolError>
where
    F: FnOnce(StopFlag) -> T + Send + 'static,
    T: Send + 'static,
{
    let stop = StopFlag::default();
    let _guard = SetOnDrop(stop.clone());
    #[cfg(not(target_family = "wasm"))]
    if tokio::runtime::Handle::try_current().is_ok() {
        return tokio::task::spawn_blocking(move || work(stop))
            .await
            .map_err(|error| {
                ToolError::Failed(format!("the search stopped unexpectedly: {error}"))
            });
    }
    Ok(work(stop))
}
