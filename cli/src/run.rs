//! `code-mesh run "<prompt>"`: one request, answered and printed — by one
//! coder, or planned first (`--plan`, `--no-plan`, or the size of the
//! request), the plan asked about on a terminal; approval requests answered
//! on the way; the changes it staged shown, then applied on the person's
//! yes or saved for `code-mesh apply`; then exit.

mod approvals;
mod plan_approval;
mod review;
mod roles;

use crate::args::{Format, RunArgs};
use crate::prompt;
use crate::render::{JsonRenderer, Render, TextRenderer};
use crate::saved::SavedSession;
use crate::session::Session;
use anyhow::{Context, bail};
use code_mesh_providers::models::ModelCatalog;
use code_mesh_runtime::auth::AuthStore;
use code_mesh_runtime::changes::SessionChanges;
use code_mesh_runtime::config::{Config, Paths, find_project_root};
use code_mesh_runtime::model::ModelRef;
use code_mesh_runtime::permission::PermissionRules;
use code_mesh_runtime::protocol::{Event, Op, TurnStatus};
use code_mesh_runtime::supervisor::SupervisorBuilder;
use std::process::ExitCode;
use std::rc::Rc;

/// The model used when neither `-m` nor the config names one.
const DEFAULT_MODEL: &str = "openai/gpt-4o";

/// Runs the request in `args` and returns the process's exit code.
pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let root = find_project_root(&cwd);
    // The Supervisor names files by the physical path; the change set must too.
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    let paths = Paths::from_env(|name| std::env::var(name).ok())?;
    let config = Config::load(
        &paths.global_config(),
        &root.join(".code-mesh").join("config.json"),
    )?;
    let model_name = args
        .model
        .or(config.model.clone())
        .unwrap_or_else(|| DEFAULT_MODEL.to_string());
    let model = ModelRef::parse(&model_name)?;
    let auth = AuthStore::load(&paths.data_dir)?;
    let provider = code_mesh_providers::resolve_provider(&model, &config, &auth, |name| {
        std::env::var(name).ok()
    })?;
    let prices = Rc::new(ModelCatalog::from_config(&config));
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
    let changes = SessionChanges::new(&root);

    let mut renderer: Box<dyn Render> = match args.format {
        Format::Text => Box::new(TextRenderer::new(std::io::stdout(), std::io::stderr())),
        Format::Json => Box::new(JsonRenderer::new(std::io::stdout(), std::io::stderr())),
    };

    let builder = SupervisorBuilder::new()
        .provider(model.provider.clone(), provider)
        .tools(code_mesh_tools::builtin_tools());
    let builder = roles::with_roles(builder, &config, &root);
    let builder = roles::with_role_models(builder, &config, &auth, &model)?
        .approve_plans(approve_plans)
        .model(model)
        .prices(prices)
        .project_root(root.clone())
        .permissions(permissions)
        .yes(args.yes)
        .changes(changes.clone());
    let system = actix::System::new();
    let outcome = system.block_on(async move {
        let mut session = Session::start(builder);
        session.submit(Op::UserTurn {
            prompt,
            agent: args.agent,
            plan,
        });
        let mut session_id = None;
        let (status, error) = loop {
            let event = session.next().await?;
            if let Err(e) = renderer.event(&event) {
                // Nobody is reading any more (a closed pipe): stop working for them.
                session.submit(Op::Cancel);
                return Err(anyhow::Error::new(e).context("cannot write output"));
            }
            match event {
                Event::SessionStarted { session_id: id, .. } => session_id = Some(id),
                Event::ApprovalRequested { id, request } => {
                    let decision =
                        approvals::answer(&request, interactive, renderer.as_mut()).await?;
                    session.submit(Op::Approve { id, decision });
                }
                Event::PlanProposed { task, .. } if approve_plans => {
                    session.submit(plan_approval::answer(task).await?);
                }
                Event::TurnComplete { status, error, .. } => break (status, error),
                _ => {}
            }
        };
        let Some(session_id) = session_id else {
            bail!("the runtime did not say which session this is");
        };
        let saved = SavedSession::new(&paths.data_dir, &root, &session_id)?;
        review::review(
            &mut session,
            renderer.as_mut(),
            &changes,
            &saved,
            interactive,
        )
        .await?;
        Ok((status, error))
    });

    match outcome? {
        (TurnStatus::Completed, _) => Ok(ExitCode::SUCCESS),
        (TurnStatus::Cancelled, error) => {
            bail!(error.unwrap_or_else(|| "the request was cancelled".to_string()))
        }
        (TurnStatus::Failed, error) => {
            bail!(error.unwrap_or_else(|| "the request failed".to_string()))
        }
    }
}
