use crate::support::Project;
use code_mesh_runtime::tool::{Tool, ToolError};
use code_mesh_tools::BashTool;
use serde_json::json;
use std::time::{Duration, Instant};

/// Whether process `pid` is still alive (a zombie waiting to be reaped
/// counts as dead).
fn is_running(pid: i32) -> bool {
    let stat = std::path::PathBuf::from(format!("/proc/{pid}/stat"));
    if std::path::Path::new("/proc/self/stat").exists() {
        return match std::fs::read_to_string(stat) {
            Ok(stat) => !matches!(
                stat.rsplit(')')
                    .next()
                    .map(str::trim_start)
                    .and_then(|s| s.chars().next()),
                Some('Z' | 'X')
            ),
            Err(_) => false,
        };
    }
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_ok()
}

/// Waits up to 3 s for `pid` to die; whether it did.
async fn dies_soon(pid: i32) -> bool {
    for _ in 0..60 {
        if !is_running(pid) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// The pid a command wrote to `file` in the project.
fn pid_in(project: &Project, file: &str) -> i32 {
    project.contents(file).trim().parse().expect("a pid")
}

#[tokio::test(flavor = "current_thread")]
async fn bash_combines_stdout_and_stderr_in_arrival_order() {
    let project = Project::new();
    let ran = project
        .call(
            &BashTool,
            json!({ "command": "echo one; echo two >&2; echo three" }),
        )
        .await
        .expect("ran");
    assert_eq!(ran.output, "one\ntwo\nthree\nexit code 0");
}

#[tokio::test(flavor = "current_thread")]
async fn bash_non_zero_exit_is_reported_not_an_error() {
    let project = Project::new();
    let ran = project
        .call(&BashTool, json!({ "command": "echo failing >&2; exit 3" }))
        .await
        .expect("not a tool error");
    assert_eq!(ran.output, "failing\nexit code 3");
}

#[tokio::test(flavor = "current_thread")]
async fn bash_runs_in_the_project_root_or_the_workdir() {
    let project = Project::new();
    project.file("sub/marker.txt", "");
    let ran = project
        .call(&BashTool, json!({ "command": "ls" }))
        .await
        .expect("ran");
    assert_eq!(ran.output, "sub\nexit code 0");
    let ran = project
        .call(&BashTool, json!({ "command": "ls", "workdir": "sub" }))
        .await
        .expect("ran");
    assert_eq!(ran.output, "marker.txt\nexit code 0");
}

#[tokio::test(flavor = "current_thread")]
async fn bash_refuses_workdir_outside_the_project() {
    let project = Project::new();
    let error = project
        .call(&BashTool, json!({ "command": "ls", "workdir": ".." }))
        .await
        .expect_err("outside");
    assert!(matches!(error, ToolError::OutsideProject { .. }), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn bash_title_is_the_description_or_the_command() {
    let project = Project::new();
    let ran = project
        .call(
            &BashTool,
            json!({ "command": "true", "description": "Does nothing" }),
        )
        .await
        .expect("ran");
    assert_eq!(ran.title, "Does nothing");
    assert_eq!(ran.output, "(no output)\nexit code 0");
    let ran = project
        .call(&BashTool, json!({ "command": "true" }))
        .await
        .expect("ran");
    assert_eq!(ran.title, "true");
}

#[tokio::test(flavor = "current_thread")]
async fn bash_caps_long_output_and_saves_the_full_text_where_the_marker_says() {
    let project = Project::new();
    // 1..=20000, one per line: 108894 characters.
    let ran = project
        .call(&BashTool, json!({ "command": "seq 1 20000" }))
        .await
        .expect("ran");
    assert!(ran.output.starts_with("1\n2\n3\n"));
    assert!(
        ran.output.ends_with("19999\n20000\nexit code 0"),
        "{}",
        &ran.output[ran.output.len() - 100..]
    );
    // 990 lines of the head and 990 of the tail are kept, within the shared
    // limit of 2000 lines.
    assert!(ran.output.contains(
        "\n990\n\n... [99102 characters cut from the middle of the output; the full output \
         is saved in .code-mesh/tool-output/bash_"
    ));
    assert!(ran.output.contains("\n\n19011\n"));
    assert!(ran.output.lines().count() <= 2000);
    let saved = ran
        .output
        .split("is saved in ")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .expect("the saved file's path");
    let expected: String = (1..=20000).map(|n| format!("{n}\n")).collect();
    assert_eq!(project.contents(saved), expected);
}

#[tokio::test(flavor = "current_thread")]
async fn bash_short_output_leaves_no_saved_file() {
    let project = Project::new();
    project
        .call(&BashTool, json!({ "command": "seq 1 100" }))
        .await
        .expect("ran");
    assert!(!project.path(".code-mesh").exists());
}

#[tokio::test(flavor = "current_thread")]
async fn bash_sleep_1000_with_a_1_s_timeout_returns_in_about_a_second_and_leaves_nothing() {
    let project = Project::new();
    let started = Instant::now();
    let ran = project
        .call(
            &BashTool,
            json!({ "command": "echo $$ > shell.pid; sleep 1000", "timeout": 1000 }),
        )
        .await
        .expect("ran");
    let took = started.elapsed();
    assert!(took >= Duration::from_secs(1), "{took:?}");
    assert!(took < Duration::from_millis(2500), "{took:?}");
    assert!(
        ran.output.contains("timed out after 1000 ms"),
        "{}",
        ran.output
    );
    // The shell led its own process group: nothing of it is left.
    let group = nix::unistd::Pid::from_raw(pid_in(&project, "shell.pid"));
    let mut gone = false;
    for _ in 0..60 {
        if nix::sys::signal::killpg(group, None).is_err() {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(gone, "a process of the command's group survived");
}

#[tokio::test(flavor = "current_thread")]
async fn bash_timeout_kills_process_group() {
    let project = Project::new();
    let started = Instant::now();
    let ran = project
        .call(
            &BashTool,
            json!({ "command": "sleep 30 & echo $! > bg.pid; echo started; wait", "timeout": 500 }),
        )
        .await
        .expect("ran");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(ran.output.starts_with("started\n"), "{}", ran.output);
    assert!(
        ran.output.contains("timed out after 500 ms"),
        "{}",
        ran.output
    );
    assert!(
        dies_soon(pid_in(&project, "bg.pid")).await,
        "the background sleep survived"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn bash_timeout_kills_processes_that_ignore_sigterm() {
    let project = Project::new();
    let started = Instant::now();
    let ran = project
        .call(
            &BashTool,
            json!({ "command": "trap '' TERM; sleep 30 & echo $! > bg.pid; wait", "timeout": 300 }),
        )
        .await
        .expect("ran");
    // The 2 s grace after SIGTERM, then SIGKILL.
    assert!(started.elapsed() >= Duration::from_secs(2));
    assert!(started.elapsed() < Duration::from_secs(6));
    assert!(ran.output.contains("timed out"), "{}", ran.output);
    assert!(
        dies_soon(pid_in(&project, "bg.pid")).await,
        "the background sleep survived"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn bash_cancelled_call_kills_process_group() {
    let project = Project::new();
    let call = BashTool.call(
        json!({ "command": "sleep 30 & echo $! > bg.pid; wait" }),
        &project.ctx,
    );
    // Dropping the call's future is how an agent's cancellation reaches it.
    let cancelled = tokio::time::timeout(Duration::from_millis(500), call).await;
    assert!(
        cancelled.is_err(),
        "the command should still have been running"
    );
    assert!(
        dies_soon(pid_in(&project, "bg.pid")).await,
        "the background sleep survived"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn bash_returns_when_the_shell_exits_even_if_a_background_job_holds_the_output() {
    let project = Project::new();
    let started = Instant::now();
    let ran = project
        .call(
            &BashTool,
            json!({ "command": "sleep 5 & echo $! > bg.pid; echo done" }),
        )
        .await
        .expect("ran");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(ran.output, "done\nexit code 0");
    let pid = pid_in(&project, "bg.pid");
    assert!(
        is_running(pid),
        "background jobs of a finished command are left alone"
    );
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGKILL,
    );
}
