//! Baselines for load tests: the receiver's route without the layer, with a handler
//! that reads the body, optionally checks part of the delivery, and responds with
//! `200 OK`.
//!
//! ```text
//! BIND_ADDR=127.0.0.1:3001 cargo run --release --example bare
//! ```
//!
//! - `BIND_ADDR`: the address to listen on, `127.0.0.1:3001` by default.
//! - `CHECK`: what the handler checks after reading the body.
//!   - `none` (the default when `CHECK` is unset or empty): no check, so any request
//!     gets `200 OK`.
//!   - `signature`: only the `X-ReachCell-Signature` header, with
//!     [`Verifier::verify_signature`]. No envelope, no timestamp, no typed event.
//!   - `verify`: the whole delivery with [`Verifier::verify_headers`], as the layer
//!     does, but from the handler.
//!
//!   A failed check gets `400 Bad Request` with no body, and its reason goes to
//!   stderr. A body over 2 MiB gets `413 Payload Too Large`.
//! - `REACHCELL_WEBHOOK_SECRET`: the secret for `signature` and `verify`.
//!
//! Never deploy it: `none` accepts any request, and `signature` accepts replays of
//! any age. `scripts/load.sh` runs each baseline next to the `receiver` example to
//! show which part of the work costs what per request.

use std::error::Error;
use std::fmt::Display;
use std::net::SocketAddr;
use std::process::ExitCode;

use axum::Router;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::routing::post;
use http_body_util::LengthLimitError;
use reachcell_webhooks::{SIGNATURE_HEADER, Verifier};

/// Address the baseline listens on when `BIND_ADDR` is unset.
const DEFAULT_BIND_ADDR: &str = "127.0.0.1:3001";

/// Largest body the checking handlers read, the same as axum's default limit for the
/// `Bytes` extractor of the `none` handler.
const BODY_LIMIT: usize = 2 * 1024 * 1024;

async fn read_only(body: Bytes) -> StatusCode {
    std::hint::black_box(body);
    StatusCode::OK
}

async fn check_signature(State(verifier): State<Verifier>, request: Request) -> StatusCode {
    let (parts, body) = request.into_parts();
    let body = match read_body(body).await {
        Ok(body) => body,
        Err(status) => return status,
    };

    let header = match parts
        .headers
        .get(SIGNATURE_HEADER)
        .map(|value| value.to_str())
    {
        Some(Ok(header)) => header,
        Some(Err(_)) => return rejected(&"X-ReachCell-Signature header is not visible ASCII"),
        None => return rejected(&"missing X-ReachCell-Signature header"),
    };
    match verifier.verify_signature(header, &body) {
        Ok(()) => StatusCode::OK,
        Err(error) => rejected(&error),
    }
}

async fn check_delivery(State(verifier): State<Verifier>, request: Request) -> StatusCode {
    let (parts, body) = request.into_parts();
    let body = match read_body(body).await {
        Ok(body) => body,
        Err(status) => return status,
    };

    match verifier.verify_headers(&parts.headers, &body) {
        Ok(event) => {
            std::hint::black_box(event);
            StatusCode::OK
        }
        Err(error) => rejected(&error),
    }
}

/// Reads the body up to [`BODY_LIMIT`] bytes. A failure is written to stderr and
/// returned as `413 Payload Too Large` past the limit, `400 Bad Request` otherwise.
async fn read_body(body: Body) -> Result<Bytes, StatusCode> {
    to_bytes(body, BODY_LIMIT).await.map_err(|error| {
        eprintln!("failed to read the body: {error}");
        if exceeds_limit(&error) {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::BAD_REQUEST
        }
    })
}

/// Returns whether a body read failed because the body passed [`BODY_LIMIT`].
fn exceeds_limit(error: &axum::Error) -> bool {
    let mut source: Option<&dyn Error> = Some(error);
    while let Some(error) = source {
        if error.is::<LengthLimitError>() {
            return true;
        }
        source = error.source();
    }
    false
}

/// Writes the reason for a rejection to stderr and returns `400 Bad Request`.
fn rejected(reason: &dyn Display) -> StatusCode {
    eprintln!("rejected a delivery: {reason}");
    StatusCode::BAD_REQUEST
}

/// Builds the router for a `CHECK` value.
fn app(check: &str) -> Result<Router, String> {
    let route = "/webhooks/reachcell";
    let handler = match check {
        "none" => return Ok(Router::new().route(route, post(read_only))),
        "signature" => post(check_signature),
        "verify" => post(check_delivery),
        other => {
            return Err(format!(
                "invalid CHECK {other:?}: expected none, signature or verify"
            ));
        }
    };

    let secret = std::env::var("REACHCELL_WEBHOOK_SECRET").map_err(|_| {
        format!("missing REACHCELL_WEBHOOK_SECRET: CHECK={check} needs the webhook secret")
    })?;
    if secret.trim().is_empty() {
        return Err(format!(
            "REACHCELL_WEBHOOK_SECRET is empty: CHECK={check} needs the webhook secret"
        ));
    }
    let verifier = Verifier::new(secret.trim()).map_err(|error| error.to_string())?;
    Ok(Router::new().route(route, handler).with_state(verifier))
}

#[tokio::main]
async fn main() -> ExitCode {
    let value = std::env::var("BIND_ADDR").unwrap_or_else(|_| DEFAULT_BIND_ADDR.to_owned());
    let bind_addr: SocketAddr = match value.trim().parse() {
        Ok(bind_addr) => bind_addr,
        Err(error) => {
            eprintln!(
                "BIND_ADDR {value:?} is not an IP address and port such as {DEFAULT_BIND_ADDR}: {error}"
            );
            return ExitCode::FAILURE;
        }
    };
    let check = std::env::var("CHECK").unwrap_or_default();
    let check = match check.trim() {
        "" => "none",
        other => other,
    };
    let app = match app(check) {
        Ok(app) => app,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(bind_addr).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("failed to listen on {bind_addr}: {error}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!("listening on http://{bind_addr}/webhooks/reachcell (check: {check})");

    let shutdown = async {
        // If the signal handler cannot be installed, the server runs until killed.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    if let Err(error) = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        eprintln!("server failed: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
