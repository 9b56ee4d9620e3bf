//! `code-mesh auth login|list|logout` end to end: the built binary, a
//! temporary `CODE_MESH_HOME`, and a `run` against the mock LLM server that
//! uses the saved key.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_test_support::{MockLlmServer, MockResponse, TempProject, code_mesh_bin};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// Every key variable `auth list` looks at, so the user's own keys stay out.
const KEY_VARS: &[&str] = &[
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "OPENROUTER_API_KEY",
    "GROQ_API_KEY",
    "DEEPSEEK_API_KEY",
    "MISTRAL_API_KEY",
    "TOGETHER_API_KEY",
    "OLLAMA_API_KEY",
    "LMSTUDIO_API_KEY",
    "LLAMACPP_API_KEY",
    "VLLM_API_KEY",
];

const KEY: &str = "sk-test-0123456789abcdef";

/// A project with its own Code Mesh home, isolated from the user's.
struct Home {
    project: TempProject,
}

impl Home {
    fn new() -> Self {
        Self {
            project: TempProject::new(),
        }
    }

    fn dir(&self) -> PathBuf {
        self.project.path().join(".code-mesh-home")
    }

    fn auth_json(&self) -> PathBuf {
        self.dir().join("auth.json")
    }

    /// `code-mesh <args>` with `stdin` piped in (nothing, when `None`).
    fn run(&self, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(code_mesh_bin());
        cmd.current_dir(self.project.path())
            .env("CODE_MESH_HOME", self.dir())
            .env_remove("OPENAI_BASE_URL")
            .args(args)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for var in KEY_VARS {
            cmd.env_remove(var);
        }
        for (name, value) in env {
            cmd.env(name, value);
        }
        let mut child = cmd.spawn().expect("the code-mesh binary runs");
        if let Some(input) = stdin {
            // A command that fails before reading its input closes the pipe.
            let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        }
        child.wait_with_output().unwrap()
    }

    fn login(&self, provider: &str, key: &str) -> Output {
        self.run(
            &["auth", "login", "--provider", provider],
            Some(&format!("{key}\n")),
            &[],
        )
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn login_list_run_and_logout_round_trip() {
    let home = Home::new();

    let login = home.login("openai", KEY);
    assert!(login.status.success(), "stderr: {}", stderr(&login));
    let said = stdout(&login);
    assert!(said.contains("Saved the openai key (sk-…cdef)"), "{said}");
    assert!(
        said.contains(&home.auth_json().display().to_string()),
        "{said}"
    );

    let list = home.run(&["auth", "list"], None, &[]);
    assert!(list.status.success(), "stderr: {}", stderr(&list));
    let listed = stdout(&list);
    assert!(listed.contains("openai  sk-…cdef"), "{listed}");
    assert!(!listed.contains(KEY), "the key leaked: {listed}");

    let server = MockLlmServer::start([MockResponse::text("Hello.")]);
    let run = home.run(
        &["run", "say hello"],
        None,
        &[("OPENAI_BASE_URL", &server.base_url())],
    );
    assert!(run.status.success(), "stderr: {}", stderr(&run));
    let requests = server.requests();
    assert_eq!(
        requests[0].header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );

    let logout = home.run(&["auth", "logout", "openai"], None, &[]);
    assert!(logout.status.success(), "stderr: {}", stderr(&logout));
    assert!(
        stdout(&logout).contains("Removed the openai key"),
        "{}",
        stdout(&logout)
    );

    let listed = stdout(&home.run(&["auth", "list"], None, &[]));
    assert!(!listed.contains("openai"), "{listed}");
    assert!(listed.contains("No keys saved"), "{listed}");
}

#[test]
fn anthropic_requests_carry_the_saved_key() {
    let home = Home::new();
    assert!(
        home.login("anthropic", "sk-ant-saved-0123456789")
            .status
            .success()
    );
    let server = MockLlmServer::start([MockResponse::text("Hello.")]);

    let run = home.run(
        &["run", "-m", "anthropic/claude-sonnet-4-0", "say hello"],
        None,
        &[("ANTHROPIC_BASE_URL", &format!("http://{}", server.addr()))],
    );

    assert!(run.status.success(), "stderr: {}", stderr(&run));
    assert_eq!(
        server.requests()[0].header("x-api-key"),
        Some("sk-ant-saved-0123456789")
    );
}

#[cfg(unix)]
#[test]
fn the_credentials_file_is_readable_only_by_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();

    assert!(home.login("groq", "gsk_0123456789abcdef").status.success());

    let mode = |path: PathBuf| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(home.auth_json()), 0o600);
    assert_eq!(mode(home.dir()), 0o700);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(home.auth_json()).unwrap()).unwrap();
    assert_eq!(
        saved,
        serde_json::json!({ "groq": { "type": "api", "key": "gsk_0123456789abcdef" } })
    );
}

#[test]
fn environment_variable_wins_over_the_saved_key() {
    let home = Home::new();
    assert!(home.login("openai", KEY).status.success());
    let server = MockLlmServer::start([MockResponse::text("Hello.")]);
    let env_key = "sk-from-env-0123456789wxyz";

    let run = home.run(
        &["run", "say hello"],
        None,
        &[
            ("OPENAI_BASE_URL", &server.base_url()),
            ("OPENAI_API_KEY", env_key),
        ],
    );

    assert!(run.status.success(), "stderr: {}", stderr(&run));
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some(format!("Bearer {env_key}").as_str())
    );
    let listed = stdout(&home.run(&["auth", "list"], None, &[("OPENAI_API_KEY", env_key)]));
    assert!(
        listed.contains("(OPENAI_API_KEY is set and used instead)"),
        "{listed}"
    );
    assert!(listed.contains("From environment variables:"), "{listed}");
    assert!(listed.contains("OPENAI_API_KEY  sk-…wxyz"), "{listed}");
}

#[test]
fn corrupt_credentials_file_is_a_one_line_error_naming_it() {
    let home = Home::new();
    std::fs::create_dir_all(home.dir()).unwrap();
    std::fs::write(home.auth_json(), "{\"openai\": {\"type\": \"api\", ").unwrap();

    for args in [&["auth", "list"][..], &["run", "hello"][..]] {
        let out = home.run(args, None, &[("OPENAI_API_KEY", KEY)]);
        assert!(!out.status.success(), "{args:?} succeeded");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.contains(&home.auth_json().display().to_string()),
            "{args:?}: {err}"
        );
        assert!(err.contains("move it aside"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn empty_key_is_refused_and_nothing_is_saved() {
    let home = Home::new();

    let out = home.login("openai", "   ");

    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no API key given"),
        "{}",
        stderr(&out)
    );
    assert!(!home.auth_json().exists());
}

#[test]
fn login_without_a_terminal_needs_the_provider() {
    let home = Home::new();

    let out = home.run(&["auth", "login"], Some("sk-abc\n"), &[]);

    assert!(!out.status.success());
    assert!(stderr(&out).contains("--provider"), "{}", stderr(&out));
}

#[test]
fn login_to_an_unknown_provider_lists_the_known_ones() {
    let home = Home::new();

    let out = home.login("nowhere", KEY);

    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("`nowhere`"), "{err}");
    assert!(err.contains("openai"), "{err}");
    assert!(!home.auth_json().exists());
}

#[test]
fn logout_of_a_provider_without_a_saved_key_is_a_clear_error() {
    let home = Home::new();
    assert!(home.login("openai", KEY).status.success());

    let out = home.run(&["auth", "logout", "groq"], None, &[]);

    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("no key is saved for `groq`"), "{err}");
    assert!(err.contains("saved: openai"), "{err}");
}

#[test]
fn logout_without_a_terminal_needs_the_provider() {
    let home = Home::new();
    assert!(home.login("openai", KEY).status.success());

    let out = home.run(&["auth", "logout"], None, &[]);

    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("code-mesh auth logout <provider>"),
        "{}",
        stderr(&out)
    );
    assert!(home.auth_json().exists());
}
