//! `code-mesh run "<prompt>"`: one request, answered and printed, then exit.

use crate::args::{Format, RunArgs};
use crate::render::{JsonRenderer, Render, TextRenderer};
use anyhow::{Context, bail};
use code_mesh_agents::{Coder, LoopLimits};
use code_mesh_providers::models::ModelCatalog;
use code_mesh_runtime::auth::AuthStore;
use code_mesh_runtime::config::{Config, Paths, find_project_root};
use code_mesh_runtime::model::ModelRef;
use code_mesh_runtime::protocol::{Event, Op, TurnStatus};
use code_mesh_runtime::supervisor::{Submit, SupervisorBuilder};
use futures::StreamExt;
use std::process::ExitCode;
use std::rc::Rc;

/// The model used when neither `-m` nor the config names one.
const DEFAULT_MODEL: &str = "openai/gpt-4o";

/// Runs the request in `args` and returns the process's exit code.
pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let root = find_project_root(&cwd);
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
    let coder = match config.agent_settings("coder").steps {
        Some(max_steps) => Coder::with_limits(LoopLimits {
            max_steps,
            ..LoopLimits::default()
        }),
        None => Coder::default(),
    };

    let mut renderer: Box<dyn Render> = match args.format {
        Format::Text => Box::new(TextRenderer::new(std::io::stdout(), std::io::stderr())),
        Format::Json => Box::new(JsonRenderer::new(std::io::stdout())),
    };

    let system = actix::System::new();
    let outcome = system.block_on(async move {
        let (supervisor, mut events) = SupervisorBuilder::new()
            .provider(model.provider.clone(), provider)
            .tools(code_mesh_tools::builtin_tools())
            .role("coder", Rc::new(coder))
            .model(model)
            .prices(prices)
            .project_root(root)
            .start();
        supervisor.do_send(Submit(Op::UserTurn {
            prompt,
            agent: args.agent,
        }));
        while let Some(event) = events.next().await {
            if let Err(e) = renderer.event(&event) {
                // Nobody is reading any more (a closed pipe): stop working for them.
                supervisor.do_send(Submit(Op::Cancel));
                return Err(anyhow::Error::new(e).context("cannot write output"));
            }
            if let Event::TurnComplete { status, error, .. } = event {
                return Ok((status, error));
            }
        }
        bail!("the runtime stopped before the request was answered")
    });

    match outcome? {
        (TurnStatus::Completed, _) => Ok(ExitCode::SUCCESS),
        (TurnStatus::Cancelled, _) => bail!("the request was cancelled"),
        (TurnStatus::Failed, error) => {
            bail!(error.unwrap_or_else(|| "the request failed".to_string()))
        }
    }
}
