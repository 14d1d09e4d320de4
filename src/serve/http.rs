//! The HTTP side of `serve`: the in-memory site, the live-reload script, the state stream.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State as AxState;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;

use super::{Served, State};

/// The live-reload client: a static file of this folder, compiled in so the binary serves it
/// without a theme's help (a theme must not have to know about `serve`).
const LIVERELOAD_JS: &str = include_str!("livereload.js");
/// The page served while no build has succeeded yet (the overlay shows the errors).
const NO_SITE_HTML: &str = include_str!("no-site.html");

/// Where the server's own resources live; no site path can start with `__` (ids are
/// `[a-z0-9-]`).
pub(super) const PREFIX: &str = "/__barometre";

pub(super) async fn run(
    listener: tokio::net::TcpListener,
    served: Arc<Served>,
) -> std::io::Result<()> {
    let app = Router::new()
        .route(&format!("{PREFIX}/livereload.js"), get(script))
        .route(&format!("{PREFIX}/events"), get(events))
        .route(&format!("{PREFIX}/status"), get(status))
        .fallback(get(site_file))
        .with_state(served);
    axum::serve(listener, app).await
}

async fn script() -> Response {
    with_type(
        LIVERELOAD_JS.as_bytes().to_vec(),
        "text/javascript; charset=utf-8",
    )
}

/// The state as JSON: `{"build": n, "errors": null | "…"}` (`build` 0: none succeeded yet).
async fn status(AxState(served): AxState<Arc<Served>>) -> Response {
    let state = served.state.borrow().clone();
    let json = serde_json::to_vec(&state).unwrap_or_default();
    with_type(json, "application/json")
}

/// Server-sent events: the current state at once, then each new one.
async fn events(
    AxState(served): AxState<Arc<Served>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut rx = served.state.subscribe();
    rx.mark_changed();
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.changed().await.ok()?;
        let state: State = rx.borrow_and_update().clone();
        let data = serde_json::to_string(&state).unwrap_or_default();
        Some((Ok(Event::default().event("state").data(data)), rx))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

async fn site_file(AxState(served): AxState<Arc<Served>>, uri: Uri) -> Response {
    let Ok(decoded) = percent_encoding::percent_decode_str(uri.path()).decode_utf8() else {
        return (StatusCode::BAD_REQUEST, "bad path").into_response();
    };
    let mut path = decoded.trim_start_matches('/').to_string();
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    if !served.has_site() {
        return html(NO_SITE_HTML.as_bytes(), StatusCode::SERVICE_UNAVAILABLE);
    }
    if let Some(bytes) = served.file(&path) {
        return if path.ends_with(".html") {
            html(&bytes, StatusCode::OK)
        } else {
            with_type(bytes.to_vec(), content_type(&path))
        };
    }
    // A folder asked for without its slash: send the browser to it.
    if served.file(&format!("{path}/index.html")).is_some() {
        let location = format!("{}/", uri.path());
        let mut r = StatusCode::PERMANENT_REDIRECT.into_response();
        if let Ok(v) = HeaderValue::from_str(&location) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        return r;
    }
    match served.file("404.html") {
        Some(bytes) => html(&bytes, StatusCode::NOT_FOUND),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// An HTML page with the live-reload script added before `</body>`.
fn html(bytes: &[u8], code: StatusCode) -> Response {
    let mut r = with_type(inject(bytes), "text/html; charset=utf-8");
    *r.status_mut() = code;
    r
}

/// `page` with the live-reload `<script>` before its last `</body>` (or at the end).
pub(super) fn inject(page: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{PREFIX}/livereload.js\"></script>");
    let at = find_last(page, b"</body>").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + tag.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

fn with_type(body: Vec<u8>, kind: &'static str) -> Response {
    let mut r = body.into_response();
    let headers = r.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = inject(b"<html><body><p>x</p></BODY></html>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<html><body><p>x</p><script src=\"/__barometre/livereload.js\"></script></BODY></html>"
        );
        let out = inject(b"<p>no body end");
        assert!(
            String::from_utf8(out)
                .unwrap()
                .ends_with("livereload.js\"></script>")
        );
    }
}
