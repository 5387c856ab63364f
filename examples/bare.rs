//! A baseline for load tests: the receiver's route with a handler that only reads the
//! body and responds with `200 OK`, with no verification.
//!
//! ```text
//! BIND_ADDR=127.0.0.1:3001 cargo run --release --example bare
//! ```
//!
//! Never deploy it: it accepts any request. `scripts/load.sh` runs it next to the
//! `receiver` example to measure what verification costs per request.

use std::net::SocketAddr;
use std::process::ExitCode;

use axum::Router;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::routing::post;

/// Address the baseline listens on when `BIND_ADDR` is unset.
const DEFAULT_BIND_ADDR: &str = "127.0.0.1:3001";

async fn receive(body: Bytes) -> StatusCode {
    std::hint::black_box(body);
    StatusCode::OK
}

#[tokio::main]
async fn main() -> ExitCode {
    let value = std::env::var("BIND_ADDR").unwrap_or_else(|_| DEFAULT_BIND_ADDR.to_owned());
    let bind_addr: SocketAddr = match value.trim().parse() {
        Ok(bind_addr) => bind_addr,
        Err(error) => {
            eprintln!(
                "BIND_ADDR {value:?} is not a socket address such as {DEFAULT_BIND_ADDR}: {error}"
            );
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
    eprintln!("listening on http://{bind_addr}/webhooks/reachcell (no verification)");

    let app = Router::new().route("/webhooks/reachcell", post(receive));
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
