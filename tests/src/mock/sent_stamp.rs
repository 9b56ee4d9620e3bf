//! Notes when a response has been sent: a body wrapper that calls back once
//! its last frame has been handed to the connection.
//!
//! Benchmarks time the client from "the answer is fully sent" to "the next
//! request arrives", so the moment must be the end of the body, not the
//! moment the handler returned (a streamed body is produced long after).

use axum::body::{Body, Bytes, HttpBody};
use axum::response::Response;
use http_body::{Frame, SizeHint};
use std::pin::Pin;
use std::task::{Context, Poll};

/// What to call once the body is sent.
type OnSent = Box<dyn FnOnce() + Send>;

/// `response` with `on_sent` called when its body's last frame has been
/// taken by the connection. It is not called when the body fails or the
/// connection drops first. Length and end-of-stream hints are kept, so a
/// `Content-Length` body stays one.
pub(crate) fn call_when_sent(
    response: Response,
    on_sent: impl FnOnce() + Send + 'static,
) -> Response {
    let (parts, body) = response.into_parts();
    let mut stamped = StampOnEnd {
        inner: body,
        on_sent: Some(Box::new(on_sent)),
    };
    // An empty body may never be polled.
    stamped.fire_if_ended();
    Response::from_parts(parts, Body::new(stamped))
}

/// A body that calls `on_sent` when `inner` ends.
struct StampOnEnd {
    inner: Body,
    on_sent: Option<OnSent>,
}

impl StampOnEnd {
    fn fire_if_ended(&mut self) {
        if self.inner.is_end_stream() {
            self.fire();
        }
    }

    fn fire(&mut self) {
        if let Some(on_sent) = self.on_sent.take() {
            on_sent();
        }
    }
}

impl HttpBody for StampOnEnd {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        match &polled {
            // The connection stops polling a body that says it has ended,
            // so check after each frame as well as at the end.
            Poll::Ready(Some(Ok(_))) => self.fire_if_ended(),
            Poll::Ready(None) => self.fire(),
            Poll::Ready(Some(Err(_))) => {
                self.on_sent = None;
            }
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
