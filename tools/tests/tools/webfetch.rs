use crate::support::Project;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use code_mesh_runtime::tool::ToolError;
use code_mesh_tools::WebFetchTool;
use serde_json::json;
use std::time::{Duration, Instant};

const PAGE: &str = "<!doctype html><html><head><title>Doc</title>\
    <style>body { color: red }</style><script>track()</script></head>\
    <body><h1>Getting started</h1><p>Install with <code>cargo install</code>, then \
    <a href=\"/next\">read on</a>.</p><ul><li>fast</li><li>safe</li></ul></body></html>";

/// Six megabytes, one more than webfetch reads.
const BIG: usize = 6 * 1024 * 1024;

/// Serves test pages on 127.0.0.1 for the rest of the test; returns the base URL.
async fn serve() -> String {
    let app = Router::new()
        .route(
            "/page",
            get(|| async { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE) }),
        )
        .route(
            "/data.json",
            get(|| async { ([(header::CONTENT_TYPE, "application/json")], "{\"a\": 1}") }),
        )
        .route(
            "/big",
            get(|| async { ([(header::CONTENT_TYPE, "text/plain")], "x".repeat(BIG)) }),
        )
        .route(
            "/big-chunked",
            get(|| async {
                let chunk = Bytes::from(vec![b'y'; 64 * 1024]);
                let chunks = futures::stream::iter(
                    std::iter::repeat_n(chunk, BIG / (64 * 1024)).map(Ok::<_, std::io::Error>),
                );
                (
                    [(header::CONTENT_TYPE, "text/plain")],
                    Body::from_stream(chunks),
                )
            }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(10)).await;
                "late"
            }),
        )
        .route(
            "/missing",
            get(|| async { (StatusCode::NOT_FOUND, "no such page").into_response() }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{address}")
}

#[tokio::test(flavor = "current_thread")]
async fn webfetch_converts_html_to_markdown_without_scripts_or_styles() {
    let base = serve().await;
    let project = Project::new();
    let fetched = project
        .call(
            &WebFetchTool,
            json!({ "url": format!("{base}/page"), "format": "markdown" }),
        )
        .await
        .expect("fetched");
    assert!(
        fetched.output.starts_with("# Getting started"),
        "{}",
        fetched.output
    );
    assert!(
        fetched.output.contains("`cargo install`"),
        "{}",
        fetched.output
    );
    assert!(
        fetched.output.contains("[read on](/next)"),
        "{}",
        fetched.output
    );
    assert!(!fetched.output.contains("track()"), "{}", fetched.output);
    assert!(!fetched.output.contains("color: red"), "{}", fetched.output);
    assert_eq!(
        fetched.title,
        format!("{base}/page (text/html; charset=utf-8)")
    );
}

#[tokio::test(flavor = "current_thread")]
async fn webfetch_text_format_gives_the_pages_text_line_by_block() {
    let base = serve().await;
    let project = Project::new();
    let fetched = project
        .call(
            &WebFetchTool,
            json!({ "url": format!("{base}/page"), "format": "text" }),
        )
        .await
        .expect("fetched");
    assert_eq!(
        fetched.output,
        "Getting started\nInstall with cargo install, then read on.\nfast\nsafe"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn webfetch_html_format_and_non_html_content_come_back_as_served() {
    let base = serve().await;
    let project = Project::new();
    let html = project
        .call(
            &WebFetchTool,
            json!({ "url": format!("{base}/page"), "format": "html" }),
        )
        .await
        .expect("fetched");
    assert_eq!(html.output, PAGE);
    let data = project
        .call(
            &WebFetchTool,
            json!({ "url": format!("{base}/data.json"), "format": "markdown" }),
        )
        .await
        .expect("fetched");
    assert_eq!(data.output, "{\"a\": 1}");
}

#[tokio::test(flavor = "current_thread")]
async fn webfetch_refuses_responses_over_5_mb() {
    let base = serve().await;
    let project = Project::new();
    for path in ["/big", "/big-chunked"] {
        let error = project
            .call(
                &WebFetchTool,
                json!({ "url": format!("{base}{path}"), "format": "text" }),
            )
            .await
            .expect_err("too large");
        assert!(
            error.to_string().contains("larger than the 5 MB limit"),
            "{path}: {error}"
        );
    }
}

#[tokio::test(flavor = "current_thread")]
async fn webfetch_gives_up_after_the_timeout() {
    let base = serve().await;
    let project = Project::new();
    let started = Instant::now();
    let error = project
        .call(
            &WebFetchTool,
            json!({ "url": format!("{base}/slow"), "format": "text", "timeout": 0.5 }),
        )
        .await
        .expect_err("timed out");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        error.to_string().contains("timed out after 0.5 s"),
        "{error}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn webfetch_reports_an_error_status() {
    let base = serve().await;
    let project = Project::new();
    let error = project
        .call(
            &WebFetchTool,
            json!({ "url": format!("{base}/missing"), "format": "text" }),
        )
        .await
        .expect_err("not found");
    assert!(error.to_string().contains("status code 404"), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn webfetch_refuses_urls_that_are_not_http() {
    let project = Project::new();
    for url in ["file:///etc/passwd", "ftp://example.com/", "example.com"] {
        let error = project
            .call(&WebFetchTool, json!({ "url": url, "format": "text" }))
            .await
            .expect_err("refused");
        assert!(
            matches!(error, ToolError::InvalidArguments { .. }),
            "{url}: {error}"
        );
    }
}
