//! The session a `run` works in: a new one, or one continued (`-c`, `-s ID`)
//! with its records and its change set loaded from the project's store.

use crate::args::RunArgs;
use crate::project::Project;
use anyhow::bail;
use code_mesh_cli::saved_session::SavedSession;
use code_mesh_runtime::changes::SessionChanges;
use code_mesh_runtime::session::{
    Conversation, JsonlRecorder, SessionRecord, SessionRecorder, SessionStore, replay,
};
use std::rc::Rc;

/// The run's session, ready to record.
pub struct OpenedSession {
    /// Its id, given to the Supervisor so events carry it.
    pub id: String,
    /// The records it already had (none for a new session).
    pub records: Vec<SessionRecord>,
    /// Its change set: staged changes and undo history, saved or new.
    pub changes: SessionChanges,
    /// Where its changes are saved between commands.
    pub saved: SavedSession,
    /// Appends its records to its log.
    pub recorder: Rc<JsonlRecorder>,
    /// What loading it had to skip, for warnings.
    pub warnings: Vec<String>,
}

impl OpenedSession {
    /// Opens the session `args` asks for in `project` — the latest with
    /// `-c`, the named one with `-s`, else a new one started with `model`
    /// — and records its start when it is new.
    pub fn open(project: &Project, args: &RunArgs, model: &str) -> anyhow::Result<Self> {
        let store = &project.store;
        let continued = match (&args.session, args.continue_latest) {
            (Some(id), _) => Some(id.clone()),
            (None, true) => match store.latest()? {
                Some(latest) => Some(latest.id),
                None => bail!(
                    "no session to continue in {}: run without -c to start one",
                    project.root.display()
                ),
            },
            (None, false) => None,
        };
        Self::open_id(project, continued, model)
    }

    /// Opens session `continued` of `project`, or starts a new one with
    /// `model` (recording its start) when `None`.
    pub fn open_id(
        project: &Project,
        continued: Option<String>,
        model: &str,
    ) -> anyhow::Result<Self> {
        let store = &project.store;
        let data_dir = &project.paths.data_dir;
        let Some(id) = continued else {
            let id = uuid::Uuid::new_v4().to_string();
            let recorder = Rc::new(store.writer(&id)?);
            recorder.record(&SessionRecord::Started {
                session_id: id.clone(),
                project: project.root.display().to_string(),
                model: model.to_string(),
                created_ms: now_ms(),
            });
            return Ok(Self {
                saved: SavedSession::new(data_dir, &project.root, &id)?,
                id,
                records: Vec::new(),
                changes: SessionChanges::new(&project.root),
                recorder,
                warnings: Vec::new(),
            });
        };
        let loaded = store.load(&id)?;
        let saved = SavedSession::new(data_dir, &project.root, &id)?;
        let changes = if saved.path.is_file() {
            saved.load()?
        } else {
            SessionChanges::new(&project.root)
        };
        Ok(Self {
            recorder: Rc::new(store.writer(&id)?),
            warnings: loaded.warnings.iter().map(ToString::to_string).collect(),
            records: loaded.records,
            changes,
            saved,
            id,
        })
    }

    /// The session's conversation as its records leave it, recording what
    /// comes next to its log.
    pub fn conversation(&self) -> Conversation {
        let recorder: Rc<dyn SessionRecorder> = self.recorder.clone();
        Conversation::resume(replay(&self.records)).with_recorder(recorder)
    }
}

/// Now, in milliseconds since the Unix epoch.
fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
