//! Which provider serves a `provider/model` id, built from the config and the
//! environment. Environment variables win over the config file. Front ends
//! (the CLI, the wasm build) call [`resolve_provider`] and register the result.

use crate::OpenAiCompatibleConfig;
use crate::anthropic::{API_KEY_ENV as ANTHROPIC_KEY_ENV, anthropic_from_settings};
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

/// The provider for `model`, reading variables through `env`; its requests
/// are retried and its answers watched for silence as its settings say (see
/// [`crate::resilient`]).
pub fn resolve_provider(
    model: &ModelRef,
    config: &Config,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Rc<dyn Provider>, ProviderError> {
    let provider = bare_provider(model, config, env)?;
    let settings = config.provider_settings(&model.provider);
    Ok(crate::resilient(provider, &model.provider, &settings))
}

/// The provider for `model` as its wire format speaks: one attempt per
/// request, no timeout.
fn bare_provider(
    model: &ModelRef,
    config: &Config,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Rc<dyn Provider>, ProviderError> {
    let id = model.provider.as_str();
    let settings = config.provider_settings(id);
    if id == "anthropic" {
        let key = env(ANTHROPIC_KEY_ENV)
            .filter(|k| !k.trim().is_empty())
            .or(settings.api_key.clone());
        return Ok(Rc::new(anthropic_from_settings(id, &settings, key, env)?));
    }
    let key_env = api_key_env(id);
    let preset = PRESETS.iter().find(|p| p.id == id);

    let base_url = match id {
        // OPENAI_BASE_URL points the `openai` provider at any compatible server.
        "openai" => env("OPENAI_BASE_URL").or(settings.base_url.clone()),
        _ => settings.base_url.clone(),
    }
    .or(preset.map(|p| p.base_url.to_string()))
    .ok_or_else(|| unknown_provider(id, config))?;

    let key = env(&key_env)
        .filter(|k| !k.trim().is_empty())
        .or(settings.api_key.clone());
    // A configured baseURL may point a hosted preset at a local proxy that needs no key.
    if key.is_none() && preset.is_some_and(|p| p.needs_key) && settings.base_url.is_none() {
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

/// The environment variable holding `provider`'s key: `OPENAI_API_KEY` for
/// `openai`, `OLLAMA_API_KEY` for `ollama`, …
fn api_key_env(provider: &str) -> String {
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

    #[test]
    fn openai_without_key_names_the_variable() {
        let model = ModelRef::parse("openai/gpt-4o").unwrap();
        let err = resolve_provider(&model, &Config::default(), no_env)
            .err()
            .unwrap();
        assert!(err.to_string().contains("OPENAI_API_KEY"), "{err}");
    }

    #[test]
    fn local_servers_need_no_key() {
        let model = ModelRef::parse("ollama/qwen2.5-coder:7b").unwrap();
        assert!(resolve_provider(&model, &Config::default(), no_env).is_ok());
    }

    #[test]
    fn hosted_presets_need_their_own_key() {
        let model = ModelRef::parse("groq/llama-3.3-70b-versatile").unwrap();
        let err = resolve_provider(&model, &Config::default(), no_env)
            .err()
            .unwrap();
        assert!(err.to_string().contains("GROQ_API_KEY"), "{err}");
        let with_key = |name: &str| (name == "GROQ_API_KEY").then(|| "gsk-1".to_string());
        assert!(resolve_provider(&model, &Config::default(), with_key).is_ok());
    }

    #[test]
    fn unknown_provider_lists_the_known_ones() {
        let model = ModelRef::parse("nowhere/m").unwrap();
        let err = resolve_provider(&model, &Config::default(), no_env)
            .err()
            .unwrap();
        let text = err.to_string();
        assert!(text.contains("nowhere"), "{text}");
        assert!(text.contains("ollama"), "{text}");
    }
}
