//! Which provider serves a `provider/model` id, built from the config, the
//! saved credentials and the environment. Environment variables win over
//! `auth.json`, which wins over the config file (see [`crate::find_api_key`]).
//! Front ends (the CLI, the wasm build) call [`resolve_provider`] and register
//! the result.

use crate::OpenAiCompatibleConfig;
use crate::anthropic::anthropic_from_settings;
use crate::api_key::{api_key_env, find_api_key};
use code_mesh_runtime::auth::AuthStore;
use code_mesh_runtime::config::Config;
use code_mesh_runtime::model::ModelRef;
use code_mesh_runtime::provider::{Provider, ProviderError};
use std::rc::Rc;

/// An OpenAI-compatible service known by id, so `-m <id>/<model>` works with
/// no config beyond a key.
struct Preset {
    /// The provider id.
    id: &'static str,
    /// Its API's base URL.
    base_url: &'static str,
    /// Whether requests need a key (hosted services do; local servers do not).
    needs_key: bool,
}

/// The built-in OpenAI-compatible services. Any other id works too once the
/// config gives it a `baseURL`.
const PRESETS: &[Preset] = &[
    Preset {
        id: "openai",
        base_url: crate::openai_compat::OPENAI_BASE_URL,
        needs_key: true,
    },
    Preset {
        id: "ollama",
        base_url: "http://localhost:11434/v1",
        needs_key: false,
    },
    Preset {
        id: "lmstudio",
        base_url: "http://localhost:1234/v1",
        needs_key: false,
    },
    Preset {
        id: "llamacpp",
        base_url: "http://localhost:8080/v1",
        needs_key: false,
    },
    Preset {
        id: "vllm",
        base_url: "http://localhost:8000/v1",
        needs_key: false,
    },
    Preset {
        id: "openrouter",
        base_url: "https://openrouter.ai/api/v1",
        needs_key: true,
    },
    Preset {
        id: "groq",
        base_url: "https://api.groq.com/openai/v1",
        needs_key: true,
    },
    Preset {
        id: "deepseek",
        base_url: "https://api.deepseek.com/v1",
        needs_key: true,
    },
    Preset {
        id: "mistral",
        base_url: "https://api.mistral.ai/v1",
        needs_key: true,
    },
    Preset {
        id: "together",
        base_url: "https://api.together.xyz/v1",
        needs_key: true,
    },
];

/// The provider for `model`, with keys from `auth` and variables read
/// through `env`; its requests are retried and its answers watched for
/// silence as its settings say (see [`crate::resilient`]).
pub fn resolve_provider(
    model: &ModelRef,
    config: &Config,
    auth: &AuthStore,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Rc<dyn Provider>, ProviderError> {
    let provider = bare_provider(model, config, auth, env)?;
    let settings = config.provider_settings(&model.provider);
    Ok(crate::resilient(provider, &model.provider, &settings))
}

/// The provider for `model` as its wire format speaks: one attempt per
/// request, no timeout.
fn bare_provider(
    model: &ModelRef,
    config: &Config,
    auth: &AuthStore,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Rc<dyn Provider>, ProviderError> {
    let id = model.provider.as_str();
    let settings = config.provider_settings(id);
    if id == "anthropic" {
        let key = find_api_key(id, &settings, auth, &env).map(|found| found.key);
        return Ok(Rc::new(anthropic_from_settings(id, &settings, key, env)?));
    }
    let key_env = api_key_env(id);
    let preset = PRESETS.iter().find(|p| p.id == id);

    // OPENAI_BASE_URL points the `openai` provider at any compatible server.
    let env_base_url = (id == "openai")
        .then(|| env("OPENAI_BASE_URL"))
        .flatten()
        .filter(|url| !url.trim().is_empty());
    let base_overridden = env_base_url.is_some() || settings.base_url.is_some();
    let base_url = env_base_url
        .or(settings.base_url.clone())
        .or(preset.map(|p| p.base_url.to_string()))
        .ok_or_else(|| unknown_provider(id, config))?;

    let key = find_api_key(id, &settings, auth, &env).map(|found| found.key);
    // A base URL of one's own may point a hosted preset at a local proxy that needs no key.
    if key.is_none() && preset.is_some_and(|p| p.needs_key) && !base_overridden {
        return Err(ProviderError::MissingApiKey {
            provider: id.to_string(),
            env_var: key_env,
        });
    }

    let mut builder = OpenAiCompatibleConfig::new(id)
        .base_url(base_url)
        .api_key_env(key_env);
    if let Some(key) = key {
        builder = builder.api_key(key);
    }
    for (name, value) in &settings.headers {
        builder = builder.header(name, value);
    }
    Ok(Rc::new(builder.build()?))
}

/// The error for an id that is neither built in nor configured.
fn unknown_provider(id: &str, config: &Config) -> ProviderError {
    let mut known: Vec<String> = PRESETS
        .iter()
        .map(|p| p.id.to_string())
        .chain(["anthropic".to_string()])
        .chain(config.provider.keys().cloned())
        .collect();
    known.sort();
    known.dedup();
    ProviderError::UnknownProvider {
        id: id.to_string(),
        known,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn no_auth() -> AuthStore {
        AuthStore::empty(std::path::Path::new("unused"))
    }

    #[test]
    fn openai_without_key_names_the_variable() {
        let model = ModelRef::parse("openai/gpt-4o").unwrap();
        let err = resolve_provider(&model, &Config::default(), &no_auth(), no_env)
            .err()
            .unwrap();
        assert!(err.to_string().contains("OPENAI_API_KEY"), "{err}");
    }

    #[test]
    fn local_servers_need_no_key() {
        let model = ModelRef::parse("ollama/qwen2.5-coder:7b").unwrap();
        assert!(resolve_provider(&model, &Config::default(), &no_auth(), no_env).is_ok());
    }

    #[test]
    fn hosted_presets_need_their_own_key() {
        let model = ModelRef::parse("groq/llama-3.3-70b-versatile").unwrap();
        let err = resolve_provider(&model, &Config::default(), &no_auth(), no_env)
            .err()
            .unwrap();
        assert!(err.to_string().contains("GROQ_API_KEY"), "{err}");
        let with_key = |name: &str| (name == "GROQ_API_KEY").then(|| "gsk-1".to_string());
        assert!(resolve_provider(&model, &Config::default(), &no_auth(), with_key).is_ok());
    }

    #[test]
    fn openai_base_url_points_openai_at_a_server_that_needs_no_key() {
        let model = ModelRef::parse("openai/my-model").unwrap();
        let env = |name: &str| (name == "OPENAI_BASE_URL").then(|| "http://127.0.0.1:9/v1".into());
        assert!(resolve_provider(&model, &Config::default(), &no_auth(), env).is_ok());
    }

    #[test]
    fn a_saved_key_satisfies_a_hosted_preset() {
        let model = ModelRef::parse("groq/llama-3.3-70b-versatile").unwrap();
        let mut auth = no_auth();
        auth.set_api_key("groq", "gsk-saved");
        assert!(resolve_provider(&model, &Config::default(), &auth, no_env).is_ok());
    }

    #[test]
    fn every_preset_is_a_known_provider() {
        for preset in PRESETS {
            // A hosted preset needs a key; a local server does not.
            let needs_key = crate::known_provider(preset.id).map(|k| !k.local);
            assert_eq!(needs_key, Some(preset.needs_key), "{}", preset.id);
        }
    }

    #[test]
    fn unknown_provider_lists_the_known_ones() {
        let model = ModelRef::parse("nowhere/m").unwrap();
        let err = resolve_provider(&model, &Config::default(), &no_auth(), no_env)
            .err()
            .unwrap();
        let text = err.to_string();
        assert!(text.contains("nowhere"), "{text}");
        assert!(text.contains("ollama"), "{text}");
    }
}
