//! Where Code Mesh keeps its files, from the environment.

use super::ConfigError;
use std::path::PathBuf;

/// The directories Code Mesh reads and writes outside a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// Holds `config.json` (the global config).
    pub config_dir: PathBuf,
    /// Holds `auth.json`, sessions and other state.
    pub data_dir: PathBuf,
}

impl Paths {
    /// Reads the directories from environment variables, looked up by `var`:
    /// `CODE_MESH_HOME` puts everything in one directory; otherwise
    /// `XDG_CONFIG_HOME`/`XDG_DATA_HOME`, falling back to `~/.config` and
    /// `~/.local/share`, each with a `code-mesh` subdirectory.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let non_empty = |name: &str| var(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        if let Some(home) = non_empty("CODE_MESH_HOME") {
            return Ok(Self {
                config_dir: home.clone(),
                data_dir: home,
            });
        }
        let home = || non_empty("HOME").ok_or(ConfigError::NoHome);
        let config_base = match non_empty("XDG_CONFIG_HOME") {
            Some(dir) => dir,
            None => home()?.join(".config"),
        };
        let data_base = match non_empty("XDG_DATA_HOME") {
            Some(dir) => dir,
            None => home()?.join(".local").join("share"),
        };
        Ok(Self {
            config_dir: config_base.join("code-mesh"),
            data_dir: data_base.join("code-mesh"),
        })
    }

    /// The global config file.
    pub fn global_config(&self) -> PathBuf {
        self.config_dir.join("config.json")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn code_mesh_home_holds_config_and_data() {
        let p = Paths::from_env(env(&[("CODE_MESH_HOME", "/cm"), ("HOME", "/h")])).unwrap();
        assert_eq!(p.global_config(), PathBuf::from("/cm/config.json"));
        assert_eq!(p.data_dir, PathBuf::from("/cm"));
    }

    #[test]
    fn xdg_dirs_win_over_home() {
        let p = Paths::from_env(env(&[("XDG_CONFIG_HOME", "/xc"), ("HOME", "/h")])).unwrap();
        assert_eq!(p.config_dir, PathBuf::from("/xc/code-mesh"));
        assert_eq!(p.data_dir, PathBuf::from("/h/.local/share/code-mesh"));
    }

    #[test]
    fn no_home_is_a_clear_error() {
        let err = Paths::from_env(env(&[])).unwrap_err();
        assert!(err.to_string().contains("CODE_MESH_HOME"), "{err}");
    }
}
