//! [`AnthropicConfig`]: the settings of an Anthropic provider, with the
//! environment's defaults.

use super::errors::ErrorContext;
use super::provider::Anthropic;
use code_mesh_runtime::config::ProviderSettings;
use code_mesh_runtime::provider::ProviderError;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};

/// Anthropic's own API, the base URL when none is configured.
pub const ANTHROPIC_BASE_URL: &str = "https://api.anthropic.com";

/// The environment variable naming another base URL (a proxy, a gateway).
pub const BASE_URL_ENV: &str = "ANTHROPIC_BASE_URL";

/// The environment variable that supplies the key by default.
pub const API_KEY_ENV: &str = "ANTHROPIC_API_KEY";

/// The `anthropic-version` header every request carries.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

/// The output-token limit sent when the request sets none: the Messages API
/// requires one.
pub const DEFAULT_MAX_TOKENS: u32 = 8192;

/// The host that needs a key; a proxy at another base URL may not.
const ANTHROPIC_HOST: &str = "api.anthropic.com";

/// Settings for an [`Anthropic`] provider, built once.
///
/// The base URL is the one given, else `$ANTHROPIC_BASE_URL`, else
/// [`ANTHROPIC_BASE_URL`]; requests go to `{base}/v1/messages` (or
/// `{base}/messages` when the base already ends in `/v1`). The key is the
/// one given, else the variable named by [`api_key_env`](Self::api_key_env)
/// (`ANTHROPIC_API_KEY` unless changed). A missing key is an error only for
/// api.anthropic.com.
///
/// ```
/// use code_mesh_providers::AnthropicConfig;
///
/// let claude = AnthropicConfig::new("anthropic")
///     .api_key("sk-ant-example")
///     .default_max_tokens(4096)
///     .build()?;
/// let via_proxy = AnthropicConfig::new("anthropic")
///     .base_url("http://localhost:4000")
///     .header("X-Team", "core")
///     .build()?;
/// # Ok::<(), code_mesh_runtime::provider::ProviderError>(())
/// ```
#[derive(Debug, Clone)]
pub struct AnthropicConfig {
    provider_id: String,
    base_url: Option<String>,
    api_key: Option<String>,
    api_key_env: String,
    headers: Vec<(String, String)>,
    default_max_tokens: u32,
}

impl AnthropicConfig {
    /// Settings for the provider registered as `provider_id` (`anthropic`);
    /// the id names it in error messages.
    pub fn new(provider_id: impl Into<String>) -> Self {
        Self {
            provider_id: provider_id.into(),
            base_url: None,
            api_key: None,
            api_key_env: API_KEY_ENV.to_string(),
            headers: Vec::new(),
            default_max_tokens: DEFAULT_MAX_TOKENS,
        }
    }

    /// The API's base URL, `https://api.anthropic.com` or a proxy's.
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
    /// and to name in error messages (default `ANTHROPIC_API_KEY`).
    pub fn api_key_env(mut self, name: impl Into<String>) -> Self {
        self.api_key_env = name.into();
        self
    }

    /// A header sent with every request (`anthropic-beta`, a gateway's own
    /// key, …). It replaces a header of the same name, `x-api-key` and
    /// `anthropic-version` included.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The output-token limit for requests that set none (default
    /// [`DEFAULT_MAX_TOKENS`]).
    pub fn default_max_tokens(mut self, tokens: u32) -> Self {
        self.default_max_tokens = tokens;
        self
    }

    /// The provider, reading defaults from the process environment. Cheap:
    /// it validates the settings and opens no connection.
    pub fn build(self) -> Result<Anthropic, ProviderError> {
        self.build_with_env(|name| std::env::var(name).ok())
    }

    /// [`build`](Self::build) with `env` standing in for the environment.
    pub(crate) fn build_with_env(
        self,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Anthropic, ProviderError> {
        let present = |value: Option<String>| value.filter(|text| !text.trim().is_empty());
        let base_url = present(self.base_url)
            .or_else(|| present(env(BASE_URL_ENV)))
            .unwrap_or_else(|| ANTHROPIC_BASE_URL.to_string());
        let base_url = base_url.trim().trim_end_matches('/').to_string();
        let invalid = |why: String| {
            ProviderError::InvalidRequest(format!(
                "invalid settings for provider {}: {why}",
                self.provider_id
            ))
        };
        let host = validated_host(&base_url)
            .map_err(|why| invalid(format!("the base URL `{base_url}` is not usable ({why})")))?;

        let api_key = present(self.api_key)
            .or_else(|| present(env(&self.api_key_env)))
            .map(|key| key.trim().to_string());
        if api_key.is_none() && host == ANTHROPIC_HOST {
            return Err(ProviderError::MissingApiKey {
                provider: self.provider_id,
                env_var: self.api_key_env,
            });
        }
        let headers = request_headers(api_key.as_deref(), &self.headers).map_err(invalid)?;

        Ok(Anthropic::new(
            ErrorContext {
                provider: self.provider_id,
                base_url: base_url.clone(),
                api_key_env: self.api_key_env,
            },
            messages_endpoint(&base_url),
            headers,
            api_key.is_some(),
            self.default_max_tokens,
        ))
    }
}

/// The provider registered as `provider_id` from its config entry
/// (`provider.<id>`: base URL, headers) and the key found for it (the
/// caller's precedence: environment, saved credentials, config).
/// `$ANTHROPIC_BASE_URL`, read through `env`, wins over the configured base
/// URL.
pub(crate) fn anthropic_from_settings(
    provider_id: &str,
    settings: &ProviderSettings,
    api_key: Option<String>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Anthropic, ProviderError> {
    let mut config = AnthropicConfig::new(provider_id);
    config.base_url = env(BASE_URL_ENV)
        .filter(|url| !url.trim().is_empty())
        .or_else(|| settings.base_url.clone());
    config.api_key = api_key;
    for (name, value) in &settings.headers {
        config = config.header(name, value);
    }
    config.build_with_env(env)
}

/// Where answers are asked for: `{base}/v1/messages`, without doubling a
/// `/v1` the base URL already has.
fn messages_endpoint(base_url: &str) -> String {
    if base_url.ends_with("/v1") {
        format!("{base_url}/messages")
    } else {
        format!("{base_url}/v1/messages")
    }
}

/// The lowercased host of `base_url`, which must be an http(s) URL.
fn validated_host(base_url: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(base_url).map_err(|error| error.to_string())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("it must start with http:// or https://".into());
    }
    Ok(url.host_str().unwrap_or_default().to_ascii_lowercase())
}

/// The headers of every request: the key, the API version, JSON, then the
/// configured extras (which may replace any of them).
fn request_headers(api_key: Option<&str>, extra: &[(String, String)]) -> Result<HeaderMap, String> {
    let mut headers = HeaderMap::new();
    if let Some(key) = api_key {
        let mut value = HeaderValue::from_str(key)
            .map_err(|_| "the API key contains characters not allowed in a header".to_string())?;
        value.set_sensitive(true);
        headers.insert(HeaderName::from_static("x-api-key"), value);
    }
    headers.insert(
        HeaderName::from_static("anthropic-version"),
        HeaderValue::from_static(ANTHROPIC_VERSION),
    );
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    for (name, value) in extra {
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("`{name}` is not a valid header name"))?;
        let value = HeaderValue::from_str(value)
            .map_err(|_| format!("the value of header `{name}` is not valid"))?;
        headers.insert(header, value);
    }
    Ok(headers)
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
    fn anthropic_without_a_key_is_missing_api_key_naming_the_variable() {
        let error = AnthropicConfig::new("anthropic")
            .build_with_env(env(&[]))
            .unwrap_err();
        assert_eq!(
            error,
            ProviderError::MissingApiKey {
                provider: "anthropic".into(),
                env_var: "ANTHROPIC_API_KEY".into(),
            }
        );
        assert!(
            error.to_string().contains("set ANTHROPIC_API_KEY"),
            "{error}"
        );
    }

    #[test]
    fn key_and_base_url_come_from_the_environment_when_not_given() {
        let provider = AnthropicConfig::new("anthropic")
            .build_with_env(env(&[
                ("ANTHROPIC_API_KEY", "sk-ant-env"),
                ("ANTHROPIC_BASE_URL", "http://127.0.0.1:9/"),
            ]))
            .unwrap();
        assert_eq!(provider.base_url(), "http://127.0.0.1:9");
        assert_eq!(provider.endpoint(), "http://127.0.0.1:9/v1/messages");
        assert!(provider.has_api_key());
    }

    #[test]
    fn default_base_url_is_anthropics_own() {
        let provider = AnthropicConfig::new("anthropic")
            .api_key("sk-ant-1")
            .build_with_env(env(&[]))
            .unwrap();
        assert_eq!(provider.endpoint(), "https://api.anthropic.com/v1/messages");
    }

    #[test]
    fn explicit_settings_win_over_the_environment() {
        let provider = AnthropicConfig::new("anthropic")
            .base_url("http://proxy.local")
            .api_key("sk-explicit")
            .build_with_env(env(&[("ANTHROPIC_BASE_URL", "http://elsewhere")]))
            .unwrap();
        assert_eq!(provider.base_url(), "http://proxy.local");
    }

    #[test]
    fn a_base_url_ending_in_v1_is_not_given_another() {
        let provider = AnthropicConfig::new("anthropic")
            .base_url("http://proxy.local/v1/")
            .build_with_env(env(&[]))
            .unwrap();
        assert_eq!(provider.endpoint(), "http://proxy.local/v1/messages");
    }

    #[test]
    fn a_proxy_needs_no_key() {
        let provider = AnthropicConfig::new("anthropic")
            .base_url("http://localhost:4000")
            .build_with_env(env(&[]))
            .unwrap();
        assert!(!provider.has_api_key());
    }

    #[test]
    fn unusable_base_urls_and_headers_are_invalid_requests() {
        for url in ["api.anthropic.com", "ftp://x", "not a url"] {
            let error = AnthropicConfig::new("anthropic")
                .base_url(url)
                .api_key("k")
                .build_with_env(env(&[]))
                .unwrap_err();
            assert!(
                matches!(&error, ProviderError::InvalidRequest(m) if m.contains(url)),
                "{url}: {error}"
            );
        }
        let error = AnthropicConfig::new("anthropic")
            .api_key("k")
            .header("bad name", "x")
            .build_with_env(env(&[]))
            .unwrap_err();
        assert!(error.to_string().contains("bad name"), "{error}");
    }

    #[test]
    fn settings_give_headers_and_base_url_but_the_environment_wins() {
        let settings = ProviderSettings {
            base_url: Some("http://configured".into()),
            headers: [("anthropic-beta".to_string(), "x".to_string())].into(),
            ..ProviderSettings::default()
        };
        let configured =
            anthropic_from_settings("anthropic", &settings, Some("k".into()), env(&[])).unwrap();
        assert_eq!(configured.base_url(), "http://configured");
        let overridden = anthropic_from_settings(
            "anthropic",
            &settings,
            None,
            env(&[("ANTHROPIC_BASE_URL", "http://from-env")]),
        )
        .unwrap();
        assert_eq!(overridden.base_url(), "http://from-env");
        let error =
            anthropic_from_settings("anthropic", &ProviderSettings::default(), None, env(&[]))
                .unwrap_err();
        assert!(matches!(error, ProviderError::MissingApiKey { .. }));
    }

    #[test]
    fn headers_carry_key_version_and_extras_which_win() {
        let headers =
            request_headers(Some("sk-ant-1"), &[("anthropic-beta".into(), "x".into())]).unwrap();
        assert_eq!(headers["x-api-key"], "sk-ant-1");
        assert!(headers["x-api-key"].is_sensitive());
        assert_eq!(headers["anthropic-version"], ANTHROPIC_VERSION);
        assert_eq!(headers["anthropic-beta"], "x");
        let replaced =
            request_headers(None, &[("anthropic-version".into(), "2099-01-01".into())]).unwrap();
        assert_eq!(replaced["anthropic-version"], "2099-01-01");
        assert!(!replaced.contains_key("x-api-key"));
    }
}
