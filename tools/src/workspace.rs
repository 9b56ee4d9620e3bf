//! Project confinement: every path a tool touches is resolved here first.
//!
//! A path from the model is joined to the project root (absolute paths are
//! taken as they are), `.` and `..` are normalised lexically, as OpenCode's
//! `path.resolve` does, and then every symlink on the way is followed, so
//! what is checked against the root is the physical path the OS will use. A
//! symlink pointing outside, a not-yet-existing file under a symlinked
//! directory and a dangling symlink are all caught this way.
//!
//! Tools resolve through [`Workspace::resolve_checked`] (or
//! [`Workspace::resolve_for_write_checked`]): a path outside the project is
//! then not refused outright but put to the session's `external_directory`
//! permission, which denies it by default and may allow it (or ask a
//! person) when the configuration says so. `.git/` is never writable,
//! inside the project or out.
//!
//! Every look at the file system (is this a symlink, where does it point,
//! what is in this directory) goes through the session's [`Disk`], so the
//! same checks confine a project on Node's `fs` or in memory.

use code_mesh_runtime::fs::{Disk, FileKind};
use code_mesh_runtime::permission::PermissionAction;
use code_mesh_runtime::tool::{ToolContext, ToolError};
use std::ffi::OsString;
use std::io;
use std::path::{Component, Path, PathBuf};

/// How many symlinks one resolution may follow before giving up, as Linux's
/// `ELOOP` limit.
const MAX_SYMLINK_HOPS: usize = 40;

/// How many similar names a "file not found" error suggests.
const MAX_SUGGESTIONS: usize = 3;

/// The project a tool call is confined to. Resolves the paths the model gives
/// and refuses those that lead outside the project.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The root with every symlink resolved.
    root: PathBuf,
    /// The root as the front end gave it, for messages.
    shown_root: String,
    /// The file system the project lives on.
    disk: Disk,
}

impl Workspace {
    /// The project rooted at `root`, an existing directory on `disk`. The
    /// root may itself be reached through a symlink (`/tmp` on macOS); it is
    /// resolved once here. A relative root is taken from the current
    /// directory, which only the machine's own disk has.
    pub fn new(root: &Path, disk: Disk) -> Result<Self, ToolError> {
        let shown_root = root.display().to_string();
        let io_error = |source| ToolError::Io {
            path: shown_root.clone(),
            source,
        };
        // In wasm32-unknown-unknown `Path::is_absolute` is false for every
        // path (std knows only Unix and Windows forms there): a root there
        // counts as absolute when it starts at `/`.
        let absolute_form = root.is_absolute() || (cfg!(target_family = "wasm") && root.has_root());
        let absolute = if absolute_form {
            root.to_path_buf()
        } else if disk.is_native() {
            std::path::absolute(root).map_err(io_error)?
        } else {
            return Err(ToolError::Failed(format!(
                "the project root {shown_root} is a relative path, and this file system has \
                 no current directory to take it from; give the root as an absolute path"
            )));
        };
        let physical = physical_path(&disk, &normalize_lexically(&absolute)).map_err(io_error)?;
        if !disk.is_dir(&physical) {
            return Err(ToolError::NotFound {
                path: shown_root.clone(),
                message: format!("the project root {shown_root} is not an existing directory"),
            });
        }
        Ok(Self {
            root: physical,
            shown_root,
            disk,
        })
    }

    /// The project of a tool call, on the session's disk.
    pub fn from_context(ctx: &ToolContext) -> Result<Self, ToolError> {
        Self::new(&ctx.root, ctx.disk())
    }

    /// The project root, symlinks resolved.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file system the project lives on.
    pub fn disk(&self) -> &Disk {
        &self.disk
    }

    /// Resolves `given` (relative to the root, or absolute inside it) to the
    /// physical path to act on; refuses with [`ToolError::OutsideProject`] a
    /// path that leads outside the project, through `..`, an absolute path or
    /// a symlink. Tools use [`resolve_checked`](Self::resolve_checked), which
    /// lets the session's permissions allow such a path.
    pub fn resolve(&self, given: &str) -> Result<PathBuf, ToolError> {
        let physical = self.physical(given)?;
        if physical.starts_with(&self.root) {
            Ok(physical)
        } else {
            Err(self.outside(given))
        }
    }

    /// Like [`resolve`](Self::resolve), for tools that write: also refuses,
    /// with [`ToolError::PermissionDenied`], any path inside a `.git`
    /// directory, whose contents only git itself should change.
    pub fn resolve_for_write(&self, given: &str) -> Result<PathBuf, ToolError> {
        let path = self.resolve(given)?;
        self.refuse_git(&path)?;
        Ok(path)
    }

    /// Resolves `given` as [`resolve`](Self::resolve) does, except that a
    /// path outside the project is put to `ctx`'s `external_directory`
    /// permission (on the directory it lies in, as `<dir>/*`): allowed, or
    /// approved by a person, it is returned; denied (the default), it is
    /// refused with [`ToolError::OutsideProject`]; a person's refusal is
    /// the gate's [`ToolError::PermissionDenied`].
    pub async fn resolve_checked(
        &self,
        ctx: &ToolContext,
        given: &str,
    ) -> Result<PathBuf, ToolError> {
        let physical = self.physical(given)?;
        if physical.starts_with(&self.root) {
            return Ok(physical);
        }
        let directory = if self.disk.is_dir(&physical) {
            physical.as_path()
        } else {
            physical.parent().unwrap_or(&physical)
        };
        let pattern = directory.join("*").display().to_string();
        if ctx.permissions.action("external_directory", &pattern) == PermissionAction::Deny {
            return Err(self.outside(given));
        }
        let title = format!(
            "Access {}, outside the project ({})",
            physical.display(),
            self.shown_root
        );
        ctx.check_permission("external_directory", &pattern, &title)
            .await?;
        Ok(physical)
    }

    /// [`resolve_checked`](Self::resolve_checked) for tools that write: a
    /// path inside a `.git` directory is refused whatever the permissions
    /// say.
    pub async fn resolve_for_write_checked(
        &self,
        ctx: &ToolContext,
        given: &str,
    ) -> Result<PathBuf, ToolError> {
        let path = self.resolve_checked(ctx, given).await?;
        self.refuse_git(&path)?;
        Ok(path)
    }

    /// `given` joined to the root, normalised and with its symlinks followed.
    fn physical(&self, given: &str) -> Result<PathBuf, ToolError> {
        let joined = self.root.join(given);
        physical_path(&self.disk, &normalize_lexically(&joined)).map_err(|source| ToolError::Io {
            path: given.to_string(),
            source,
        })
    }

    /// The refusal of `given`, a path outside the project.
    fn outside(&self, given: &str) -> ToolError {
        ToolError::OutsideProject {
            path: given.to_string(),
            root: self.shown_root.clone(),
        }
    }

    /// Refuses `path` if it lies inside a `.git` directory (of this project
    /// or, for an allowed outside path, of any other).
    fn refuse_git(&self, path: &Path) -> Result<(), ToolError> {
        let inside = path.strip_prefix(&self.root).unwrap_or(path);
        let inside_git = inside
            .components()
            .any(|part| part.as_os_str().eq_ignore_ascii_case(".git"));
        if inside_git {
            return Err(ToolError::PermissionDenied(format!(
                "{} is inside .git/, which tools never write; run git commands with the bash \
                 tool instead",
                self.relative(path)
            )));
        }
        Ok(())
    }

    /// `path` relative to the root, for titles and messages (`.` for the root
    /// itself); a path outside is shown whole.
    pub fn relative(&self, path: &Path) -> String {
        match path.strip_prefix(&self.root) {
            Ok(relative) if relative.as_os_str().is_empty() => ".".to_string(),
            Ok(relative) => relative.display().to_string(),
            Err(_) => path.display().to_string(),
        }
    }

    /// The error for a `path` that does not exist, suggesting up to three
    /// similar names from the same directory, since a near-miss is the usual
    /// cause.
    pub fn not_found(&self, path: &Path) -> ToolError {
        let shown = self.relative(path);
        let suggestions = self.similar_names(path);
        let message = if suggestions.is_empty() {
            format!("File not found: {shown}")
        } else {
            format!(
                "File not found: {shown}\n\nDid you mean one of these?\n{}",
                suggestions.join("\n")
            )
        };
        ToolError::NotFound {
            path: shown,
            message,
        }
    }

    /// Names in `path`'s directory that contain, or are contained in, its file
    /// name (as OpenCode suggests), then those that are merely close to it.
    fn similar_names(&self, path: &Path) -> Vec<String> {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return Vec::new();
        };
        let Ok(entries) = self.disk.read_dir(dir) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .into_iter()
            .map(|entry| entry.name.to_string_lossy().into_owned())
            .collect();
        names.sort();
        let wanted = name.to_string_lossy().to_lowercase();
        // A staged deletion leaves the file on disk; it is not a suggestion.
        names.retain(|entry| dir.join(entry) != path);
        let mut picked: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .filter(|entry| {
                let entry = entry.to_lowercase();
                entry.contains(&wanted) || wanted.contains(&entry)
            })
            .take(MAX_SUGGESTIONS)
            .collect();
        let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
        for close in similar::get_close_matches(wanted.as_str(), &candidates, MAX_SUGGESTIONS, 0.6)
        {
            if picked.len() < MAX_SUGGESTIONS && !picked.contains(&close) {
                picked.push(close);
            }
        }
        picked
            .into_iter()
            .map(|entry| self.relative(&dir.join(entry)))
            .collect()
    }
}

/// Removes `.` and resolves `..` against the preceding component, without
/// touching the file system (`..` at the root stays at the root).
fn normalize_lexically(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// One step of a path being resolved.
enum Step {
    /// A Windows drive or UNC prefix: starts over from it.
    Prefix(OsString),
    /// The root directory: starts over from it (keeping any prefix).
    Root,
    /// `..`: back to the parent of what is resolved so far.
    Up,
    /// A name to look up in what is resolved so far.
    Name(OsString),
}

/// The steps of `path`, in order.
fn steps(path: &Path) -> Vec<Step> {
    path.components()
        .filter_map(|part| match part {
            Component::Prefix(prefix) => Some(Step::Prefix(prefix.as_os_str().to_owned())),
            Component::RootDir => Some(Step::Root),
            Component::CurDir => None,
            Component::ParentDir => Some(Step::Up),
            Component::Normal(name) => Some(Step::Name(name.to_owned())),
        })
        .collect()
}

/// The absolute `path` with every symlink in it followed on `disk`, as the
/// OS would, except that components which do not exist yet are kept as they
/// are. Each component of the result was checked not to be a symlink, so the
/// result is the physical location (dangling symlinks included: their target
/// is taken).
fn physical_path(disk: &Disk, path: &Path) -> io::Result<PathBuf> {
    let mut pending = steps(path);
    pending.reverse();
    let mut resolved = PathBuf::new();
    let mut hops = 0;
    while let Some(step) = pending.pop() {
        match step {
            Step::Prefix(prefix) => resolved = PathBuf::from(prefix),
            Step::Root => resolved.push(Component::RootDir),
            Step::Up => {
                resolved.pop();
            }
            Step::Name(name) => {
                let next = resolved.join(&name);
                match disk.metadata(&next) {
                    Ok(meta) if meta.kind == FileKind::Symlink => {
                        hops += 1;
                        if hops > MAX_SYMLINK_HOPS {
                            return Err(io::Error::other(format!(
                                "too many levels of symbolic links at {}",
                                next.display()
                            )));
                        }
                        // The target continues from the link's directory
                        // (`resolved`), or from the root if it is absolute.
                        let target = disk.read_link(&next)?;
                        pending.extend(steps(&target).into_iter().rev());
                    }
                    Ok(_) => resolved = next,
                    Err(error) if error.kind() == io::ErrorKind::NotFound => resolved = next,
                    Err(error) => return Err(error),
                }
            }
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_normalisation_removes_dots_and_stops_at_the_root() {
        assert_eq!(
            normalize_lexically(Path::new("/a/./b/../c")),
            PathBuf::from("/a/c")
        );
        assert_eq!(
            normalize_lexically(Path::new("/a/../../etc")),
            PathBuf::from("/etc")
        );
    }
}
