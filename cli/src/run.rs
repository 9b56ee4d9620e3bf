//! `code-mesh run "<prompt>"`: one request, answered and printed — by one
//! coder, or planned first (`--plan`, `--no-plan`, or the size of the
//! request), the plan asked about on a terminal; approval requests answered
//! on the way; the changes it staged shown, then applied on the person's
//! yes or saved for `code-mesh apply`; then exit.

mod approvals;
mod opened;
mod plan_approval;
mod recording;
mod review;
mod roles;

use crate::args::{Format, RunArgs};
use crate::exit_code;
use crate::history_log;
use crate::interrupt;
use crate::project::Project;
use crate::prompt;
use crate::render::{JsonRenderer, Render, TextRenderer};
use crate::session::Session;
use anyhow::bail;
use code_mesh_providers::models::ModelCatalog;
use code_mesh_runtime::auth::AuthStore;
use code_mesh_runtime::config::Config;
use code_mesh_runtime::instructions::load_instructions;
use code_mesh_runtime::model::ModelRef;
use code_mesh_runtime::permission::PermissionRules;
use code_mesh_runtime::protocol::{Event, Op, TurnStatus};
use code_mesh_runtime::supervisor::SupervisorBuilder;
use std::process::ExitCode;
use std::rc::Rc;

/// The model used when neither `-m` nor the config names one.
pub const DEFAULT_MODEL: &str = "openai/gpt-4o";

/// Runs the request in `args` and returns the process's exit code.
pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let project = Project::current()?;
    // One writer per project: a second run here is refused, naming this one.
    let _lock = project.store.lock()?;
    let (root, paths) = (project.root.clone(), project.paths.clone());
    let config = Config::load(
        &paths.global_config(),
        &root.join(".code-mesh").join("config.json"),
    )?;
    let model_name = args
        .model
        .clone()
        .or(config.model.clone())
        .unwrap_or_else(|| DEFAULT_MODEL.to_string());
    tracing::debug!(model = %model_name, root = %root.display(), "model chosen");
    let model = ModelRef::parse(&model_name)?;
    let auth = AuthStore::load(&paths.data_dir)?;
    let provider = code_mesh_providers::resolve_provider(&model, &config, &auth, |name| {
        std::env::var(name).ok()
    })?;
    let catalog = Rc::new(ModelCatalog::from_config(&config));
    let prompt = args.prompt.join(" ");
    let mut permissions = PermissionRules::defaults();
    if let Some(rules) = &config.permission {
        permissions = permissions.extended(rules);
    }
    // JSON output is for programs: nobody answers questions there.
    let interactive = args.format == Format::Text && prompt::interactive();
    // A plan is shown for approval only to someone who can answer.
    let approve_plans = interactive && !args.yes;
    let plan = match (args.plan, args.no_plan) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let opened = opened::OpenedSession::open(&project, &args, &model_name)?;
    let changes = opened.changes.clone();
    // The session's messages so far, and the recorder for those to come.
    let conversation = opened.conversation();
    let cwd = std::env::current_dir()?;
    let instructions = load_instructions(&paths.config_dir, &root, &cwd);

    let mut output: Box<dyn Render> = match args.format {
        Format::Text => Box::new(TextRenderer::new(std::io::stdout(), std::io::stderr())),
        Format::Json => Box::new(JsonRenderer::new(std::io::stdout(), std::io::stderr())),
    };
    for warning in &opened.warnings {
        output.notice(&format!("warning: {warning}"))?;
    }
    let mut renderer = recording::Recording::new(output.as_mut(), opened.recorder.clone());

    let builder = SupervisorBuilder::new()
        .provider(model.provider.clone(), provider)
        .tools(code_mesh_tools::builtin_tools());
    let builder = roles::with_roles(builder, &config, &root);
    let builder = roles::with_role_models(builder, &config, &auth, &model)?
        .approve_plans(approve_plans)
        .model(model)
        .prices(catalog.clone())
        .context_windows(catalog)
        .auto_compact(config.compaction.auto)
        .instructions(instructions)
        .conversation(conversation)
        .project_root(root.clone())
        .permissions(permissions)
        .yes(args.yes)
        .session_id(opened.id.clone())
        .changes(changes.clone());
    let saved = opened.saved.clone();
    let (history, id) = (config.history, opened.id.clone());
    let system = actix::System::new();
    let interrupted = Rc::new(std::cell::Cell::new(false));
    let interrupted_seen = interrupted.clone();
    let outcome = system.block_on(async move {
        let mut session = Session::start(builder);
        let ctrl_c = interrupt::cancel_on_ctrl_c(session.supervisor());
        tracing::info!(session = %id, "turn submitted");
        session.submit(Op::UserTurn {
            prompt,
            agent: args.agent,
            plan,
        });
        let (status, error) = loop {
            let event = session.next().await?;
            if let Err(e) = renderer.event(&event) {
                // Nobody is reading any more (a closed pipe): stop working for them.
                session.submit(Op::Cancel);
                return Err(anyhow::Error::new(e).context("cannot write output"));
            }
            match event {
                // Saved as soon as it happens, so a crash loses no applied
                // change: `code-mesh undo` can still put it back.
                Event::ChangeStaged { .. } => {
                    if let Err(e) = saved.save(&changes) {
                        renderer.notice(&format!("warning: {e:#}"))?;
                    }
                }
                Event::ApprovalRequested { id, request } => {
                    let decision = approvals::answer(&request, interactive, &mut renderer).await?;
                    session.submit(Op::Approve { id, decision });
                }
                Event::PlanProposed { task, .. } if approve_plans => {
                    session.submit(plan_approval::answer(task).await?);
                }
                Event::TurnComplete { status, error, .. } => {
                    tracing::info!(?status, "turn complete");
                    break (status, error);
                }
                _ => {}
            }
        };
        review::review(&mut session, &mut renderer, &changes, &saved, interactive).await?;
        interrupted_seen.set(ctrl_c.get());
        if history && let Err(e) = history_log::append(&root, &id, &model_name, renderer.shown()) {
            renderer.notice(&format!("warning: the history log was not written: {e:#}"))?;
        }
        Ok((status, error))
    });

    match outcome? {
        (TurnStatus::Cancelled, error) => {
            let reason = error.unwrap_or_else(|| "the request was cancelled".to_string());
            eprintln!("cancelled: {reason}");
            Ok(exit_code::cancelled())
        }
        // Ctrl-C came after the turn ended on its own.
        _ if interrupted.get() => {
            eprintln!("cancelled: interrupted");
            Ok(exit_code::cancelled())
        }
        (TurnStatus::Completed, _) => Ok(ExitCode::SUCCESS),
        (TurnStatus::Failed, error) => {
            bail!(error.unwrap_or_else(|| "the request failed".to_string()))
        }
    }
}
