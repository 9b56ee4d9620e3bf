//! [`Project`]: the project the API works on — opened from a directory
//! through Node's `fs`, or from an object of files held in memory — with
//! its staged changes, its sessions and the current session. One is kept
//! per module instance ([`current`], [`replace_current`]).

use crate::error::Error;
use crate::launch::Launch;
use crate::live::LiveSession;
use crate::options::ProjectOptions;
use crate::platform::{NoShell, NodeFs, NodeShell, is_node, process_env};
use crate::project_root::find_project_root;
use crate::sessions::Sessions;
use code_mesh_runtime::auth::AuthStore;
use code_mesh_runtime::changes::SessionChanges;
use code_mesh_runtime::config::{Config, Paths, project_id};
use code_mesh_runtime::fs::{Disk, MemoryFs};
use code_mesh_runtime::model::{ChatMessage, ModelRef};
use code_mesh_runtime::platform::since_unix_epoch;
use code_mesh_runtime::session::{SessionRecord, SessionRecorder, replay};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Where a project held in memory lives.
pub const MEMORY_ROOT: &str = "/project";

/// Where a project held in memory looks for global settings (nothing is
/// there: a page has no home directory).
const MEMORY_CONFIG_DIR: &str = "/code-mesh";

thread_local! {
    /// The project `initProject` opened last.
    static CURRENT: RefCell<Option<Rc<Project>>> = const { RefCell::new(None) };
}

/// The current project, or an error saying to open one.
pub fn current() -> Result<Rc<Project>, Error> {
    CURRENT
        .with(|current| current.borrow().clone())
        .ok_or_else(|| Error::usage("no project is open: call initProject(path or files) first"))
}

/// Makes `project` the current one.
pub fn replace_current(project: Rc<Project>) {
    CURRENT.with(|current| *current.borrow_mut() = Some(project));
}

/// An open project.
#[derive(Debug)]
pub struct Project {
    /// Its settings and file system.
    pub launch: Launch,
    /// The model its sessions use.
    pub model: ModelRef,
    /// Whether what would be asked is allowed (`yes`).
    pub yes: bool,
    /// The staged changes, shared by all its sessions.
    pub changes: SessionChanges,
    /// Its saved sessions.
    pub sessions: Sessions,
    /// Code Mesh's data directory, as the native binary finds it, where a
    /// run's changes are saved for `code-mesh apply`; `None` for a project
    /// held in memory.
    pub data_dir: Option<PathBuf>,
    /// The session `sendMessage` continues.
    current: RefCell<Option<Rc<LiveSession>>>,
}

impl Project {
    /// Opens the directory `path` (Node only): its files through Node's
    /// `fs`, Code Mesh's directories, config and keys from the environment
    /// as the native CLI reads them from `env` (`CODE_MESH_HOME`, `XDG_*`,
    /// `HOME`), its sessions in the native store. With `find_root`, `path`
    /// is where work starts and the root is found above it as natively.
    /// Providers are resolved with `options.env`, else `env`.
    pub fn open_directory(
        path: &str,
        options: &ProjectOptions,
        env: BTreeMap<String, String>,
        find_root: bool,
    ) -> Result<Self, Error> {
        if !is_node() {
            return Err(Error::usage(
                "a project directory can be opened only in Node; in a browser give the files \
                 as an object, { \"path/in/project\": \"contents\", ... }",
            ));
        }
        let fs = NodeFs;
        let start = fs.canonicalize(Path::new(path)).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::usage(format!(
                    "cannot open the project {path}: there is no such directory; give an existing one"
                ))
            } else {
                Error::io(format!("cannot open the project {path}"))(e)
            }
        })?;
        let disk = Disk::new(fs);
        if !disk.is_dir(&start) {
            return Err(Error::usage(format!(
                "cannot open the project {path}: it is not a directory"
            )));
        }
        let root = if find_root {
            find_project_root(&disk, &start)
        } else {
            start.clone()
        };
        let paths = Paths::from_env(|name| env.get(name).cloned())?;
        let config = Config::load_from(
            &disk,
            &paths.global_config(),
            &root.join(".code-mesh").join("config.json"),
        )?;
        let auth = AuthStore::load_from(&disk, &paths.data_dir)?;
        let sessions_dir = paths.data_dir.join("sessions").join(project_id(&root));
        let launch = Launch {
            working_dir: start,
            config_dir: paths.config_dir.clone(),
            disk: disk.clone(),
            config,
            auth,
            env: options.env.clone().unwrap_or(env),
            base_url: options.base_url.clone(),
            api_key: options.api_key.clone(),
            shell: Rc::new(NodeShell),
            root,
        };
        Self::with(
            launch,
            options,
            Sessions::on_node(sessions_dir),
            Some(paths.data_dir),
        )
    }

    /// Opens a project of `files` (project-relative path → contents) held
    /// in memory under [`MEMORY_ROOT`]; its config is its own
    /// `.code-mesh/config.json`, its sessions kept in memory (and in
    /// IndexedDB where there is one).
    pub async fn open_files(
        files: BTreeMap<String, String>,
        options: &ProjectOptions,
    ) -> Result<Self, Error> {
        let root = PathBuf::from(MEMORY_ROOT);
        for path in files.keys() {
            crate::files::project_path(&root, path)?;
        }
        let memory = MemoryFs::with_files(&root, files)
            .map_err(Error::io("cannot hold the project's files in memory"))?;
        let disk = Disk::new(memory);
        let config_dir = PathBuf::from(MEMORY_CONFIG_DIR);
        let config = Config::load_from(
            &disk,
            &config_dir.join("config.json"),
            &root.join(".code-mesh").join("config.json"),
        )?;
        let reason = if is_node() {
            "bash is not available for a project held in memory: its files exist only inside \
             Code Mesh, so no command could see them. Use read, grep, glob and list to look \
             at the project, and edit or write to change it"
        } else {
            "bash is not available in the browser: a web page cannot start processes. Use \
             read, grep, glob and list to look at the project, and edit or write to change it"
        };
        let launch = Launch {
            working_dir: root.clone(),
            auth: AuthStore::empty(&config_dir),
            config_dir,
            disk,
            config,
            env: options.env.clone().unwrap_or_else(process_env),
            base_url: options.base_url.clone(),
            api_key: options.api_key.clone(),
            shell: Rc::new(NoShell {
                reason: reason.to_string(),
            }),
            root,
        };
        Self::with(launch, options, Sessions::in_memory().await, None)
    }

    /// The project of `launch`, with the model `options` names.
    fn with(
        launch: Launch,
        options: &ProjectOptions,
        sessions: Sessions,
        data_dir: Option<PathBuf>,
    ) -> Result<Self, Error> {
        let model = launch.model(options.model.as_deref())?;
        Ok(Self {
            changes: SessionChanges::on_disk(launch.root.clone(), launch.disk.clone()),
            model,
            yes: options.yes,
            sessions,
            data_dir,
            current: RefCell::new(None),
            launch,
        })
    }

    /// The current session, if one was started or loaded.
    pub fn current_session(&self) -> Option<Rc<LiveSession>> {
        self.current.borrow().clone()
    }

    /// Starts a new session and makes it current; `yes` as the caller says.
    pub fn start_session(&self, yes: bool) -> Result<Rc<LiveSession>, Error> {
        let id = uuid::Uuid::new_v4().to_string();
        let recorder = Rc::new(self.sessions.store.recorder(&id)?);
        recorder.record(&SessionRecord::Started {
            session_id: id,
            project: self.launch.root.display().to_string(),
            model: self.model.to_string(),
            created_ms: u64::try_from(since_unix_epoch().as_millis()).unwrap_or(u64::MAX),
        });
        let session = LiveSession::start(
            &self.launch,
            &self.model,
            yes,
            self.changes.clone(),
            Vec::new(),
            recorder,
        )?;
        Ok(self.make_current(session))
    }

    /// Continues saved session `id` (its conversation, recorded on in its
    /// log) and makes it current; returns it with its messages.
    pub async fn load_session(
        &self,
        id: &str,
        yes: bool,
    ) -> Result<(Rc<LiveSession>, Vec<ChatMessage>), Error> {
        let loaded = self.sessions.load(id).await?;
        let messages = replay(&loaded.records);
        let recorder = Rc::new(self.sessions.store.recorder(id)?);
        let session = LiveSession::start(
            &self.launch,
            &self.model,
            yes,
            self.changes.clone(),
            messages.clone(),
            recorder,
        )?;
        Ok((self.make_current(session), messages))
    }

    fn make_current(&self, session: LiveSession) -> Rc<LiveSession> {
        let session = Rc::new(session);
        *self.current.borrow_mut() = Some(session.clone());
        session
    }
}
