//! [`code_mesh_bin`]: the built `code-mesh` binary, for end-to-end tests.
//!
//! The end-to-end tests live in this crate, not in `code-mesh-cli`, so cargo
//! does not build the binary for them (`CARGO_BIN_EXE_*` only exists in the
//! binary's own package). We find it next to the test executable and build it
//! when it is missing or older than its sources, so
//! `cargo nextest run --workspace` works on a fresh clone.

use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::SystemTime;

/// Overrides where the binary is looked for (e.g. a nextest archive).
const BIN_ENV: &str = "CODE_MESH_BIN";

/// The workspace root, where `cargo build` is run.
const WORKSPACE_ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// The path of the `code-mesh` binary.
///
/// `CODE_MESH_BIN` if set; otherwise `<target dir>/<profile>/code-mesh`
/// beside the running test (test executables live in
/// `target/<profile>/deps/`). When that binary is missing or older than its
/// sources, runs `cargo build -p code-mesh-cli --bin code-mesh`
/// (with `$CARGO` when set) once per process.
///
/// # Panics
///
/// If the binary cannot be found or built; the message carries cargo's output.
#[expect(
    clippy::panic,
    reason = "an end-to-end test without its binary cannot run"
)]
pub fn code_mesh_bin() -> PathBuf {
    static BINARY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match BINARY.get_or_init(locate_or_build) {
        Ok(path) => path.clone(),
        Err(message) => panic!("{message}"),
    }
}

fn locate_or_build() -> Result<PathBuf, String> {
    if let Some(path) = env::var_os(BIN_ENV) {
        return Ok(PathBuf::from(path));
    }
    let exe = env::current_exe().map_err(|e| format!("cannot find the test executable: {e}"))?;
    let mut profile_dir = exe
        .parent()
        .ok_or_else(|| format!("{} has no parent directory", exe.display()))?;
    if profile_dir.ends_with("deps") {
        profile_dir = profile_dir.parent().unwrap_or(profile_dir);
    }
    let binary = profile_dir.join(format!("code-mesh{}", env::consts::EXE_SUFFIX));
    let workspace = Path::new(WORKSPACE_ROOT);
    if is_up_to_date(&binary, workspace) {
        return Ok(binary);
    }
    build(profile_dir, workspace)?;
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!(
            "cargo built code-mesh but {} does not exist; set {BIN_ENV} to the binary",
            binary.display()
        ))
    }
}

/// Whether `binary` exists and is newer than every source it was built
/// from: the files cargo listed in its dep-info (`code-mesh.d` beside it),
/// the workspace manifest and the lock file. Cargo stays the judge when
/// this says no: an unneeded `cargo build` only costs a moment.
fn is_up_to_date(binary: &Path, workspace: &Path) -> bool {
    let Some(built) = modified(binary) else {
        return false;
    };
    if !workspace.join("Cargo.toml").is_file() {
        // Not run from a checkout (an archive, say): use what is there.
        return true;
    }
    let Ok(dep_info) = fs::read_to_string(binary.with_extension("d")) else {
        return false;
    };
    let manifests = [workspace.join("Cargo.toml"), workspace.join("Cargo.lock")];
    dep_info_sources(&dep_info)
        .into_iter()
        .chain(manifests)
        .all(|source| modified(&source).is_some_and(|time| time <= built))
}

/// The prerequisites of the first rule of a Makefile-style dep-info file
/// (`target: src/a.rs src/b.rs`, spaces in paths escaped as `\ `).
fn dep_info_sources(dep_info: &str) -> Vec<PathBuf> {
    let Some(rule) = dep_info.lines().next() else {
        return Vec::new();
    };
    let mut paths = Vec::new();
    let mut current = String::new();
    let mut chars = rule.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&' ') => {
                current.push(' ');
                chars.next();
            }
            ' ' => paths.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    paths.push(current);
    // The first word is the target itself, ending in `:`.
    paths
        .into_iter()
        .filter(|path| !path.is_empty())
        .skip_while(|path| !path.ends_with(':'))
        .skip(1)
        .map(PathBuf::from)
        .collect()
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|meta| meta.modified()).ok()
}

/// Runs `cargo build` for the binary into the same target directory and
/// profile as the running test.
fn build(profile_dir: &Path, workspace: &Path) -> Result<(), String> {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut command = Command::new(&cargo);
    command
        .current_dir(workspace)
        .args(["build", "-p", "code-mesh-cli", "--bin", "code-mesh"]);

    match profile_dir.file_name().and_then(|name| name.to_str()) {
        Some("debug") | None => {}
        Some("release") => {
            command.arg("--release");
        }
        Some(profile) => {
            command.args(["--profile", profile]);
        }
    }
    // `target/<profile>` or, for a `--target` build, `target/<triple>/<profile>`;
    // cargo marks the target directory itself with CACHEDIR.TAG.
    if let Some(parent) = profile_dir.parent() {
        match parent.parent() {
            Some(root) if !is_target_dir(parent) && is_target_dir(root) => {
                command.arg("--target-dir").arg(root);
                if let Some(triple) = parent.file_name() {
                    command.arg("--target").arg(triple);
                }
            }
            _ => {
                command.arg("--target-dir").arg(parent);
            }
        }
    }

    let output = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cargo.to_string_lossy()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`cargo build -p code-mesh-cli --bin code-mesh` failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn is_target_dir(dir: &Path) -> bool {
    dir.join("CACHEDIR.TAG").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dep_info_lists_the_prerequisites_of_the_first_rule() {
        let dep_info =
            "/t/debug/code-mesh: /w/cli/src/main.rs /w/my\\ dir/a.rs\n\n/w/cli/src/main.rs:\n";
        assert_eq!(
            dep_info_sources(dep_info),
            [
                PathBuf::from("/w/cli/src/main.rs"),
                PathBuf::from("/w/my dir/a.rs")
            ]
        );
        assert!(dep_info_sources("").is_empty());
    }
}
