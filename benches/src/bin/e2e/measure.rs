//! One measured run, in the current process: start the mock server, run
//! `code-mesh` once, and read the timings off this process's clock and the
//! server's stamps; the child's peak RSS and CPU time come from
//! `getrusage(RUSAGE_CHILDREN)`, which covers only it since it is this
//! process's one child.

use crate::scenario::Scenario;
use anyhow::{Context, bail, ensure};
use code_mesh_test_support::{MockLlmServer, RecordedRequest};
use nix::sys::resource::{UsageWho, getrusage};
use nix::sys::time::TimeValLike;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What any process run costs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProcessSample {
    /// From just before spawning it to its exit being seen, in nanoseconds.
    pub wall_ns: u64,
    /// Its peak resident set size, in KiB.
    pub peak_rss_kib: u64,
    /// User plus system CPU time, in nanoseconds.
    pub cpu_ns: u64,
}

/// What one `code-mesh run` costs, phase by phase.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunSample {
    /// The whole process.
    pub process: ProcessSample,
    /// Process spawned → first model request received by the server.
    pub first_request_ns: u64,
    /// For each answer but the last: answer fully sent by the server → next
    /// request received. The agent's own work per turn (reading the answer,
    /// running tools, building the next request), plus one loopback hop.
    pub turns_ns: Vec<u64>,
    /// Last answer fully sent → process exit seen.
    pub exit_ns: u64,
    /// The size of each model request's JSON body, in bytes.
    pub request_bytes: Vec<u64>,
}

/// Runs `bin --version` once.
pub fn version(bin: &Path) -> anyhow::Result<ProcessSample> {
    let mut command = Command::new(bin);
    command
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let started = Instant::now();
    let status = command
        .status()
        .with_context(|| format!("cannot run {}", bin.display()))?;
    let wall = started.elapsed();
    ensure!(
        status.success(),
        "`code-mesh --version` exited with {status}"
    );
    process_sample(wall)
}

/// Runs `scenario` once with `bin run` in a fresh project against a fresh
/// mock server, and checks it did the task.
pub fn run(bin: &Path, scenario: &Scenario) -> anyhow::Result<RunSample> {
    let server = MockLlmServer::try_start(scenario.script.clone())
        .context("cannot start the mock LLM server")?;
    let project = scenario.project();
    let scratch = tempfile::tempdir().context("cannot make a scratch directory")?;
    let stdout_path = scratch.path().join("stdout");
    let stderr_path = scratch.path().join("stderr");

    let mut command = Command::new(bin);
    command
        .current_dir(project.path())
        // Away from the user's own config and keys.
        .env("CODE_MESH_HOME", scratch.path().join("home"))
        .env("OPENAI_BASE_URL", server.base_url())
        // A key as a real user has one (the mock accepts any).
        .env("OPENAI_API_KEY", "sk-bench")
        .env("NO_COLOR", "1")
        .args(["run", "--yes", "-m", "openai/bench-model", scenario.prompt])
        .stdin(Stdio::null())
        .stdout(File::create(&stdout_path)?)
        .stderr(File::create(&stderr_path)?);
    let started = Instant::now();
    let status = command
        .spawn()
        .with_context(|| format!("cannot run {}", bin.display()))?
        .wait()?;
    let exited = Instant::now();
    let process = process_sample(exited - started)?;

    if !status.success() {
        let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
        bail!("`code-mesh run` exited with {status}:\n{stderr}");
    }
    let requests = server.requests();
    ensure!(
        requests.len() == scenario.expected_requests(),
        "the run made {} model requests, not {}",
        requests.len(),
        scenario.expected_requests()
    );
    scenario.check(&project)?;
    phases(process, started, exited, &requests)
}

/// Splits a run into its phases from the server's stamps.
fn phases(
    process: ProcessSample,
    started: Instant,
    exited: Instant,
    requests: &[RecordedRequest],
) -> anyhow::Result<RunSample> {
    let (Some(first), Some(last)) = (requests.first(), requests.last()) else {
        bail!("the run made no model request");
    };
    let sent = |request: &RecordedRequest| {
        request
            .responded_at
            .context("an answer was never fully sent")
    };
    let mut turns_ns = Vec::with_capacity(requests.len());
    for pair in requests.windows(2) {
        turns_ns.push(nanos(
            pair[1]
                .received_at
                .saturating_duration_since(sent(&pair[0])?),
        ));
    }
    Ok(RunSample {
        process,
        first_request_ns: nanos(first.received_at.saturating_duration_since(started)),
        turns_ns,
        exit_ns: nanos(exited.saturating_duration_since(sent(last)?)),
        request_bytes: requests
            .iter()
            .map(|request| request.body.to_string().len() as u64)
            .collect(),
    })
}

/// The wall time given, and peak RSS and CPU time of this process's
/// children (just the one run).
fn process_sample(wall: Duration) -> anyhow::Result<ProcessSample> {
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).context("getrusage failed")?;
    let cpu_us = usage.user_time().num_microseconds() + usage.system_time().num_microseconds();
    Ok(ProcessSample {
        wall_ns: nanos(wall),
        // Linux reports kilobytes (KiB).
        peak_rss_kib: u64::try_from(usage.max_rss()).unwrap_or_default(),
        cpu_ns: u64::try_from(cpu_us).unwrap_or_default() * 1_000,
    })
}

fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}
