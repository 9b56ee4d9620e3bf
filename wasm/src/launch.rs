//! [`Launch`]: what a project's Supervisors are built from — its root and
//! file system, the config and keys, the environment, the model — and the
//! builder it makes for a session, with the same roles, tools, permissions,
//! prices and instructions as the native CLI.

use crate::error::Error;
use code_mesh_agents::{Coder, LoopLimits, Planner, Reviewer};
use code_mesh_providers::api_key_env;
use code_mesh_providers::models::ModelCatalog;
use code_mesh_runtime::auth::AuthStore;
use code_mesh_runtime::changes::SessionChanges;
use code_mesh_runtime::config::Config;
use code_mesh_runtime::fs::Disk;
use code_mesh_runtime::instructions::load_instructions_from;
use code_mesh_runtime::model::ModelRef;
use code_mesh_runtime::permission::PermissionRules;
use code_mesh_runtime::session::Conversation;
use code_mesh_runtime::supervisor::SupervisorBuilder;
use code_mesh_tools::CommandRunner;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::rc::Rc;

/// The model used when neither the caller nor the config names one, as natively.
pub const DEFAULT_MODEL: &str = "openai/gpt-4o";

/// The roles that talk to a model, so may have one of their own.
const MODEL_ROLES: [&str; 3] = ["coder", "planner", "reviewer"];

/// A project's settings, read once when it is opened.
#[derive(Debug)]
pub struct Launch {
    /// The project root, physical (symlinks resolved) where the disk has links.
    pub root: PathBuf,
    /// The directory work starts in (`AGENTS.md` files are read from the
    /// root down to it); the root itself for the API.
    pub working_dir: PathBuf,
    /// The file system the project lives on.
    pub disk: Disk,
    /// Where the global `AGENTS.md` is looked for (a directory with nothing
    /// in it for a project held in memory).
    pub config_dir: PathBuf,
    /// The global config with the project's over it.
    pub config: Config,
    /// The saved API keys.
    pub auth: AuthStore,
    /// The environment variables providers are resolved with.
    pub env: BTreeMap<String, String>,
    /// A base URL that replaces the model's provider's.
    pub base_url: Option<String>,
    /// An API key that wins over every other source.
    pub api_key: Option<String>,
    /// How `bash` runs commands here.
    pub shell: Rc<dyn CommandRunner>,
}

impl Launch {
    /// The session's model: `chosen` (the caller's), else the config's,
    /// else [`DEFAULT_MODEL`].
    pub fn model(&self, chosen: Option<&str>) -> Result<ModelRef, Error> {
        let name = chosen
            .map(str::to_string)
            .or_else(|| self.config.model.clone())
            .unwrap_or_else(|| DEFAULT_MODEL.to_string());
        Ok(ModelRef::parse(&name)?)
    }

    /// The variable `name` for providers of `model`: the caller's key and
    /// base URL first, then the environment.
    fn variable(&self, model: &ModelRef, name: &str) -> Option<String> {
        if let Some(key) = &self.api_key
            && name == api_key_env(&model.provider)
        {
            return Some(key.clone());
        }
        if let Some(url) = &self.base_url
            && name == "OPENAI_BASE_URL"
            && model.provider == "openai"
        {
            return Some(url.clone());
        }
        self.env.get(name).cloned()
    }

    /// The config, with the caller's base URL over the session model's
    /// provider's.
    fn effective_config(&self, model: &ModelRef) -> Config {
        let mut config = self.config.clone();
        if let Some(url) = &self.base_url {
            config
                .provider
                .entry(model.provider.clone())
                .or_default()
                .base_url = Some(url.clone());
        }
        config
    }

    /// A Supervisor builder for `model` with the built-in tools, the roles
    /// (coder, planner, reviewer; no tester, which needs processes to run
    /// tests in a copy of the project) and their models, the permissions,
    /// prices, context windows, compaction setting and instructions of the
    /// config, continuing `conversation` and working on `changes`; `yes`
    /// allows what would be asked. An error when a model's provider has no
    /// key.
    pub fn builder(
        &self,
        model: &ModelRef,
        yes: bool,
        changes: SessionChanges,
        conversation: Conversation,
    ) -> Result<SupervisorBuilder, Error> {
        let config = self.effective_config(model);
        let provider = code_mesh_providers::resolve_provider(model, &config, &self.auth, |name| {
            self.variable(model, name)
        })?;
        let mut permissions = PermissionRules::defaults();
        if let Some(rules) = &config.permission {
            permissions = permissions.extended(rules);
        }
        let catalog = Rc::new(ModelCatalog::from_config(&config));
        let coder = match config.agent_settings("coder").steps {
            Some(max_steps) => Coder::with_limits(LoopLimits {
                max_steps,
                ..LoopLimits::default()
            }),
            None => Coder::default(),
        };
        let mut builder = SupervisorBuilder::new()
            .provider(model.provider.clone(), provider)
            .tools(code_mesh_tools::builtin_tools_with_runner(
                self.shell.clone(),
            ))
            .role("coder", Rc::new(coder))
            .role("planner", Rc::new(Planner::default()))
            .role("reviewer", Rc::new(Reviewer::default()))
            .plan_roles("planner", "coder")
            .check_roles("tester", "reviewer");
        if let Some(rounds) = config.agent_settings("reviewer").rounds {
            builder = builder.review_rounds(rounds);
        }
        builder = self.with_role_models(builder, &config, model)?;
        let instructions =
            load_instructions_from(&self.disk, &self.config_dir, &self.root, &self.working_dir);
        Ok(builder
            .model(model.clone())
            .prices(catalog.clone())
            .context_windows(catalog)
            .auto_compact(config.compaction.auto)
            .instructions(instructions)
            .conversation(conversation)
            .project_root(self.root.clone())
            .permissions(permissions)
            .yes(yes)
            .changes(changes))
    }

    /// Gives each role whose config names a model that model, registering
    /// a provider for each provider named besides the session's own.
    fn with_role_models(
        &self,
        mut builder: SupervisorBuilder,
        config: &Config,
        session: &ModelRef,
    ) -> Result<SupervisorBuilder, Error> {
        let mut registered = BTreeSet::from([session.provider.clone()]);
        for role in MODEL_ROLES {
            let Some(name) = config.agent_settings(role).model else {
                continue;
            };
            let model = ModelRef::parse(&name)
                .map_err(|e| Error::usage(format!("`agent.{role}.model` in the config: {e}")))?;
            if registered.insert(model.provider.clone()) {
                let provider =
                    code_mesh_providers::resolve_provider(&model, config, &self.auth, |name| {
                        self.env.get(name).cloned()
                    })
                    .map_err(|e| {
                        Error::usage(format!(
                            "the model of the {role} (`agent.{role}.model`): {e}"
                        ))
                    })?;
                builder = builder.provider(model.provider.clone(), provider);
            }
            builder = builder.role_model(role, model);
        }
        Ok(builder)
    }
}
