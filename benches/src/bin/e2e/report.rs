//! The printed report: the budget table with the measured medians
//! beside each row, what is not budgeted but explains the figures, and the
//! long run's per-turn time and memory as the conversation grows.

use crate::binary::BinarySize;
use crate::measure::{ProcessSample, RunSample};
use crate::stats::{Summary, summary};
use std::path::Path;

/// Nanoseconds in a millisecond.
const NS_PER_MS: f64 = 1e6;
/// KiB in a MiB.
const KIB_PER_MIB: f64 = 1024.0;

/// One row of the budget table.
struct Row {
    measure: &'static str,
    budget_text: &'static str,
    /// The budget, in `unit`.
    budget: f64,
    unit: &'static str,
    measured: Summary,
}

impl Row {
    fn print(&self) {
        let verdict = if self.measured.median <= self.budget {
            "ok".to_string()
        } else {
            format!("OVER ×{:.1}", self.measured.median / self.budget)
        };
        let unit = self.unit;
        println!(
            "| {} | {} | {:.2} {unit} | {:.2} … {:.2} {unit} | {verdict} |",
            self.measure,
            self.budget_text,
            self.measured.median,
            self.measured.min,
            self.measured.max,
        );
    }
}

/// Prints the budget table for the scripted runs, the `--version` runs and
/// the binary's size, then the unbudgeted phases.
pub fn budget_table(
    bin: &Path,
    scripted: &[RunSample],
    version: &[ProcessSample],
    size: &BinarySize,
) {
    let ms =
        |values: &mut dyn Iterator<Item = u64>| summary(values.map(|ns| ns as f64 / NS_PER_MS));
    let mib =
        |values: &mut dyn Iterator<Item = u64>| summary(values.map(|kib| kib as f64 / KIB_PER_MIB));
    // Each run's mean over its turns (the read's and the edit's): pooling
    // the two kinds would put the median between them.
    let mean_turn = |run: &RunSample| {
        let count = run.turns_ns.len().max(1) as u64;
        run.turns_ns.iter().sum::<u64>() / count
    };

    println!();
    println!("Code Mesh end-to-end bench: {}", bin.display());
    println!(
        "{} runs of read → edit → answer (3 model requests) against the mock LLM server; \
         medians, with min … max",
        scripted.len()
    );
    if scripted.len() < 10 {
        println!("(fewer than 10 runs: the budget is judged on medians of at least 10)");
    }
    println!();
    println!("| measure | budget | median | min … max | |");
    println!("|---|---|---|---|---|");
    let rows = [
        Row {
            measure: "whole scripted 3-request run, wall",
            budget_text: "≤ 50 ms",
            budget: 50.0,
            unit: "ms",
            measured: ms(&mut scripted.iter().map(|run| run.process.wall_ns)),
        },
        Row {
            measure: "peak RSS of that run",
            budget_text: "≤ 20 MiB",
            budget: 20.0,
            unit: "MiB",
            measured: mib(&mut scripted.iter().map(|run| run.process.peak_rss_kib)),
        },
        Row {
            measure: "process start → first model request",
            budget_text: "≤ 10 ms",
            budget: 10.0,
            unit: "ms",
            measured: ms(&mut scripted.iter().map(|run| run.first_request_ns)),
        },
        Row {
            measure: "agent's own time per turn (a run's mean)",
            budget_text: "≤ 2 ms",
            budget: 2.0,
            unit: "ms",
            measured: ms(&mut scripted.iter().map(mean_turn)),
        },
        Row {
            measure: "`code-mesh --version`, wall",
            budget_text: "≤ 5 ms",
            budget: 5.0,
            unit: "ms",
            measured: ms(&mut version.iter().map(|run| run.wall_ns)),
        },
        Row {
            measure: "`code-mesh --version`, peak RSS",
            budget_text: "≤ 10 MiB",
            budget: 10.0,
            unit: "MiB",
            measured: mib(&mut version.iter().map(|run| run.peak_rss_kib)),
        },
    ];
    for row in &rows {
        row.print();
    }
    let shipped = size.stripped.unwrap_or(size.on_disk) as f64 / 1e6;
    Row {
        measure: if size.stripped.is_some() {
            "stripped release binary"
        } else {
            "release binary (`strip` not found: as built)"
        },
        budget_text: "≤ 15 MB",
        budget: 15.0,
        unit: "MB",
        measured: summary([shipped]),
    }
    .print();
}

/// Prints what is not budgeted but explains the figures: each turn on its
/// own, the time to exit, CPU time, request sizes, the measuring floor and
/// how busy the machine was.
pub fn context(
    scripted: &[RunSample],
    version: &[ProcessSample],
    floor: &[ProcessSample],
    size: &BinarySize,
    load: (Option<String>, Option<String>),
) {
    let ms = |values: &mut dyn Iterator<Item = u64>| {
        summary(values.map(|ns| ns as f64 / NS_PER_MS)).median
    };
    println!();
    println!("Not budgeted (medians):");
    for (index, label) in ["after the read", "after the edit (write + fsync)"]
        .iter()
        .enumerate()
    {
        let turn = ms(&mut scripted
            .iter()
            .filter_map(|run| run.turns_ns.get(index).copied()));
        println!("  turn {} ({label}): {turn:.2} ms", index + 1);
    }
    let exit = ms(&mut scripted.iter().map(|run| run.exit_ns));
    println!("  last answer sent → process exit: {exit:.2} ms");
    let cpu = ms(&mut scripted.iter().map(|run| run.process.cpu_ns));
    println!("  CPU time of the run (user + system): {cpu:.2} ms");
    let version_cpu = ms(&mut version.iter().map(|run| run.cpu_ns));
    println!("  CPU time of `--version`: {version_cpu:.2} ms");
    if let Some(run) = scripted.first() {
        let bodies: Vec<String> = run
            .request_bytes
            .iter()
            .map(|bytes| format!("{:.1}", *bytes as f64 / 1024.0))
            .collect();
        println!("  request bodies: {} KiB", bodies.join(", "));
    }
    println!("  binary as built: {:.2} MB", size.on_disk as f64 / 1e6);
    if !floor.is_empty() {
        let wall = ms(&mut floor.iter().map(|run| run.wall_ns));
        let rss = summary(
            floor
                .iter()
                .map(|run| run.peak_rss_kib as f64 / KIB_PER_MIB),
        );
        println!(
            "  floor of the method, spawning /bin/true: {wall:.2} ms, {:.2} MiB \
             (a child's peak RSS cannot read lower: it starts as a copy of the measuring process)",
            rss.median
        );
    }
    if let (Some(before), Some(after)) = load {
        println!(
            "  load average (1, 5, 15 min) before → after: {before} → {after} on {} CPUs",
            std::thread::available_parallelism().map_or(1, usize::from)
        );
    }
}

/// The system's load averages (`/proc/loadavg`), where there is one.
pub fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    Some(
        text.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Prints the long run: per-turn agent time and request size by tenths of
/// the run, so growth with the turn count shows, and its peak RSS beside the
/// short run's.
pub fn long_run(turns: u32, long: &[RunSample], scripted: &[RunSample]) {
    let turns = turns as usize;
    let bucket = turns.div_ceil(10).max(1);
    println!();
    println!(
        "{turns}-turn run: {turns} `read` calls, then an answer ({} runs; medians)",
        long.len()
    );
    println!();
    println!("| turns | agent time per turn | min … max | request body after |");
    println!("|---|---|---|---|");
    let mut start = 0;
    while start < turns {
        let end = (start + bucket).min(turns);
        let times = summary(
            long.iter()
                .flat_map(|run| run.turns_ns.get(start..end).unwrap_or_default())
                .map(|&ns| ns as f64 / NS_PER_MS),
        );
        let body = long
            .first()
            .and_then(|run| run.request_bytes.get(end))
            .map_or(0.0, |&bytes| bytes as f64 / 1024.0);
        println!(
            "| {}–{end} | {:.2} ms | {:.2} … {:.2} ms | {body:.1} KiB |",
            start + 1,
            times.median,
            times.min,
            times.max
        );
        start = end;
    }
    let rss = summary(
        long.iter()
            .map(|run| run.process.peak_rss_kib as f64 / KIB_PER_MIB),
    );
    let short_rss = summary(
        scripted
            .iter()
            .map(|run| run.process.peak_rss_kib as f64 / KIB_PER_MIB),
    );
    let wall = summary(
        long.iter()
            .map(|run| run.process.wall_ns as f64 / NS_PER_MS),
    );
    let cpu = summary(long.iter().map(|run| run.process.cpu_ns as f64 / NS_PER_MS));
    println!();
    println!(
        "peak RSS: {:.2} MiB (3-request run: {:.2} MiB); wall: {:.1} ms; CPU: {:.1} ms",
        rss.median, short_rss.median, wall.median, cpu.median
    );
}
