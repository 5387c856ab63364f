//! A ReachCell webhook receiver: an axum server that verifies every delivery and logs
//! one line per event.
//!
//! ```text
//! REACHCELL_WEBHOOK_SECRET=whsec_... cargo run --example receiver
//! ```
//!
//! - `REACHCELL_WEBHOOK_SECRET`: the endpoint's webhook secret. Surrounding whitespace,
//!   such as the newline an env file leaves, is trimmed. When unset, a development
//!   secret is used and printed; when set but empty, the receiver does not start.
//! - `BIND_ADDR`: the address to listen on, `127.0.0.1:3000` by default; a host name
//!   such as `localhost:3000` works too.
//! - `RUST_LOG`: the log filter, `info` by default. Logs go to stderr.
//!
//! Deliveries go to `POST /webhooks/reachcell`. Verified events get `200 OK`; the
//! others get `400` or `413` with an `application/problem+json` body.

use std::io::IsTerminal;
use std::process::ExitCode;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use reachcell_webhooks::axum::VerifiedEvent;
use reachcell_webhooks::tower::VerifyLayer;
use reachcell_webhooks::{Event, EventData, MaskedPhone, Verifier};
use tracing_subscriber::EnvFilter;

/// Secret used when `REACHCELL_WEBHOOK_SECRET` is unset; for local testing only.
const DEVELOPMENT_SECRET: &str = "whsec_development_only";

/// Address the receiver listens on when `BIND_ADDR` is unset.
const DEFAULT_BIND_ADDR: &str = "127.0.0.1:3000";

/// Path that ReachCell posts deliveries to.
const WEBHOOK_PATH: &str = "/webhooks/reachcell";

/// Builds the receiver's router: one handler behind the verifying layer.
///
/// The layer wraps the `POST` handler only, so other methods still get `405`.
pub(crate) fn app(verifier: Verifier) -> Router {
    let route = post(receive).route_layer(VerifyLayer::new(verifier.clone()));
    Router::new()
        .route(WEBHOOK_PATH, route)
        .with_state(verifier)
}

async fn receive(VerifiedEvent(event): VerifiedEvent) -> StatusCode {
    log_event(&event);
    StatusCode::OK
}

/// Logs one line for an event: its type, id and key fields, with phone numbers masked
/// and no message text.
fn log_event(event: &Event) {
    let event_type = event.event_type();
    let event_id = event.event_id.as_str();

    match &event.data {
        EventData::SmsReceived(sms) => tracing::info!(
            event_type,
            event_id,
            from = %MaskedPhone(&sms.from),
            to = %MaskedPhone(&sms.to),
            characters = sms.body.chars().count(),
            "SMS received"
        ),
        EventData::CallIncoming(call) => {
            tracing::info!(event_type, event_id, from = %MaskedPhone(&call.from), "call ringing");
        }
        EventData::CallMissed(call) => tracing::info!(
            event_type,
            event_id,
            from = call
                .from
                .as_deref()
                .map(|number| display(MaskedPhone(number))),
            to = call
                .to
                .as_deref()
                .map(|number| display(MaskedPhone(number))),
            call_id = call.call_id.as_deref(),
            "call missed"
        ),
        EventData::CallEnded(call) => tracing::info!(
            event_type,
            event_id,
            duration_seconds = call.duration_seconds,
            cost_usd = %call.cost_usd,
            "call ended"
        ),
        EventData::AccountBalanceLow(balance) => tracing::warn!(
            event_type,
            event_id,
            balance_usd = balance.balance_usd.map(|amount| amount.to_string()),
            "account balance low"
        ),
        EventData::WebhookTest(test) => {
            tracing::info!(
                event_type,
                event_id,
                webhook_id = test.webhook_id,
                "test event"
            );
        }
        EventData::Unknown { .. } => {
            tracing::info!(
                event_type,
                event_id,
                "event of a type this receiver does not know"
            );
        }
        _ => tracing::info!(event_type, event_id, "event received"),
    }
}

/// Reads the secret from `REACHCELL_WEBHOOK_SECRET`, or falls back to the development
/// secret when the variable is unset.
fn secret_from_env() -> Result<String, String> {
    match std::env::var("REACHCELL_WEBHOOK_SECRET") {
        Ok(value) if value.trim().is_empty() => Err(
            "REACHCELL_WEBHOOK_SECRET is set but empty: set it to the secret ReachCell \
             returned when the endpoint was created, or unset it to use a development secret"
                .to_owned(),
        ),
        Ok(value) => Ok(value.trim().to_owned()),
        Err(std::env::VarError::NotPresent) => {
            tracing::warn!(
                "REACHCELL_WEBHOOK_SECRET is not set: using the development secret \
                 {DEVELOPMENT_SECRET:?}, which anyone can read here; do not expose this receiver"
            );
            Ok(DEVELOPMENT_SECRET.to_owned())
        }
        Err(std::env::VarError::NotUnicode(_)) => {
            Err("REACHCELL_WEBHOOK_SECRET is not valid UTF-8".to_owned())
        }
    }
}

/// Reads `BIND_ADDR`: a socket address, or a host name and port such as `localhost:3000`.
fn bind_addr_from_env() -> String {
    std::env::var("BIND_ADDR")
        .map(|value| value.trim().to_owned())
        .unwrap_or_else(|_| DEFAULT_BIND_ADDR.to_owned())
}

#[tokio::main]
async fn main() -> ExitCode {
    let stderr = std::io::stderr();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_ansi(stderr.is_terminal())
        .with_writer(std::io::stderr)
        .init();

    let secret = match secret_from_env() {
        Ok(secret) => secret,
        Err(message) => {
            tracing::error!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let verifier = match Verifier::new(&secret) {
        Ok(verifier) => verifier,
        Err(error) => {
            tracing::error!("{error}");
            return ExitCode::FAILURE;
        }
    };

    let bind_addr = bind_addr_from_env();
    let listener = match tokio::net::TcpListener::bind(&bind_addr).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::error!(
                "failed to listen on BIND_ADDR {bind_addr:?} (expected an address such as \
                 {DEFAULT_BIND_ADDR}): {error}"
            );
            return ExitCode::FAILURE;
        }
    };
    let bind_addr = listener
        .local_addr()
        .map_or(bind_addr, |address| address.to_string());
    tracing::info!("listening on http://{bind_addr}{WEBHOOK_PATH}");

    let shutdown = async {
        // If the signal handler cannot be installed, the server runs until killed.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        tracing::info!("shutting down");
    };
    if let Err(error) = axum::serve(listener, app(verifier))
        .with_graceful_shutdown(shutdown)
        .await
    {
        tracing::error!("server failed: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
