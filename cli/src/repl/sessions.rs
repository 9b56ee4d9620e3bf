//! `/sessions`: the project's saved sessions, newest first, read from the
//! saved change sets (`<data dir>/sessions/<project id>/*.changes.json`)
//! until a session store lists them itself.

use code_mesh_runtime::changes;
use code_mesh_runtime::config::project_id;
use std::path::Path;
use std::time::SystemTime;

const SUFFIX: &str = ".changes.json";

/// The ids of the project at `root`'s saved sessions with when each was
/// last saved, newest first.
pub fn saved_sessions(data_dir: &Path, root: &Path) -> anyhow::Result<Vec<(String, SystemTime)>> {
    // The directory is where any session's file goes.
    let probe = changes::changes_file(data_dir, &project_id(root), "probe")?;
    let Some(dir) = probe.parent() else {
        return Ok(Vec::new());
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut sessions = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(id) = name.to_str().and_then(|n| n.strip_suffix(SUFFIX)) else {
            continue;
        };
        if let Ok(modified) = entry.metadata().and_then(|m| m.modified()) {
            sessions.push((id.to_string(), modified));
        }
    }
    sessions.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
    Ok(sessions)
}

/// How long ago `time` was, roughly: `12s`, `5m`, `3h`, `2d`.
pub fn ago(time: SystemTime) -> String {
    let secs = time.elapsed().map(|d| d.as_secs()).unwrap_or_default();
    match secs {
        0..60 => format!("{secs}s"),
        60..3_600 => format!("{}m", secs / 60),
        3_600..86_400 => format!("{}h", secs / 3_600),
        _ => format!("{}d", secs / 86_400),
    }
}
