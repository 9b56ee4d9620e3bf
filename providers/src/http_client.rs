//! The HTTP client a provider sends its requests with.
//!
//! Building a `reqwest::Client` with TLS loads the system's root
//! certificates: on Linux, every file under `/etc/ssl/certs` is read and
//! parsed, which was about half of `code-mesh run`'s start-up (2–3 ms, a
//! third of its CPU time) in the end-to-end bench. A provider whose base URL
//! is plain `http://` (Ollama, LM Studio, llama.cpp, vLLM on the same
//! machine or network) never makes a TLS connection, so its client is
//! built without them.

/// An HTTP client for requests to `base_url`: with the system's root
/// certificates when it is `https://` (or anything else), without any when
/// it is plain `http://` and no proxy is reached over https.
pub(crate) fn http_client_for(base_url: &str) -> reqwest::Result<reqwest::Client> {
    let builder = reqwest::Client::builder();
    #[cfg(not(target_family = "wasm"))]
    let builder = if native::needs_no_roots(base_url) {
        // No roots at all: a redirect to https fails its certificate check
        // rather than being trusted.
        builder.tls_certs_only([])
    } else {
        builder
    };
    // In wasm the browser or Node does TLS.
    #[cfg(target_family = "wasm")]
    let _ = base_url;
    builder.build()
}

#[cfg(not(target_family = "wasm"))]
mod native {
    /// Proxy variables reqwest reads for plain-http requests.
    const HTTP_PROXY_VARS: [&str; 4] = ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"];

    /// Whether requests to `base_url` never need TLS: plain http, and no
    /// proxy reached over https.
    pub(super) fn needs_no_roots(base_url: &str) -> bool {
        has_scheme(base_url, "http://")
            && !HTTP_PROXY_VARS.iter().any(|name| {
                std::env::var(name).is_ok_and(|proxy| has_scheme(proxy.trim(), "https://"))
            })
    }

    /// Whether `url` starts with `scheme` (`http://`), in any case.
    pub(super) fn has_scheme(url: &str, scheme: &str) -> bool {
        url.get(..scheme.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    use super::native::has_scheme;
    use super::*;

    #[test]
    fn schemes_match_in_any_case() {
        assert!(has_scheme("http://localhost:11434/v1", "http://"));
        assert!(has_scheme("HTTP://127.0.0.1:8080", "http://"));
        assert!(!has_scheme("https://api.openai.com/v1", "http://"));
        assert!(!has_scheme("http", "http://"));
        assert!(!has_scheme("", "http://"));
    }

    #[test]
    fn clients_build_for_both_schemes() {
        assert!(http_client_for("http://localhost:11434/v1").is_ok());
        assert!(http_client_for("https://api.openai.com/v1").is_ok());
    }
}
