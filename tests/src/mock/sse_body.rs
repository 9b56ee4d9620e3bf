//! Response bodies every wire format sends: an event stream (optionally cut
//! mid-body, as a crashed upstream would) and a JSON document.

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use serde_json::Value;
use std::time::Duration;

/// How long a dropped stream waits before cutting the connection, so the
/// events sent before it are flushed to the client first.
const FLUSH_BEFORE_DROP: Duration = Duration::from_millis(50);

/// An event-stream response sending `events` one frame each; when `cut` is
/// set, the body then fails, which makes the server close the connection
/// mid-body (no terminating chunk), as a crashed upstream would.
pub(crate) fn sse_response(events: Vec<String>, cut: bool) -> Response {
    let frames = futures::stream::iter(events.into_iter().map(|event| Ok(Bytes::from(event))));
    let body = if cut {
        let failure = futures::stream::once(async {
            tokio::time::sleep(FLUSH_BEFORE_DROP).await;
            Err(std::io::Error::other(
                "mock LLM server: stream dropped on purpose",
            ))
        });
        Body::from_stream(frames.chain(failure))
    } else {
        Body::from_stream(frames)
    };
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// A JSON body with the right content type (axum's `Json` needs a feature
/// we do not otherwise use).
pub(crate) struct Json(pub(crate) Value);

impl IntoResponse for Json {
    fn into_response(self) -> Response {
        (
            [(header::CONTENT_TYPE, "application/json")],
            self.0.to_string(),
        )
            .into_response()
    }
}
