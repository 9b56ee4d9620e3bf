//! Walking the project as ripgrep does, for grep, glob and list: ripgrep's
//! own `ignore` crate, so `.gitignore`, `.ignore` and hidden files are
//! treated exactly as `rg` treats them.
//!
//! Two choices differ from `rg`'s defaults, both for the sake of a project
//! that may not be a git repository yet and must not be escaped:
//! `.gitignore` files count even outside a git repository (`rg
//! --no-require-git`), and symlinks are never followed, so a link pointing
//! out of the project cannot lead a walk outside it.

use code_mesh_runtime::tool::ToolError;
use ignore::{DirEntry, WalkBuilder};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

/// A walk of `root` with the project's rules: ignore files honoured (git's
/// included, repository or not), hidden files skipped, symlinks not followed.
/// Callers change what they need (`hidden(false)`, overrides, filters).
pub(crate) fn project_walker(root: &Path) -> WalkBuilder {
    let mut builder = WalkBuilder::new(root);
    builder.require_git(false).follow_links(false);
    builder
}

/// Walks with `builder`, giving every entry it yields (directories, the root
/// itself included) to a visitor made by `make_visitor`, which returns
/// `false` to stop the walk. Natively the walk runs on several threads, one
/// visitor each; in wasm it runs on the calling thread with one visitor.
/// Entries that cannot be read (permission denied, say) are skipped, as `rg`
/// skips them.
pub(crate) fn for_each_entry<M, V>(builder: &WalkBuilder, make_visitor: M)
where
    M: Fn() -> V,
    V: FnMut(DirEntry) -> bool + Send,
{
    #[cfg(not(target_family = "wasm"))]
    builder.build_parallel().run(|| {
        let mut visit = make_visitor();
        Box::new(move |entry| match entry.map(&mut visit) {
            Ok(false) => ignore::WalkState::Quit,
            Ok(true) | Err(_) => ignore::WalkState::Continue,
        })
    });

    #[cfg(target_family = "wasm")]
    {
        let mut visit = make_visitor();
        for entry in builder.build().flatten() {
            if !visit(entry) {
                break;
            }
        }
    }
}

/// When `entry` was last modified; the epoch when that cannot be read, so
/// such files sort last among newest-first results.
pub(crate) fn modified(entry: &DirEntry) -> SystemTime {
    entry
        .metadata()
        .ok()
        .and_then(|meta| meta.modified().ok())
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// Whether `entry` is a regular file (symlinks, which are not followed, are
/// not).
pub(crate) fn is_file(entry: &DirEntry) -> bool {
    entry.file_type().is_some_and(|kind| kind.is_file())
}

/// Whether `entry` is a directory.
pub(crate) fn is_dir(entry: &DirEntry) -> bool {
    entry.file_type().is_some_and(|kind| kind.is_dir())
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
