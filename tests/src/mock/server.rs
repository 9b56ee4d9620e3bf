//! [`MockLlmServer`]: a real HTTP server on 127.0.0.1 that answers model
//! requests from a script and records them.

use super::anthropic_sse;
use super::cors;
use super::delivery::Delivery;
use super::openai_sse;
use super::recorded::RecordedRequest;
use super::script::MockResponse;
use super::sent_stamp::call_when_sent;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use axum::serve::ListenerExt;
use std::collections::{BTreeMap, VecDeque};
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Instant;
use tokio::sync::oneshot;

/// Request bodies larger than this are refused (the mock is for tests).
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// A scripted LLM server speaking real wire formats over real sockets.
///
/// Each model request takes the next [`MockResponse`] of the script (the
/// first it may answer, see [`MockResponse::when_asked`]),
/// rendered in the wire format its path asks for: OpenAI chat completions
/// for `POST /v1/chat/completions` (or `/chat/completions`), Anthropic
/// Messages for `POST /v1/messages` (or `/messages`). A request past the end of
/// the script gets HTTP 500 saying the script is exhausted. Every response
/// may be read from any origin and a browser's `OPTIONS` preflight is
/// answered (204) without using the script, as local model servers do, so
/// a web page can call the mock. Every request,
/// whatever its path, is recorded for [`requests`](Self::requests), with
/// when it arrived and when its answer was fully sent (for benchmarks that
/// time the client between the two).
///
/// The server runs on its own thread with its own tokio runtime, so it works
/// from plain `#[test]`s and from any async runtime alike. Dropping it shuts
/// it down.
///
/// ```no_run
/// use code_mesh_test_support::{MockLlmServer, MockResponse, MockToolCall};
/// use serde_json::json;
///
/// let server = MockLlmServer::start([
///     MockResponse::tool_calls(vec![MockToolCall::new(
///         "call_1",
///         "read",
///         json!({ "filePath": "src/main.rs" }),
///     )]),
///     MockResponse::text("The file prints a greeting."),
/// ]);
/// // Point the client at server.base_url() ("http://127.0.0.1:PORT/v1"),
/// // run it, then look at what it sent:
/// let first = &server.requests()[0];
/// assert_eq!(first.body["model"], "gpt-4o");
/// ```
pub struct MockLlmServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

/// What the request handler and the test share.
#[derive(Default)]
struct Shared {
    state: Mutex<ScriptState>,
}

#[derive(Default)]
struct ScriptState {
    script: VecDeque<MockResponse>,
    /// Model requests answered so far (from the script or not).
    model_requests: usize,
    requests: Vec<RecordedRequest>,
}

impl Shared {
    /// The state; a panic elsewhere while holding the lock does not make
    /// the recorded requests unreadable.
    fn lock(&self) -> MutexGuard<'_, ScriptState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl MockLlmServer {
    /// Starts a server answering with `script`, in order, and returns once it
    /// is listening.
    ///
    /// # Panics
    ///
    /// If no port can be bound or no thread started; see
    /// [`try_start`](Self::try_start) to handle that instead.
    #[expect(
        clippy::panic,
        reason = "a test kit that cannot start should fail the test loudly"
    )]
    pub fn start(script: impl IntoIterator<Item = MockResponse>) -> Self {
        match Self::try_start(script) {
            Ok(server) => server,
            Err(error) => panic!("the mock LLM server could not start: {error}"),
        }
    }

    /// Like [`start`](Self::start), returning the error instead of panicking.
    pub fn try_start(script: impl IntoIterator<Item = MockResponse>) -> io::Result<Self> {
        // Bind here, on the caller's thread: once this returns, connections
        // queue in the backlog even before the server thread accepts them.
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;

        let shared = Arc::new(Shared::default());
        shared.lock().script.extend(script);
        let app = Router::new()
            .fallback(handle_request)
            .with_state(Arc::clone(&shared));
        let (shutdown, shutdown_signal) = oneshot::channel::<()>();

        let thread = std::thread::Builder::new()
            .name(format!("mock-llm-server-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                        return;
                    };
                    // Each SSE event goes out as it is written, as real
                    // servers send them: with Nagle's algorithm a small
                    // write waits for the client's delayed ACK (~40 ms),
                    // which would show up as the client's time.
                    let listener = listener.tap_io(|stream| {
                        // Without it the mock is only slower, not wrong.
                        let _ = stream.set_nodelay(true);
                    });
                    // Not a graceful shutdown: a client holding a keep-alive
                    // connection must not keep a test waiting. Dropping the
                    // runtime below cancels every connection task.
                    tokio::select! {
                        _ = axum::serve(listener, app) => {}
                        _ = shutdown_signal => {}
                    }
                });
            })?;

        Ok(Self {
            addr,
            shared,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// The OpenAI-style base URL, `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// Appends `response` to the end of the script.
    pub fn push(&self, response: MockResponse) {
        self.shared.lock().script.push_back(response);
    }

    /// How many scripted responses have not been used yet.
    pub fn remaining(&self) -> usize {
        self.shared.lock().script.len()
    }
}

impl Drop for MockLlmServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // An error means the server thread already stopped.
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl std::fmt::Debug for MockLlmServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockLlmServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// Records the request, then answers it from the script by path.
async fn handle_request(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let received_at = Instant::now();
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => parse_body(&bytes),
        Err(error) => serde_json::Value::String(format!("<unreadable body: {error}>")),
    };
    let method = parts.method.to_string();
    let path = parts.uri.path().to_string();
    let recorded = RecordedRequest {
        method: method.clone(),
        path: path.clone(),
        headers: header_map(&parts.headers),
        body: body.clone(),
        received_at,
        responded_at: None,
    };

    let format = WireFormat::for_request(&method, &path);
    let (index, next) = {
        let mut state = shared.lock();
        let index = state.requests.len();
        state.requests.push(recorded);
        let next = format.map(|format| {
            state.model_requests += 1;
            let response = state
                .script
                .iter()
                .position(|response| response.answers(&body))
                .and_then(|at| state.script.remove(at));
            (format, response, state.model_requests)
        });
        (index, next)
    };

    let delay = next
        .as_ref()
        .and_then(|(_, response, _)| response.as_ref()?.delay);
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    let response = if parts.method == Method::OPTIONS {
        cors::preflight(&parts.headers)
    } else {
        answer(next, &body, &method, &path)
    };
    call_when_sent(cors::allow_any_origin(response), move || {
        let sent = Instant::now();
        if let Some(request) = shared.lock().requests.get_mut(index) {
            request.responded_at = Some(sent);
        }
    })
}

/// The response to a request: the next scripted answer in the request's
/// wire format, or an error saying why there is none.
fn answer(
    next: Option<(WireFormat, Option<MockResponse>, usize)>,
    body: &serde_json::Value,
    method: &str,
    path: &str,
) -> Response {
    match next {
        Some((format, Some(response), sequence)) => format.respond(body, response, sequence),
        Some((format, None, sequence)) => format.error(
            500,
            &format!(
                "mock LLM server: the mock script is exhausted \
                 (model request #{sequence} has no scripted response)"
            ),
        ),
        None => WireFormat::OpenAiChat.error(
            404,
            &format!("mock LLM server: nothing is scripted for {method} {path}"),
        ),
    }
}

/// The wire formats the server speaks, chosen by the request's path. A new
/// format is a module rendering [`MockResponse`]s plus a variant here.
#[derive(Debug, Clone, Copy)]
enum WireFormat {
    /// OpenAI chat completions (`openai_sse`).
    OpenAiChat,
    /// Anthropic's Messages API (`anthropic_sse`).
    AnthropicMessages,
}

impl WireFormat {
    /// The format of a model request, or `None` for any other request.
    fn for_request(method: &str, path: &str) -> Option<Self> {
        if method != "POST" {
            None
        } else if openai_sse::PATHS.contains(&path) {
            Some(Self::OpenAiChat)
        } else if anthropic_sse::PATHS.contains(&path) {
            Some(Self::AnthropicMessages)
        } else {
            None
        }
    }

    /// `response` rendered in this format, then sent as it asks (extra
    /// headers, a stall), which is the same for every format.
    fn respond(
        self,
        request: &serde_json::Value,
        response: MockResponse,
        sequence: usize,
    ) -> Response {
        let delivery = Delivery::of(&response);
        let rendered = match self {
            Self::OpenAiChat => openai_sse::respond(request, response, sequence),
            Self::AnthropicMessages => anthropic_sse::respond(request, response, sequence),
        };
        delivery.apply(rendered)
    }

    fn error(self, status: u16, message: &str) -> Response {
        match self {
            Self::OpenAiChat => openai_sse::error_response(status, message),
            Self::AnthropicMessages => anthropic_sse::error_response(status, message),
        }
    }
}

fn parse_body(bytes: &[u8]) -> serde_json::Value {
    if bytes.is_empty() {
        return serde_json::Value::Null;
    }
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(bytes).into_owned()))
}

fn header_map(headers: &HeaderMap) -> BTreeMap<String, String> {
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        map.entry(name.as_str().to_string())
            .and_modify(|joined| {
                joined.push_str(", ");
                joined.push_str(&value);
            })
            .or_insert(value);
    }
    map
}
