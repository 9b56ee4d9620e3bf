//! The `webfetch` tool: an HTTP GET of a page, returned as Markdown, text or
//! HTML, as OpenCode's `webfetch`. At most 5 MB is read, within a timeout,
//! once the session's `webfetch` permission allows the URL.

mod html;

use crate::args::parse_args;
use crate::schema::tool_spec;
use async_trait::async_trait;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
use futures::StreamExt;
use reqwest::header;
use schemars::JsonSchema;
use serde::Deserialize;
use std::sync::OnceLock;
use std::time::Duration;

/// The most bytes of a response read: 5 MB.
pub const MAX_RESPONSE_BYTES: usize = 5 * 1024 * 1024;
/// Seconds to wait when the model gives no timeout.
const DEFAULT_TIMEOUT_SECS: f64 = 30.0;
/// The longest timeout a call may ask for, in seconds.
const MAX_TIMEOUT_SECS: f64 = 120.0;
/// Sent as `User-Agent`: some sites refuse requests without one.
const USER_AGENT: &str = concat!("code-mesh/", env!("CARGO_PKG_VERSION"), " (webfetch)");

/// Fetches a URL: `webfetch {url, format, timeout}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebFetchTool;

/// The arguments, as OpenCode names them.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct WebFetchArgs {
    /// The URL to fetch content from
    url: String,
    // Required in the schema, as OpenCode has it; left out, it is Markdown.
    /// The format to return the content in (text, markdown, or html)
    #[schemars(required)]
    format: Option<Format>,
    /// Optional timeout in seconds (default 30, max 120)
    #[schemars(range(max = MAX_TIMEOUT_SECS), extend("exclusiveMinimum" = 0))]
    timeout: Option<f64>,
}

/// What the model wants the page as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Format {
    /// HTML reduced to its text.
    Text,
    /// HTML converted to Markdown.
    #[default]
    Markdown,
    /// The page as served.
    Html,
}

impl Format {
    /// The `Accept` header asking the server for this format first.
    fn accept(self) -> &'static str {
        match self {
            Self::Markdown => {
                "text/markdown;q=1.0, text/x-markdown;q=0.9, text/plain;q=0.8, text/html;q=0.7, */*;q=0.1"
            }
            Self::Text => "text/plain;q=1.0, text/markdown;q=0.9, text/html;q=0.8, */*;q=0.1",
            Self::Html => {
                "text/html;q=1.0, application/xhtml+xml;q=0.9, text/plain;q=0.8, */*;q=0.1"
            }
        }
    }
}

#[async_trait(?Send)]
impl Tool for WebFetchTool {
    fn spec(&self) -> ToolSpec {
        static PARAMETERS: OnceLock<serde_json::Value> = OnceLock::new();
        tool_spec::<WebFetchArgs>(
            "webfetch",
            include_str!("descriptions/webfetch.txt"),
            &PARAMETERS,
        )
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        let args: WebFetchArgs = parse_args("webfetch", arguments)?;
        let url = reqwest::Url::parse(args.url.trim())
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .ok_or_else(|| {
                invalid(format!(
                    "url {:?} is not an http:// or https:// URL; give a full URL such as \
                     https://example.com/page",
                    args.url
                ))
            })?;
        let timeout = match args.timeout {
            None => DEFAULT_TIMEOUT_SECS,
            Some(seconds) if seconds.is_finite() && seconds > 0.0 => seconds.min(MAX_TIMEOUT_SECS),
            Some(_) => {
                return Err(invalid(format!(
                    "timeout must be a positive number of seconds (at most {MAX_TIMEOUT_SECS}); \
                     leave it out for {DEFAULT_TIMEOUT_SECS}"
                )));
            }
        };

        ctx.check_permission("webfetch", url.as_str(), &format!("Fetch {url}"))
            .await?;
        let format = args.format.unwrap_or_default();
        let (content_type, body) = fetch(&url, format, Duration::from_secs_f64(timeout))
            .await
            .map_err(|error| describe(error, &url, timeout))?;
        let is_html = content_type.contains("text/html");
        let text = String::from_utf8_lossy(&body);
        let output = match format {
            Format::Markdown if is_html => html::to_markdown(&text).map_err(conversion_failed)?,
            Format::Text if is_html => html::to_text(&text).map_err(conversion_failed)?,
            _ => text.into_owned(),
        };
        Ok(ToolOutput::new(format!("{url} ({content_type})"), output))
    }

    fn is_read_only(&self) -> bool {
        true
    }
}

/// Why a fetch failed.
enum FetchError {
    /// The request could not be made or its body not read.
    Http(reqwest::Error),
    /// The server answered with an error status.
    Status(reqwest::StatusCode),
    /// The body is larger than [`MAX_RESPONSE_BYTES`].
    TooLarge,
}

/// GETs `url` and returns its content type and body; stops reading, with
/// [`FetchError::TooLarge`], as soon as the body passes the size cap.
async fn fetch(
    url: &reqwest::Url,
    format: Format,
    timeout: Duration,
) -> Result<(String, Vec<u8>), FetchError> {
    let response = reqwest::Client::new()
        .get(url.clone())
        .timeout(timeout)
        .header(header::ACCEPT, format.accept())
        .header(header::USER_AGENT, USER_AGENT)
        .send()
        .await
        .map_err(FetchError::Http)?;
    let status = response.status();
    if !status.is_success() {
        return Err(FetchError::Status(status));
    }
    if response
        .content_length()
        .is_some_and(|length| length > MAX_RESPONSE_BYTES as u64)
    {
        return Err(FetchError::TooLarge);
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let mut body = Vec::new();
    let mut chunks = response.bytes_stream();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(FetchError::Http)?;
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(FetchError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok((content_type, body))
}

/// The error the model sees for a failed fetch of `url`.
fn describe(error: FetchError, url: &reqwest::Url, timeout: f64) -> ToolError {
    ToolError::Failed(match error {
        FetchError::Status(status) => format!(
            "request to {url} failed with status code {status}; check the URL, or try another \
             page"
        ),
        FetchError::TooLarge => format!(
            "the response from {url} is larger than the 5 MB limit and was not read; fetch a \
             more specific URL"
        ),
        FetchError::Http(error) if error.is_timeout() => format!(
            "request to {url} timed out after {timeout} s; pass a larger timeout (at most \
             {MAX_TIMEOUT_SECS} s) or try again later"
        ),
        FetchError::Http(error) => format!("request to {url} failed: {}", error_chain(&error)),
    })
}

/// `error` and its causes, joined: reqwest's own message rarely says why.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// An invalid-arguments error for webfetch.
fn invalid(message: String) -> ToolError {
    ToolError::InvalidArguments {
        tool: "webfetch".to_string(),
        message,
    }
}

/// The error for a page that could not be converted.
fn conversion_failed(error: std::io::Error) -> ToolError {
    ToolError::Failed(format!(
        "the page could not be converted ({error}); fetch it with format \"html\" instead"
    ))
}
