//! What `run` and the interactive mode start a Supervisor from: the
//! project, Code Mesh's directories, the config and keys, and the builder
//! they make for a model.

use crate::project::Project;
use crate::run::roles;
use anyhow::Context;
use code_mesh_providers::models::ModelCatalog;
use code_mesh_runtime::auth::AuthStore;
use code_mesh_runtime::changes::SessionChanges;
use code_mesh_runtime::config::{Config, Paths};
use code_mesh_runtime::instructions::load_instructions;
use code_mesh_runtime::model::ModelRef;
use code_mesh_runtime::permission::PermissionRules;
use code_mesh_runtime::session::{Conversation, JsonlSessionStore};
use code_mesh_runtime::supervisor::SupervisorBuilder;
use std::path::PathBuf;
use std::rc::Rc;

/// The model used when neither `-m` nor the config names one.
pub const DEFAULT_MODEL: &str = "openai/gpt-4o";

/// The project and settings a Supervisor is built from.
pub struct Launch {
    /// The project root, as a physical path (the Supervisor names files by
    /// it; the change set must too).
    pub root: PathBuf,
    /// Code Mesh's directories.
    pub paths: Paths,
    /// The project's sessions (and its one-writer lock).
    pub store: JsonlSessionStore,
    /// The directory Code Mesh was started in (`AGENTS.md` files are read
    /// from the root down to it).
    pub cwd: PathBuf,
    /// The global config with the project's over it.
    pub config: Config,
    /// The saved API keys.
    pub auth: AuthStore,
}

/// How the Supervisor answers for the person.
#[derive(Debug, Clone, Copy)]
pub struct Answering {
    /// Show proposed plans for approval before they run.
    pub approve_plans: bool,
    /// Allow what would be asked (`--yes`).
    pub yes: bool,
}

impl Launch {
    /// Reads it all from the current directory and the environment.
    pub fn load() -> anyhow::Result<Self> {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let Project { root, paths, store } = Project::current()?;
        let config = Config::load(
            &paths.global_config(),
            &root.join(".code-mesh").join("config.json"),
        )?;
        let auth = AuthStore::load(&paths.data_dir)?;
        Ok(Self {
            root,
            paths,
            store,
            cwd,
            config,
            auth,
        })
    }

    /// The project: its root, Code Mesh's directories and its sessions.
    pub fn project(&self) -> Project {
        Project {
            root: self.root.clone(),
            paths: self.paths.clone(),
            store: self.store.clone(),
        }
    }

    /// The session's model: `flag` (`-m`), else the config's, else the default.
    pub fn model(&self, flag: Option<String>) -> anyhow::Result<ModelRef> {
        let name = flag
            .or(self.config.model.clone())
            .unwrap_or_else(|| DEFAULT_MODEL.to_string());
        Ok(ModelRef::parse(&name)?)
    }

    /// A Supervisor builder for `model` with the built-in tools, the roles
    /// and their models, the permissions, prices, context windows,
    /// compaction setting and instructions (`AGENTS.md`, knowledge) of the
    /// config, continuing `conversation` and working on `changes`; an error
    /// when a model's provider has no key.
    pub fn builder(
        &self,
        model: &ModelRef,
        answering: Answering,
        changes: SessionChanges,
        conversation: Conversation,
    ) -> anyhow::Result<SupervisorBuilder> {
        let provider =
            code_mesh_providers::resolve_provider(model, &self.config, &self.auth, |name| {
                std::env::var(name).ok()
            })?;
        let mut permissions = PermissionRules::defaults();
        if let Some(rules) = &self.config.permission {
            permissions = permissions.extended(rules);
        }
        let catalog = Rc::new(ModelCatalog::from_config(&self.config));
        let builder = SupervisorBuilder::new()
            .provider(model.provider.clone(), provider)
            .tools(code_mesh_tools::builtin_tools());
        let builder = roles::with_roles(builder, &self.config, &self.root);
        Ok(
            roles::with_role_models(builder, &self.config, &self.auth, model)?
                .approve_plans(answering.approve_plans)
                .model(model.clone())
                .prices(catalog.clone())
                .context_windows(catalog)
                .auto_compact(self.config.compaction.auto)
                .instructions(load_instructions(
                    &self.paths.config_dir,
                    &self.root,
                    &self.cwd,
                ))
                .conversation(conversation)
                .project_root(self.root.clone())
                .permissions(permissions)
                .yes(answering.yes)
                .changes(changes),
        )
    }
}
