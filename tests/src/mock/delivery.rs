//! How a rendered answer is sent, whatever its wire format: extra headers
//! (`Retry-After`, …) and a connection held open in silence.

use super::script::MockResponse;
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;
use futures::StreamExt;

/// What a [`MockResponse`] asks of the sending, apart from its content.
#[derive(Debug, Clone, Default)]
pub(crate) struct Delivery {
    headers: Vec<(String, String)>,
    stall: bool,
}

impl Delivery {
    /// The delivery `response` asks for; read before the format consumes it.
    pub(crate) fn of(response: &MockResponse) -> Self {
        Self {
            headers: response.headers.clone(),
            stall: response.stall,
        }
    }

    /// `rendered` with the extra headers (replacing any of the same name;
    /// a name or value HTTP does not allow is left out) and, for a stall,
    /// a body that sends what it has and then goes silent.
    pub(crate) fn apply(self, mut rendered: Response) -> Response {
        for (name, value) in &self.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                rendered.headers_mut().insert(name, value);
            }
        }
        if self.stall {
            let (parts, body) = rendered.into_parts();
            rendered = Response::from_parts(parts, silent_after(body));
        }
        rendered
    }
}

/// `body`'s data up to its end or its first error, then nothing, with the
/// connection kept open: a server stuck mid-answer. The server's shutdown
/// closes it.
fn silent_after(body: Body) -> Body {
    let sent = body
        .into_data_stream()
        .take_while(|frame| futures::future::ready(frame.is_ok()));
    Body::from_stream(sent.chain(futures::stream::pending()))
}
