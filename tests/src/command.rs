//! The built `code-mesh` binary as an end-to-end test runs it: inside a
//! temporary project, cut off from the person's own config, keys and
//! provider settings, so a test sees only what it sets.

use crate::{TempProject, code_mesh_bin};
use std::process::{Command, Output};

/// Environment variables that would let the machine's own settings leak in.
const ISOLATED_VARIABLES: &[&str] = &[
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_BASE_URL",
    "OPENROUTER_API_KEY",
    "GROQ_API_KEY",
    "DEEPSEEK_API_KEY",
    "MISTRAL_API_KEY",
    "TOGETHER_API_KEY",
    "OLLAMA_API_KEY",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
];

/// A `code-mesh` command run in `project`, with its own `CODE_MESH_HOME`
/// inside the project, no provider variables and `NO_COLOR` set; add the
/// arguments and the variables the test needs.
pub fn code_mesh_command(project: &TempProject) -> Command {
    let mut cmd = Command::new(code_mesh_bin());
    cmd.current_dir(project.path())
        .env("CODE_MESH_HOME", project.path().join(".code-mesh-home"))
        .env("NO_COLOR", "1");
    for name in ISOLATED_VARIABLES {
        cmd.env_remove(name);
    }
    cmd
}

/// A finished command's standard output as text.
pub fn stdout_text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A finished command's standard error as text.
pub fn stderr_text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Fails the test unless the finished command succeeded, showing its exit
/// code and both outputs.
#[expect(clippy::panic, reason = "a test helper fails the test loudly")]
pub fn assert_success(out: &Output) {
    if !out.status.success() {
        panic!(
            "exit {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            stdout_text(out),
            stderr_text(out)
        );
    }
}
