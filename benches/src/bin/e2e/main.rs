//! The end-to-end bench: the release `code-mesh run` against the test kit's
//! mock LLM server, measured the way a person feels it, with the figures set
//! beside the performance budget (issue 9).
//!
//! ```sh
//! cargo run --release -p code-mesh-benches --bin e2e -- [--runs N] [--turns N]
//! ```
//!
//! Each run happens in a fresh process of this binary (the hidden `measure`
//! command), so `getrusage(RUSAGE_CHILDREN)` there gives the peak RSS of that
//! run's `code-mesh` alone. That process starts the mock server, makes a
//! temporary project, runs `code-mesh`, and reports the timings it took from
//! its own clock and the server's request stamps as one JSON line.
//!
//! - `scenario`: the scripted tasks (read → edit → answer; N reads → answer).
//! - `measure`: one measured run, and what it reports.
//! - `binary`: finding (or building) the release binary, and its size.
//! - `stats` and `report`: medians, and the printed tables.

mod binary;
mod measure;
mod report;
mod scenario;
mod stats;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use measure::{ProcessSample, RunSample};
use scenario::Scenario;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "e2e",
    about = "End-to-end bench of the release code-mesh binary against a mock LLM server"
)]
struct Cli {
    /// Measured runs of the scripted read → edit → answer task (and of
    /// `code-mesh --version`); the table shows their medians.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    /// Model requests answered with a `read` call in the long run (then one
    /// answer); 0 skips the long run.
    #[arg(long, default_value_t = 100)]
    turns: u32,
    /// How many long runs to take medians over.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    long_runs: u32,
    /// The binary to measure; default: `$CODE_MESH_BIN`, else the release
    /// build in this target directory (built first if needed).
    #[arg(long)]
    bin: Option<PathBuf>,
    /// Internal: one measured run in this process.
    #[command(subcommand)]
    measure: Option<MeasureOne>,
}

/// One measured run, done in a fresh process so its child's peak RSS is its own.
#[derive(Debug, Subcommand)]
enum MeasureOne {
    /// Runs one scenario and prints its sample as one JSON line.
    #[command(hide = true)]
    Measure {
        /// `scripted`, `long` or `version`.
        scenario: String,
        /// The binary to run.
        #[arg(long)]
        bin: PathBuf,
        /// For `long`: how many reads.
        #[arg(long, default_value_t = 100)]
        turns: u32,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(MeasureOne::Measure {
        scenario,
        bin,
        turns,
    }) = cli.measure
    {
        return measure_here(&scenario, &bin, turns);
    }
    let bin = match cli
        .bin
        .or_else(|| std::env::var_os("CODE_MESH_BIN").map(PathBuf::from))
    {
        Some(bin) => bin,
        None => binary::release_binary()?,
    };
    bench(&bin, cli.runs, cli.turns, cli.long_runs)
}

/// A program that starts and exits at once: spawning it shows the floor
/// of this way of measuring (its wall time, and the RSS `getrusage` reports
/// for a child that uses almost none).
const NOOP_PROGRAM: &str = "/bin/true";

/// The whole bench: warm-up, measured runs, report.
fn bench(bin: &Path, runs: u32, turns: u32, long_runs: u32) -> anyhow::Result<()> {
    eprintln!("e2e: measuring {}", bin.display());
    let load_before = report::load_average();
    // One unmeasured run of each, so the binary is in the page cache.
    measure_in_child::<RunSample>(bin, "scripted", 0)?;
    measure_in_child::<ProcessSample>(bin, "version", 0)?;

    let noop = Path::new(NOOP_PROGRAM);
    let mut scripted = Vec::new();
    let mut version = Vec::new();
    let mut floor = Vec::new();
    for run in 1..=runs {
        progress(Some(&format!("run {run}/{runs}")));
        scripted.push(measure_in_child::<RunSample>(bin, "scripted", 0)?);
        version.push(measure_in_child::<ProcessSample>(bin, "version", 0)?);
        if noop.is_file() {
            floor.push(measure_in_child::<ProcessSample>(noop, "version", 0)?);
        }
    }
    progress(None);
    let size = binary::stripped_size(bin)?;
    let load = (load_before, report::load_average());
    report::budget_table(bin, &scripted, &version, &size);
    report::context(&scripted, &version, &floor, &size, load);

    if turns > 0 {
        let mut long = Vec::new();
        for run in 1..=long_runs {
            progress(Some(&format!("{turns}-turn run {run}/{long_runs}")));
            long.push(measure_in_child::<RunSample>(bin, "long", turns)?);
        }
        progress(None);
        report::long_run(turns, &long, &scripted);
    }
    Ok(())
}

/// Says how far the bench has got on one line, rewritten in place; only on
/// a terminal, so a redirected report stays clean. `None` clears the line.
fn progress(step: Option<&str>) {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() {
        match step {
            Some(step) => eprint!("\r\x1b[2Ke2e: {step}"),
            None => eprint!("\r\x1b[2K"),
        }
    }
}

/// Runs `scenario` in a fresh process of this binary and reads its sample.
fn measure_in_child<T: serde::de::DeserializeOwned>(
    bin: &Path,
    scenario: &str,
    turns: u32,
) -> anyhow::Result<T> {
    let me = std::env::current_exe().context("cannot find the bench's own executable")?;
    let output = Command::new(me)
        .arg("measure")
        .arg(scenario)
        .arg("--bin")
        .arg(bin)
        .arg("--turns")
        .arg(turns.to_string())
        .output()
        .context("cannot start a measuring process")?;
    if !output.status.success() {
        bail!(
            "the {scenario} run failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(line)
        .with_context(|| format!("unreadable sample from the {scenario} run: {line}"))
}

/// Does one measured run in this process and prints its sample.
fn measure_here(scenario: &str, bin: &Path, turns: u32) -> anyhow::Result<()> {
    let line = match scenario {
        "version" => serde_json::to_string(&measure::version(bin)?)?,
        "scripted" => serde_json::to_string(&measure::run(bin, &Scenario::read_edit_answer())?)?,
        "long" => serde_json::to_string(&measure::run(bin, &Scenario::reads(turns))?)?,
        other => bail!("unknown scenario `{other}`: expected scripted, long or version"),
    };
    println!("{line}");
    Ok(())
}
