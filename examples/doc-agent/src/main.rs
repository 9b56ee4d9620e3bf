//! An embedding program: a Supervisor with the built-in Coder and the
//! custom [`DocAgent`]. The request goes to the coder; the documentation
//! agent's task is queued after it, so it records what the coder staged in
//! `CHANGELOG.md`. Every event is printed as a JSON line, then the staged
//! diff; nothing is written to disk.
//!
//! ```sh
//! cd your-project
//! OPENAI_API_KEY=sk-... cargo run -p code-mesh-doc-agent -- "add a --verbose flag"
//! ```
//!
//! The model is `$CODE_MESH_MODEL` (default `openai/gpt-4o`); keys, base
//! URLs and permissions come from the usual config, as for `code-mesh run`.

use anyhow::{Context, bail};
use code_mesh_agents::Coder;
use code_mesh_doc_agent::{DocAgent, docs_task};
use code_mesh_runtime::auth::AuthStore;
use code_mesh_runtime::config::{Config, Paths, find_project_root};
use code_mesh_runtime::model::ModelRef;
use code_mesh_runtime::permission::{ApprovalDecision, PermissionRules};
use code_mesh_runtime::protocol::{Event, Op, TurnStatus};
use code_mesh_runtime::supervisor::{Enqueue, Submit, SupervisorBuilder};
use futures::StreamExt;
use std::process::ExitCode;
use std::rc::Rc;

fn main() -> anyhow::Result<ExitCode> {
    let prompt = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    if prompt.is_empty() {
        bail!("usage: code-mesh-doc-agent <request for the coder>");
    }
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let root = find_project_root(&cwd);
    let env = |name: &str| std::env::var(name).ok();
    let paths = Paths::from_env(env)?;
    let config = Config::load(
        &paths.global_config(),
        &root.join(".code-mesh").join("config.json"),
    )?;
    let model = ModelRef::parse(
        &std::env::var("CODE_MESH_MODEL").unwrap_or_else(|_| "openai/gpt-4o".to_string()),
    )?;
    let auth = AuthStore::load(&paths.data_dir)?;
    let provider = code_mesh_providers::resolve_provider(&model, &config, &auth, env)?;
    let mut permissions = PermissionRules::defaults();
    if let Some(rules) = &config.permission {
        permissions = permissions.extended(rules);
    }

    let builder = SupervisorBuilder::new()
        .provider(model.provider.clone(), provider)
        .model(model)
        .tools(code_mesh_tools::builtin_tools())
        .role("coder", Rc::new(Coder::default()))
        // A custom role is registered exactly like a built-in one.
        .role(DocAgent::ROLE, Rc::new(DocAgent))
        .permissions(permissions)
        .project_root(root);

    actix::System::new().block_on(async move {
        let (supervisor, mut events) = builder.start();
        supervisor
            .send(Submit(Op::UserTurn {
                prompt,
                agent: None,
                plan: None,
            }))
            .await?;
        let mut docs_queued = false;
        let mut status = TurnStatus::Failed;
        while let Some(event) = events.next().await {
            println!("{}", serde_json::to_string(&event)?);
            match event {
                // The coder's task joined the turn: the docs task goes after
                // it, into the same turn (the coder is still at work: it has
                // a model to ask first).
                Event::TaskQueued { task, role, .. } if role == "coder" && !docs_queued => {
                    supervisor.send(Enqueue(docs_task([task]))).await??;
                    docs_queued = true;
                }
                // Nobody is here to answer; the agent is told so and carries on.
                Event::ApprovalRequested { id, .. } => supervisor.do_send(Submit(Op::Approve {
                    id,
                    decision: ApprovalDecision::Reject {
                        message: Some("this example answers no questions".into()),
                    },
                })),
                Event::TurnComplete { status: s, .. } => {
                    status = s;
                    break;
                }
                _ => {}
            }
        }
        supervisor.send(Submit(Op::ShowChanges)).await?;
        while let Some(event) = events.next().await {
            if let Event::Changes { diff, .. } = event {
                println!("\nStaged (not written):\n{diff}");
                break;
            }
        }
        Ok(if status == TurnStatus::Completed {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    })
}
