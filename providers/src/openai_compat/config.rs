//! [`OpenAiCompatibleConfig`]: the settings of an OpenAI-compatible provider,
//! with the environment's defaults.

use super::client_config::ClientConfig;
use super::provider::OpenAiCompatible;
use code_mesh_runtime::provider::ProviderError;

/// OpenAI's own API, the base URL when none is configured.
pub const OPENAI_BASE_URL: &str = "https://api.openai.com/v1";

/// The environment variable naming another default base URL.
pub const BASE_URL_ENV: &str = "OPENAI_BASE_URL";

/// The environment variable that supplies the key by default.
pub const API_KEY_ENV: &str = "OPENAI_API_KEY";

/// The host that needs a key; local servers (Ollama, LM Studio, llama.cpp,
/// vLLM) need none.
const OPENAI_HOST: &str = "api.openai.com";

/// Settings for an [`OpenAiCompatible`] provider, built once.
///
/// The base URL is the one given, else `$OPENAI_BASE_URL`, else
/// [`OPENAI_BASE_URL`]. The key is the one given, else the variable named by
/// [`api_key_env`](Self::api_key_env) (`OPENAI_API_KEY` unless changed). A
/// missing key is an error only for api.openai.com.
///
/// ```
/// use code_mesh_providers::OpenAiCompatibleConfig;
///
/// let ollama = OpenAiCompatibleConfig::new("ollama")
///     .base_url("http://localhost:11434/v1")
///     .build()?;
/// let openrouter = OpenAiCompatibleConfig::new("openrouter")
///     .base_url("https://openrouter.ai/api/v1")
///     .api_key_env("OPENROUTER_API_KEY")
///     .header("X-Title", "Code Mesh")
///     .build();
/// # Ok::<(), code_mesh_runtime::provider::ProviderError>(())
/// ```
#[derive(Debug, Clone)]
pub struct OpenAiCompatibleConfig {
    provider_id: String,
    base_url: Option<String>,
    api_key: Option<String>,
    api_key_env: String,
    headers: Vec<(String, String)>,
}

impl OpenAiCompatibleConfig {
    /// Settings for the provider registered as `provider_id` (`openai`,
    /// `ollama`, …); the id names it in error messages.
    pub fn new(provider_id: impl Into<String>) -> Self {
        Self {
            provider_id: provider_id.into(),
            base_url: None,
            api_key: None,
            api_key_env: API_KEY_ENV.to_string(),
            headers: Vec::new(),
        }
    }

    /// The API's base URL, up to and including `/v1` where the server has it
    /// (`http://localhost:11434/v1`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The API key, taking precedence over the environment.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The environment variable to read the key from when none is given,
    /// and to name in error messages (default `OPENAI_API_KEY`).
    pub fn api_key_env(mut self, name: impl Into<String>) -> Self {
        self.api_key_env = name.into();
        self
    }

    /// A header sent with every request (`HTTP-Referer` for OpenRouter, an
    /// `api-key` for a gateway, …). It replaces a header of the same name,
    /// `Authorization` included.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The provider, reading defaults from the process environment. Cheap:
    /// it validates the settings and opens no connection.
    pub fn build(self) -> Result<OpenAiCompatible, ProviderError> {
        self.build_with_env(|name| std::env::var(name).ok())
    }

    /// [`build`](Self::build) with `env` standing in for the environment.
    pub(crate) fn build_with_env(
        self,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<OpenAiCompatible, ProviderError> {
        let present = |value: Option<String>| value.filter(|text| !text.trim().is_empty());
        let base_url = present(self.base_url)
            .or_else(|| present(env(BASE_URL_ENV)))
            .unwrap_or_else(|| OPENAI_BASE_URL.to_string());
        let base_url = base_url.trim().trim_end_matches('/').to_string();
        let is_openai = validated_host(&self.provider_id, &base_url)? == OPENAI_HOST;

        let api_key = present(self.api_key)
            .or_else(|| present(env(&self.api_key_env)))
            .map(|key| key.trim().to_string());
        if api_key.is_none() && is_openai {
            return Err(ProviderError::MissingApiKey {
                provider: self.provider_id,
                env_var: self.api_key_env,
            });
        }

        let client_config =
            ClientConfig::new(base_url.clone(), api_key, &self.headers).map_err(|invalid| {
                ProviderError::InvalidRequest(format!(
                    "invalid settings for provider {}: {}",
                    self.provider_id, invalid.0
                ))
            })?;
        Ok(OpenAiCompatible::new(
            self.provider_id,
            base_url,
            self.api_key_env,
            is_openai,
            client_config,
        ))
    }
}

/// The provider for `provider_id` from CLI settings and the environment:
/// `base_url` or `$OPENAI_BASE_URL` or OpenAI's own; `api_key` or
/// `$OPENAI_API_KEY`, required only for OpenAI's own API.
pub fn openai_compatible_from_env(
    provider_id: impl Into<String>,
    base_url: Option<String>,
    api_key: Option<String>,
) -> Result<OpenAiCompatible, ProviderError> {
    let mut config = OpenAiCompatibleConfig::new(provider_id);
    config.base_url = base_url;
    config.api_key = api_key;
    config.build()
}

/// The lowercased host of `base_url`, which must be an http(s) URL.
fn validated_host(provider_id: &str, base_url: &str) -> Result<String, ProviderError> {
    let invalid = |why: String| {
        ProviderError::InvalidRequest(format!(
            "the base URL of provider {provider_id} is not usable: `{base_url}` {why}"
        ))
    };
    let url = reqwest::Url::parse(base_url).map_err(|error| invalid(format!("({error})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("(it must start with http:// or https://)".into()));
    }
    Ok(url.host_str().unwrap_or_default().to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| vars.get(name).cloned()
    }

    #[test]
    fn openai_without_a_key_is_missing_api_key_naming_the_variable() {
        let error = OpenAiCompatibleConfig::new("openai")
            .build_with_env(env(&[]))
            .unwrap_err();
        assert_eq!(
            error,
            ProviderError::MissingApiKey {
                provider: "openai".into(),
                env_var: "OPENAI_API_KEY".into(),
            }
        );
        assert!(error.to_string().contains("set OPENAI_API_KEY"));
    }

    #[test]
    fn key_comes_from_the_environment_when_not_given() {
        let provider = OpenAiCompatibleConfig::new("openai")
            .build_with_env(env(&[("OPENAI_API_KEY", "sk-env")]))
            .unwrap();
        assert_eq!(provider.base_url(), OPENAI_BASE_URL);
        assert!(provider.has_api_key());
    }

    #[test]
    fn local_servers_need_no_key() {
        let provider = OpenAiCompatibleConfig::new("ollama")
            .base_url("http://localhost:11434/v1/")
            .build_with_env(env(&[]))
            .unwrap();
        assert_eq!(provider.base_url(), "http://localhost:11434/v1");
        assert!(!provider.has_api_key());
    }

    #[test]
    fn base_url_falls_back_to_openai_base_url_variable() {
        let provider = OpenAiCompatibleConfig::new("openai")
            .build_with_env(env(&[("OPENAI_BASE_URL", "http://127.0.0.1:8080/v1")]))
            .unwrap();
        assert_eq!(provider.base_url(), "http://127.0.0.1:8080/v1");
    }

    #[test]
    fn explicit_settings_win_over_the_environment() {
        let provider = OpenAiCompatibleConfig::new("proxy")
            .base_url("http://proxy.local/v1")
            .api_key("sk-explicit")
            .build_with_env(env(&[("OPENAI_BASE_URL", "http://elsewhere/v1")]))
            .unwrap();
        assert_eq!(provider.base_url(), "http://proxy.local/v1");
        assert!(provider.has_api_key());
    }

    #[test]
    fn custom_key_variable_is_read_and_named() {
        let error = OpenAiCompatibleConfig::new("openai")
            .api_key_env("MY_KEY")
            .build_with_env(env(&[("OPENAI_API_KEY", "sk-not-this")]))
            .unwrap_err();
        assert!(
            matches!(error, ProviderError::MissingApiKey { env_var, .. } if env_var == "MY_KEY")
        );
    }

    #[test]
    fn unusable_base_urls_are_invalid_requests() {
        for url in ["localhost:11434", "ftp://x/v1", "not a url"] {
            let error = OpenAiCompatibleConfig::new("ollama")
                .base_url(url)
                .build_with_env(env(&[]))
                .unwrap_err();
            assert!(
                matches!(error, ProviderError::InvalidRequest(_)),
                "{url}: {error}"
            );
        }
    }

    #[test]
    fn invalid_headers_are_invalid_requests() {
        let error = OpenAiCompatibleConfig::new("ollama")
            .base_url("http://localhost:11434/v1")
            .header("bad name", "x")
            .build_with_env(env(&[]))
            .unwrap_err();
        assert!(error.to_string().contains("bad name"), "{error}");
    }
}
