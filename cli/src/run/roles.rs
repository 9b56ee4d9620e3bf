//! The agent roles a run registers — `coder`, `planner`, `reviewer`, and
//! `tester` when the project has a test command — with the config's
//! settings for each (`agent.<role>.steps`, `.model`, `.command`,
//! `.timeout`, `.rounds`).

use anyhow::Context;
use code_mesh_agents::{Coder, LoopLimits, Planner, Reviewer, Tester, detect_test_command};
use code_mesh_runtime::auth::AuthStore;
use code_mesh_runtime::config::Config;
use code_mesh_runtime::model::ModelRef;
use code_mesh_runtime::supervisor::SupervisorBuilder;
use std::collections::BTreeSet;
use std::path::Path;
use std::rc::Rc;

/// The roles that talk to a model, so may have one of their own. The
/// tester runs a command and needs none.
const MODEL_ROLES: [&str; 3] = ["coder", "planner", "reviewer"];

/// Registers the roles on `builder`: the coder (the default role and the
/// planned tasks' worker), the planner, the reviewer, and the tester when
/// `agent.tester.command` is set or a test command is found in `root`
/// (without one a test run could only fail). Passes on the check rounds.
pub fn with_roles(builder: SupervisorBuilder, config: &Config, root: &Path) -> SupervisorBuilder {
    let coder = match config.agent_settings("coder").steps {
        Some(max_steps) => Coder::with_limits(LoopLimits {
            max_steps,
            ..LoopLimits::default()
        }),
        None => Coder::default(),
    };
    let tester = config.agent_settings("tester");
    let reviewer = config.agent_settings("reviewer");
    let mut builder = builder
        .role("coder", Rc::new(coder))
        .role("planner", Rc::new(Planner::default()))
        .role("reviewer", Rc::new(Reviewer::default()))
        .plan_roles("planner", "coder")
        .check_roles("tester", "reviewer");
    if tester.command.is_some() || detect_test_command(root).is_some() {
        builder = builder.role("tester", Rc::new(Tester::from_settings(&tester)));
    }
    if let Some(rounds) = tester.rounds {
        builder = builder.test_rounds(rounds);
    }
    if let Some(rounds) = reviewer.rounds {
        builder = builder.review_rounds(rounds);
    }
    builder
}

/// Gives each role whose config names a model (`agent.planner.model`, …)
/// that model, registering a provider for each provider named besides the
/// session's own (`session`, already registered).
pub fn with_role_models(
    mut builder: SupervisorBuilder,
    config: &Config,
    auth: &AuthStore,
    session: &ModelRef,
) -> anyhow::Result<SupervisorBuilder> {
    let mut registered = BTreeSet::from([session.provider.clone()]);
    for role in MODEL_ROLES {
        let Some(name) = config.agent_settings(role).model else {
            continue;
        };
        let model = ModelRef::parse(&name)
            .with_context(|| format!("`agent.{role}.model` in the config"))?;
        if registered.insert(model.provider.clone()) {
            let provider = code_mesh_providers::resolve_provider(&model, config, auth, |name| {
                std::env::var(name).ok()
            })
            .with_context(|| format!("the model of the {role} (`agent.{role}.model`)"))?;
            builder = builder.provider(model.provider.clone(), provider);
        }
        builder = builder.role_model(role, model);
    }
    Ok(builder)
}
