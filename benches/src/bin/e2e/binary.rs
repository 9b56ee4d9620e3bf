//! The binary under test: the release build of `code-mesh`, and its size
//! once stripped.

use anyhow::{Context, ensure};
use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root, where cargo is run.
const WORKSPACE_ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// How large the binary is on disk.
#[derive(Debug, Clone, Copy)]
pub struct BinarySize {
    /// As built.
    pub on_disk: u64,
    /// After `strip`, or `None` when `strip` could not be run.
    pub stripped: Option<u64>,
}

/// The release `code-mesh` in this bench's target directory, after
/// `cargo build --release -p code-mesh-cli` (a moment's no-op when it is up
/// to date).
pub fn release_binary() -> anyhow::Result<PathBuf> {
    let me = env::current_exe().context("cannot find the bench's own executable")?;
    // The bench is `<target>/<profile>/e2e`.
    let target_dir = me
        .parent()
        .and_then(Path::parent)
        .with_context(|| format!("{} is not in a target directory", me.display()))?;
    let cargo = env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    eprintln!("e2e: cargo build --release -p code-mesh-cli");
    let status = Command::new(&cargo)
        .current_dir(WORKSPACE_ROOT)
        .args([
            "build",
            "--release",
            "-p",
            "code-mesh-cli",
            "--bin",
            "code-mesh",
        ])
        .arg("--target-dir")
        .arg(target_dir)
        .status()
        .with_context(|| format!("cannot run {}", cargo.to_string_lossy()))?;
    ensure!(
        status.success(),
        "building the release binary failed ({status}); set CODE_MESH_BIN to measure another"
    );
    let binary = target_dir
        .join("release")
        .join(format!("code-mesh{}", env::consts::EXE_SUFFIX));
    ensure!(binary.is_file(), "{} was not built", binary.display());
    Ok(binary)
}

/// The size of `bin` as built and, stripped of symbols by `strip` into a
/// scratch copy, as it would ship.
pub fn stripped_size(bin: &Path) -> anyhow::Result<BinarySize> {
    let on_disk = fs::metadata(bin)
        .with_context(|| format!("cannot read {}", bin.display()))?
        .len();
    let scratch = tempfile::tempdir().context("cannot make a scratch directory")?;
    let copy = scratch.path().join("code-mesh");
    let stripped = match Command::new("strip").arg("-o").arg(&copy).arg(bin).status() {
        Ok(status) if status.success() => fs::metadata(&copy).ok().map(|meta| meta.len()),
        _ => None,
    };
    Ok(BinarySize { on_disk, stripped })
}
