//! Where a provider's API key comes from: its environment variable
//! (`OPENAI_API_KEY`, …), then the key saved by `code-mesh auth login`
//! (`auth.json`), then `provider.<id>.apiKey` in the config. Blank values are
//! skipped at every step.

use code_mesh_runtime::auth::AuthStore;
use code_mesh_runtime::config::ProviderSettings;

/// A key and where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundKey {
    /// The key.
    pub key: String,
    /// Where it came from.
    pub source: KeySource,
}

/// Where a key was found, in order of precedence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// The environment variable named here.
    Env(String),
    /// `auth.json`, saved by `code-mesh auth login`.
    AuthFile,
    /// `provider.<id>.apiKey` in the config.
    Config,
}

/// The environment variable holding `provider`'s key: `OPENAI_API_KEY` for
/// `openai`, `LM_STUDIO_API_KEY` for `lm-studio`, …
pub fn api_key_env(provider: &str) -> String {
    let upper: String = provider
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("{upper}_API_KEY")
}

/// `provider`'s key: from its environment variable (read through `env`),
/// else from `auth`, else from the config's `settings`; `None` when none has
/// one.
pub fn find_api_key(
    provider: &str,
    settings: &ProviderSettings,
    auth: &AuthStore,
    env: impl Fn(&str) -> Option<String>,
) -> Option<FoundKey> {
    let var = api_key_env(provider);
    let not_blank = |key: &String| !key.trim().is_empty();
    if let Some(key) = env(&var).filter(not_blank) {
        return Some(FoundKey {
            key,
            source: KeySource::Env(var),
        });
    }
    if let Some(key) = auth.api_key(provider).map(str::to_string).filter(not_blank) {
        return Some(FoundKey {
            key,
            source: KeySource::AuthFile,
        });
    }
    settings
        .api_key
        .clone()
        .filter(not_blank)
        .map(|key| FoundKey {
            key,
            source: KeySource::Config,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth_file() -> AuthStore {
        let mut auth = AuthStore::empty(std::path::Path::new("unused"));
        auth.set_api_key("openai", "sk-from-file");
        auth
    }

    fn settings(key: &str) -> ProviderSettings {
        ProviderSettings {
            api_key: Some(key.to_string()),
            ..ProviderSettings::default()
        }
    }

    #[test]
    fn environment_wins_over_the_auth_file_and_the_config() {
        let auth = auth_file();
        let env = |name: &str| (name == "OPENAI_API_KEY").then(|| "sk-from-env".to_string());
        let found = find_api_key("openai", &settings("sk-from-config"), &auth, env).unwrap();
        assert_eq!(found.key, "sk-from-env");
        assert_eq!(found.source, KeySource::Env("OPENAI_API_KEY".into()));
    }

    #[test]
    fn auth_file_wins_over_the_config() {
        let auth = auth_file();
        let found = find_api_key("openai", &settings("sk-from-config"), &auth, |_| None).unwrap();
        assert_eq!(found.key, "sk-from-file");
        assert_eq!(found.source, KeySource::AuthFile);
    }

    #[test]
    fn config_key_is_the_last_resort() {
        let auth = auth_file();
        let found = find_api_key("groq", &settings("gsk-config"), &auth, |_| None).unwrap();
        assert_eq!(found.source, KeySource::Config);
        assert_eq!(
            find_api_key("groq", &ProviderSettings::default(), &auth, |_| None),
            None
        );
    }

    #[test]
    fn blank_values_are_skipped() {
        let auth = auth_file();
        let env = |_: &str| Some("  ".to_string());
        let found = find_api_key("openai", &ProviderSettings::default(), &auth, env).unwrap();
        assert_eq!(found.source, KeySource::AuthFile);
    }

    #[test]
    fn variable_names_are_upper_case_with_underscores() {
        assert_eq!(api_key_env("openai"), "OPENAI_API_KEY");
        assert_eq!(api_key_env("lm-studio"), "LM_STUDIO_API_KEY");
    }
}
