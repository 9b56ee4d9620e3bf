//! What a session's log says its agents did last: the latest plan with its
//! tasks' states, and the latest status report's agents and tasks. Only
//! what was recorded is shown; a log without them shows nothing.

use code_mesh_runtime::protocol::{Event, PlanStatus, StatusReport, TaskState};
use code_mesh_runtime::session::SessionRecord;
use std::io::Write;

/// Shows the last plan and the last status report in `records`, if any.
pub fn show(out: &mut impl Write, records: &[SessionRecord]) -> anyhow::Result<()> {
    let events = || {
        records.iter().rev().filter_map(|record| match record {
            SessionRecord::Event { event } => Some(event),
            _ => None,
        })
    };
    let plan = events().find_map(|event| match event {
        Event::PlanUpdated { plan } => Some(plan.clone()),
        _ => None,
    });
    if let Some(plan) = plan {
        show_plan(out, &plan)?;
    } else if let Some((summary, count)) = events().find_map(|event| match event {
        Event::PlanProposed { plan, .. } => Some((plan.summary.clone(), plan.tasks.len())),
        _ => None,
    }) {
        writeln!(out, "last plan (proposed, {count} tasks): {summary}")?;
    }
    let report = events().find_map(|event| match event {
        Event::Status { report } => Some(report),
        _ => None,
    });
    if let Some(report) = report {
        show_report(out, report)?;
    }
    Ok(())
}

fn show_plan(out: &mut impl Write, plan: &PlanStatus) -> anyhow::Result<()> {
    writeln!(out, "last plan: {}", plan.summary)?;
    for task in &plan.tasks {
        writeln!(
            out,
            "  {:<8} {}  {}",
            state_name(&task.state),
            task.id,
            task.description
        )?;
    }
    Ok(())
}

fn show_report(out: &mut impl Write, report: &StatusReport) -> anyhow::Result<()> {
    if !report.agents.is_empty() {
        writeln!(out, "agents at the last status report:")?;
        for agent in &report.agents {
            let state = match agent.state {
                code_mesh_runtime::protocol::AgentState::Working => "working",
                code_mesh_runtime::protocol::AgentState::Restarting => "restarting",
            };
            writeln!(out, "  {} {} {state} {}", agent.id, agent.role, agent.model)?;
        }
    }
    if !report.tasks.is_empty() {
        writeln!(out, "tasks at the last status report:")?;
        for task in &report.tasks {
            writeln!(
                out,
                "  {:<8} {} ({})  {}",
                state_name(&task.state),
                task.id,
                task.role,
                task.description
            )?;
        }
    }
    Ok(())
}

/// The state as the JSON form names it (`running`, `done`, …).
fn state_name(state: &TaskState) -> &'static str {
    match state {
        TaskState::Blocked => "blocked",
        TaskState::Ready => "ready",
        TaskState::Running => "running",
        TaskState::Done => "done",
        TaskState::Failed => "failed",
    }
}
