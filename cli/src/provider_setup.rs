//! Which provider serves a `provider/model` id, built from the config and the
//! environment. Environment variables win over the config file.

use code_mesh_providers::OpenAiCompatibleConfig;
use code_mesh_runtime::config::Config;
use code_mesh_runtime::model::ModelRef;
use code_mesh_runtime::provider::{Provider, ProviderError};
use std::rc::Rc;

/// OpenAI-compatible servers known by id: (id, default base URL). Any other id
/// works too once the config gives it a `baseURL`.
const LOCAL_SERVERS: &[(&str, &str)] = &[
    ("ollama", "http://localhost:11434/v1"),
    ("lmstudio", "http://localhost:1234/v1"),
    ("llamacpp", "http://localhost:8080/v1"),
    ("vllm", "http://localhost:8000/v1"),
];

/// The provider for `model`, reading variables through `env`.
pub fn provider_for(
    model: &ModelRef,
    config: &Config,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Rc<dyn Provider>, ProviderError> {
    let id = model.provider.as_str();
    let settings = config.provider_settings(id);
    let key_env = api_key_env(id);
    let preset = LOCAL_SERVERS
        .iter()
        .find(|(name, _)| *name == id)
        .map(|(_, url)| *url);

    let base_url = match id {
        // OPENAI_BASE_URL points the `openai` provider at any compatible server.
        "openai" => env("OPENAI_BASE_URL").or(settings.base_url.clone()),
        _ => settings.base_url.clone().or(preset.map(str::to_string)),
    };
    let Some(base_url) = base_url.or_else(|| {
        (id == "openai").then(|| code_mesh_providers::openai_compat::OPENAI_BASE_URL.to_string())
    }) else {
        return Err(unknown_provider(id, config));
    };

    let mut builder = OpenAiCompatibleConfig::new(id)
        .base_url(base_url)
        .api_key_env(key_env.clone());
    if let Some(key) = env(&key_env)
        .filter(|k| !k.trim().is_empty())
        .or(settings.api_key.clone())
    {
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
    let mut known: Vec<String> = std::iter::once("openai")
        .chain(LOCAL_SERVERS.iter().map(|(name, _)| *name))
        .map(str::to_string)
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
        let err = provider_for(&model, &Config::default(), no_env)
            .err()
            .unwrap();
        assert!(err.to_string().contains("OPENAI_API_KEY"), "{err}");
    }

    #[test]
    fn local_servers_need_no_key() {
        let model = ModelRef::parse("ollama/qwen2.5-coder:7b").unwrap();
        assert!(provider_for(&model, &Config::default(), no_env).is_ok());
    }

    #[test]
    fn unknown_provider_lists_the_known_ones() {
        let model = ModelRef::parse("nowhere/m").unwrap();
        let err = provider_for(&model, &Config::default(), no_env)
            .err()
            .unwrap();
        let text = err.to_string();
        assert!(text.contains("nowhere"), "{text}");
        assert!(text.contains("ollama"), "{text}");
    }
}
