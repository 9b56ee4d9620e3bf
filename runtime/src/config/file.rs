//! The config files: their shape, how they are read, and how a project file
//! layers over the global one.

use super::ModelSettings;
use crate::fs::Disk;
use crate::permission::PermissionRules;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What the config files say. Unknown keys are ignored, so a newer file still
/// loads in an older binary.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Config {
    /// The default model, `provider/model`.
    pub model: Option<String>,
    /// Settings per provider id.
    pub provider: BTreeMap<String, ProviderSettings>,
    /// Settings per agent role (`coder`, …).
    pub agent: BTreeMap<String, AgentSettings>,
    /// Permission rules, applied after the built-in defaults (see
    /// [`crate::permission`]); `None` when the config sets none.
    pub permission: Option<PermissionRules>,
    /// How conversations are kept within the model's context window.
    pub compaction: CompactionSettings,
    /// Whether each run's turn is appended, as Markdown, to the project's
    /// `.code-mesh/history.md` for the team to read (default false).
    pub history: bool,
}

/// The config's `compaction` object.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct CompactionSettings {
    /// Whether an agent compacts its conversation on its own when it nears
    /// the model's context window (default true); `/compact` works either
    /// way. Give it to `SupervisorBuilder::auto_compact`.
    pub auto: bool,
}

impl Default for CompactionSettings {
    fn default() -> Self {
        Self { auto: true }
    }
}

/// How the agents of one role work.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct AgentSettings {
    /// The most model requests one task may make before it stops without
    /// an answer; the role's own default when unset. OpenCode's `steps`
    /// (its older `maxSteps` is read too).
    #[serde(alias = "maxSteps")]
    pub steps: Option<u32>,
    /// The model this role's agents use, `provider/model`; the session's
    /// model when unset (`agent.planner.model`, …).
    pub model: Option<String>,
    /// The tester's test command, run with `sh -c` in a copy of the project
    /// holding the staged changes (`agent.tester.command`); detected from
    /// the project when unset (`cargo test`, `npm test`, `pytest`, …).
    pub command: Option<String>,
    /// Milliseconds the tester's command may run before its process group is
    /// killed (`agent.tester.timeout`); 600 000 (10 minutes) when unset.
    pub timeout: Option<u64>,
    /// Fix rounds after a plan run's checks find a problem: failing tests
    /// (`agent.tester.rounds`, 2 when unset) or review findings
    /// (`agent.reviewer.rounds`, 1 when unset).
    pub rounds: Option<u32>,
}

/// How to reach one provider.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ProviderSettings {
    /// The API's base URL, e.g. `http://localhost:11434/v1`.
    #[serde(rename = "baseURL", alias = "baseUrl")]
    pub base_url: Option<String>,
    /// The API key; environment variables and `auth.json` win over it.
    pub api_key: Option<String>,
    /// Extra HTTP headers sent with every request.
    pub headers: BTreeMap<String, String>,
    /// How many times a request that failed before any answer arrived
    /// (rate limit, server error, unreachable) is sent again, with backoff;
    /// 2 when unset, 0 for none.
    #[serde(alias = "maxRetries")]
    pub retries: Option<u32>,
    /// Milliseconds to wait for the response, and then between pieces of
    /// the streamed answer, before giving up on it; 120 000 when unset, 0 to
    /// wait forever.
    pub timeout: Option<u64>,
    /// Limits and prices per model id, over the built-in model table.
    pub models: BTreeMap<String, ModelSettings>,
}

/// Why the config could not be read. Nothing is changed on disk.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A config file is not valid JSON or has a wrongly typed value.
    #[error(
        "invalid config {path}: {message} at line {line}, column {column}; fix the file or move it aside"
    )]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        message: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
    },
    /// A config file exists but could not be read.
    #[error("cannot read config {path}: {source}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// No home directory to find the config in.
    #[error(
        "cannot find a home directory: set HOME, or CODE_MESH_HOME to a directory for Code Mesh's files"
    )]
    NoHome,
}

impl Config {
    /// Reads the global file, then the project file over it; either may be
    /// missing. Objects merge key by key, the project's values winning.
    pub fn load(global: &Path, project: &Path) -> Result<Self, ConfigError> {
        Self::load_from(&Disk::default(), global, project)
    }

    /// [`load`](Self::load) from `disk` (Node's `fs` in WebAssembly).
    pub fn load_from(disk: &Disk, global: &Path, project: &Path) -> Result<Self, ConfigError> {
        let mut merged = serde_json::Value::Object(Default::default());
        for path in [global, project] {
            if let Some(layer) = read_layer(disk, path)? {
                merge(&mut merged, layer);
            }
        }
        // Each layer was checked on its own, so the merged value fits too.
        serde_json::from_value(merged).map_err(|e| ConfigError::Invalid {
            path: project.to_path_buf(),
            message: e.to_string(),
            line: 0,
            column: 0,
        })
    }

    /// The settings for `provider`, empty when the config says nothing of it.
    pub fn provider_settings(&self, provider: &str) -> ProviderSettings {
        self.provider.get(provider).cloned().unwrap_or_default()
    }

    /// The settings for the agents of `role`, empty when the config says
    /// nothing of it.
    pub fn agent_settings(&self, role: &str) -> AgentSettings {
        self.agent.get(role).cloned().unwrap_or_default()
    }
}

/// One config file as JSON (comments and trailing commas allowed), checked against [`Config`]; `None` if it does not exist.
fn read_layer(disk: &Disk, path: &Path) -> Result<Option<serde_json::Value>, ConfigError> {
    let unreadable = |source| ConfigError::Unreadable {
        path: path.to_path_buf(),
        source,
    };
    let Some(bytes) = disk.read_if_exists(path).map_err(unreadable)? else {
        return Ok(None);
    };
    let text = String::from_utf8(bytes)
        .map_err(|e| unreadable(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
    let invalid = |e: serde_json::Error| ConfigError::Invalid {
        path: path.to_path_buf(),
        message: e
            .to_string()
            .split(" at line")
            .next()
            .unwrap_or_default()
            .to_string(),
        line: e.line(),
        column: e.column(),
    };
    let text = super::jsonc::strip_jsonc(&text);
    // Parsing into the typed struct first gives line and column for a wrong type.
    serde_json::from_str::<Config>(&text).map_err(invalid)?;
    serde_json::from_str(&text).map(Some).map_err(invalid)
}

/// Lays `top` over `base`: objects merge recursively, anything else replaces.
fn merge(base: &mut serde_json::Value, top: serde_json::Value) {
    match (base, top) {
        (serde_json::Value::Object(base), serde_json::Value::Object(top)) => {
            for (key, value) in top {
                match base.get_mut(&key) {
                    Some(slot) => merge(slot, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, top) => *base = top,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_file_wins_key_by_key() {
        let dir = tempfile::tempdir().unwrap();
        let global = dir.path().join("global.json");
        let project = dir.path().join("project.json");
        std::fs::write(
            &global,
            r#"{"model":"openai/gpt-4o","provider":{"openai":{"apiKey":"g","baseURL":"http://g"}}}"#,
        )
        .unwrap();
        std::fs::write(
            &project,
            r#"{"provider":{"openai":{"baseURL":"http://p"}}}"#,
        )
        .unwrap();
        let config = Config::load(&global, &project).unwrap();
        assert_eq!(config.model.as_deref(), Some("openai/gpt-4o"));
        let openai = config.provider_settings("openai");
        assert_eq!(openai.base_url.as_deref(), Some("http://p"));
        assert_eq!(openai.api_key.as_deref(), Some("g"));
    }

    #[test]
    fn comments_and_trailing_commas_are_accepted() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("config.json");
        std::fs::write(
            &project,
            "// the project's settings\n{\n  /* the model */ \"model\": \"ollama/qwen\", // local\n  \"history\": true,\n}\n",
        )
        .unwrap();
        let config = Config::load(&dir.path().join("none"), &project).unwrap();
        assert_eq!(config.model.as_deref(), Some("ollama/qwen"));
        assert!(config.history);
    }

    #[test]
    fn compaction_is_automatic_unless_turned_off() {
        let on: Config = serde_json::from_str("{}").unwrap();
        assert!(on.compaction.auto);
        let off: Config = serde_json::from_str(r#"{"compaction":{"auto":false}}"#).unwrap();
        assert!(!off.compaction.auto);
    }

    #[test]
    fn agent_steps_are_read_under_either_name() {
        let dir = tempfile::tempdir().unwrap();
        let global = dir.path().join("global.json");
        let project = dir.path().join("project.json");
        std::fs::write(&global, r#"{"agent":{"coder":{"maxSteps":80}}}"#).unwrap();
        std::fs::write(&project, r#"{"agent":{"planner":{"steps":5}}}"#).unwrap();
        let config = Config::load(&global, &project).unwrap();
        assert_eq!(config.agent_settings("coder").steps, Some(80));
        assert_eq!(config.agent_settings("planner").steps, Some(5));
        assert_eq!(config.agent_settings("tester").steps, None);
    }

    #[test]
    fn a_role_may_name_its_own_model() {
        let dir = tempfile::tempdir().unwrap();
        let global = dir.path().join("global.json");
        std::fs::write(
            &global,
            r#"{"agent":{"planner":{"model":"anthropic/claude-sonnet-4-5"}}}"#,
        )
        .unwrap();
        let config = Config::load(&global, &dir.path().join("none.json")).unwrap();
        assert_eq!(
            config.agent_settings("planner").model.as_deref(),
            Some("anthropic/claude-sonnet-4-5")
        );
        assert_eq!(config.agent_settings("coder").model, None);
    }

    #[test]
    fn missing_files_give_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::load(&dir.path().join("a"), &dir.path().join("b")).unwrap();
        assert_eq!(config, Config::default());
    }

    #[test]
    fn malformed_file_names_path_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("config.json");
        std::fs::write(
            &project,
            "{\n  \"model\": \"openai/gpt-4o\"\n  \"provider\": {}\n}",
        )
        .unwrap();
        let err = Config::load(&dir.path().join("none"), &project).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("config.json"), "{text}");
        assert!(text.contains("line 3"), "{text}");
        assert!(
            !text.contains("at line 3 column"),
            "parser position repeated: {text}"
        );
    }

    #[test]
    fn wrongly_typed_value_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("config.json");
        std::fs::write(&project, r#"{"model": 42}"#).unwrap();
        let err = Config::load(&dir.path().join("none"), &project).unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
    }

    #[test]
    fn provider_retries_and_timeout_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("config.json");
        std::fs::write(
            &project,
            r#"{"provider":{"ollama":{"retries":5,"timeout":300000},"groq":{"maxRetries":0}}}"#,
        )
        .unwrap();
        let config = Config::load(&dir.path().join("none"), &project).unwrap();
        let ollama = config.provider_settings("ollama");
        assert_eq!((ollama.retries, ollama.timeout), (Some(5), Some(300_000)));
        assert_eq!(config.provider_settings("groq").retries, Some(0));
        let unset = config.provider_settings("openai");
        assert_eq!((unset.retries, unset.timeout), (None, None));
    }
}
