//! Cross-origin access, as local model servers (Ollama, LM Studio) allow it:
//! a page served from another origin (the browser example) may call the mock.
//!
//! Every response says any origin may read it, and a browser's `OPTIONS`
//! preflight is answered at once without touching the script.

use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The request headers allowed when a preflight names none: what the
/// OpenAI-compatible and Anthropic clients send. (`*` would not cover
/// `Authorization`, which the CORS rules never wildcard.)
const ALLOWED_HEADERS: &str = "authorization, content-type, x-api-key, anthropic-version";

/// The methods a page may use.
const ALLOWED_METHODS: &str = "GET, POST, OPTIONS";

/// The answer to a preflight (`OPTIONS`) whose request headers were
/// `request`: 204, allowing the headers the browser asks about.
pub(crate) fn preflight(request: &HeaderMap) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    let asked = request
        .get(ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned()
        .unwrap_or(HeaderValue::from_static(ALLOWED_HEADERS));
    headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, asked);
    headers.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(ALLOWED_METHODS),
    );
    headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    response
}

/// `response` readable from any origin, its headers too (a page's client
/// reads `Retry-After`), as any answer of the server is.
pub(crate) fn allow_any_origin(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("*"));
    if !headers.contains_key(ACCESS_CONTROL_ALLOW_HEADERS) {
        headers.insert(
            ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(ALLOWED_HEADERS),
        );
        headers.insert(
            ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(ALLOWED_METHODS),
        );
    }
    response
}
