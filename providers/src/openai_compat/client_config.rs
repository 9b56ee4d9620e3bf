//! The settings async-openai's client reads on every request: base URL and
//! headers.
//!
//! We implement async-openai's `Config` rather than use its `OpenAIConfig`
//! because that one fills itself from `OPENAI_API_KEY`, `OPENAI_ORG_ID` and
//! `OPENAI_PROJECT_ID` and always sends `Authorization: Bearer <key>`, even
//! an empty one. A local server configured here gets no OpenAI key, no
//! OpenAI organisation header and no authorization header unless it was
//! given a key.

use async_openai::config::Config;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

/// Base URL, optional key and extra headers, already validated.
#[derive(Clone, Debug)]
pub(crate) struct ClientConfig {
    base_url: String,
    api_key: SecretString,
    headers: HeaderMap,
}

/// A setting that cannot go into an HTTP request.
#[derive(Debug)]
pub(crate) struct InvalidSetting(pub(crate) String);

impl ClientConfig {
    /// Validates the key and headers; `base_url` has no trailing `/`.
    pub(crate) fn new(
        base_url: String,
        api_key: Option<String>,
        extra_headers: &[(String, String)],
    ) -> Result<Self, InvalidSetting> {
        let mut headers = HeaderMap::new();
        if let Some(key) = &api_key {
            let mut value = HeaderValue::from_str(&format!("Bearer {key}")).map_err(|_| {
                InvalidSetting("the API key contains characters not allowed in a header".into())
            })?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        // Extra headers come last so they can replace the authorization
        // header, for proxies that want their own.
        for (name, value) in extra_headers {
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| InvalidSetting(format!("`{name}` is not a valid header name")))?;
            let value = HeaderValue::from_str(value).map_err(|_| {
                InvalidSetting(format!("the value of header `{name}` is not valid"))
            })?;
            headers.insert(header, value);
        }
        Ok(Self {
            base_url,
            api_key: SecretString::from(api_key.unwrap_or_default()),
            headers,
        })
    }

    /// Whether requests carry an API key.
    pub(crate) fn has_api_key(&self) -> bool {
        !self.api_key.expose_secret().is_empty()
    }
}

impl Config for ClientConfig {
    fn headers(&self) -> HeaderMap {
        self.headers.clone()
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    fn query(&self) -> Vec<(&str, &str)> {
        Vec::new()
    }

    fn api_base(&self) -> &str {
        &self.base_url
    }

    fn api_key(&self) -> &SecretString {
        &self.api_key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_becomes_a_sensitive_bearer_header() {
        let config = ClientConfig::new("http://x/v1".into(), Some("sk-1".into()), &[]).unwrap();
        let headers = config.headers();
        assert_eq!(headers[AUTHORIZATION], "Bearer sk-1");
        assert!(headers[AUTHORIZATION].is_sensitive());
        assert_eq!(config.api_key().expose_secret(), "sk-1");
    }

    #[test]
    fn without_a_key_no_authorization_header_is_sent() {
        let config = ClientConfig::new("http://x/v1".into(), None, &[]).unwrap();
        assert!(config.headers().is_empty());
        assert_eq!(
            config.url("/chat/completions"),
            "http://x/v1/chat/completions"
        );
    }

    #[test]
    fn extra_headers_are_added_and_invalid_ones_rejected() {
        let extra = [(
            "HTTP-Referer".to_string(),
            "https://code-mesh.dev".to_string(),
        )];
        let config = ClientConfig::new("http://x".into(), None, &extra).unwrap();
        assert_eq!(config.headers()["http-referer"], "https://code-mesh.dev");

        let bad = [("bad header".to_string(), "v".to_string())];
        assert!(ClientConfig::new("http://x".into(), None, &bad).is_err());
        assert!(ClientConfig::new("http://x".into(), Some("a\nb".into()), &[]).is_err());
    }
}
