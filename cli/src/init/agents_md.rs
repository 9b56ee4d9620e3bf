//! A starter `AGENTS.md`: the project's top-level layout and the build and
//! test commands its manifests suggest, found by looking at the files — no
//! model is asked. The person fills in the rest.

use anyhow::Context;
use std::fmt::Write;
use std::path::Path;

/// The most top-level entries listed; a bigger project gets "…".
const MAX_ENTRIES: usize = 40;

/// Directories that hold builds or downloads, not the project's own work.
const SKIPPED: &[&str] = &[
    "target",
    "node_modules",
    "dist",
    "build",
    "__pycache__",
    "venv",
];

/// Manifests and what they say about building and testing.
const MANIFESTS: &[(&str, &str, &str)] = &[
    ("Cargo.toml", "Rust (cargo)", "`cargo build`, `cargo test`"),
    (
        "package.json",
        "JavaScript/TypeScript (npm)",
        "`npm install`, `npm test`",
    ),
    ("pyproject.toml", "Python", "`pytest`"),
    ("setup.py", "Python", "`pytest`"),
    ("go.mod", "Go", "`go build ./...`, `go test ./...`"),
    ("pom.xml", "Java (Maven)", "`mvn package`, `mvn test`"),
    (
        "build.gradle",
        "Java/Kotlin (Gradle)",
        "`gradle build`, `gradle test`",
    ),
    (
        "CMakeLists.txt",
        "C/C++ (CMake)",
        "`cmake -B build && cmake --build build`",
    ),
    ("Makefile", "make", "`make`, `make test`"),
];

/// The starter text for the project at `root`.
pub fn starter(root: &Path) -> anyhow::Result<String> {
    let mut entries: Vec<(String, bool)> = std::fs::read_dir(root)
        .with_context(|| format!("cannot list {}", root.display()))?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            let hidden = name.starts_with('.');
            let skipped = is_dir && SKIPPED.contains(&name.as_str());
            (!hidden && !skipped).then_some((name, is_dir))
        })
        .collect();
    // Directories first, then files, each by name.
    entries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));

    let mut text = String::from(
        "# AGENTS.md\n\n\
         Instructions for the AI agents working in this project (Code Mesh reads\n\
         this file, as do other tools). Say what a newcomer needs: how to build and\n\
         test, the conventions to keep, what not to touch.\n",
    );
    let found: Vec<_> = MANIFESTS
        .iter()
        .filter(|(file, ..)| root.join(file).is_file())
        .collect();
    if !found.is_empty() {
        text.push_str("\n## Build and test\n\n");
        for (file, kind, commands) in found {
            let _ = writeln!(text, "- {kind} (`{file}`): {commands}");
        }
    }
    text.push_str("\n## Layout\n\n");
    if entries.is_empty() {
        text.push_str("- (empty so far)\n");
    }
    for (name, is_dir) in entries.iter().take(MAX_ENTRIES) {
        if *is_dir {
            let count = std::fs::read_dir(root.join(name)).map_or(0, Iterator::count);
            let _ = writeln!(text, "- `{name}/` ({count} entries)");
        } else {
            let _ = writeln!(text, "- `{name}`");
        }
    }
    if entries.len() > MAX_ENTRIES {
        let _ = writeln!(text, "- … and {} more", entries.len() - MAX_ENTRIES);
    }
    text.push_str("\n## Conventions\n\n- (write them here)\n");
    Ok(text)
}
