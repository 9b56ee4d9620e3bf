//! The history log (config `history: true`): each run's turn appended as
//! Markdown to the project's `.code-mesh/history.md`, for the team to read.

use crate::sessions::markdown;
use crate::time::utc;
use anyhow::Context;
use code_mesh_runtime::session::SessionRecord;
use std::io::Write;
use std::path::Path;

/// Appends the turn made of `records` (session `id`, model `model`) to the
/// history log of the project at `root`, in one write.
pub fn append(root: &Path, id: &str, model: &str, records: &[SessionRecord]) -> anyhow::Result<()> {
    let dir = root.join(".code-mesh");
    let path = dir.join("history.md");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let entry = format!(
        "---\n\n*{} · session `{id}` · model `{model}`*\n\n{}",
        utc(now),
        markdown::body(id, records)
    );
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    file.write_all(entry.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}
