//! The receiver example's router served on 127.0.0.1 and fed real HTTP requests.

#[allow(dead_code)]
#[path = "../examples/receiver.rs"]
mod receiver;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing;
use reachcell_webhooks::axum::{VerifiedEvent, VerifiedJson};
use reachcell_webhooks::{Verifier, sign};
use reqwest::StatusCode;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::datetime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SECRET: &str = "whsec_integration_secret";
const PATH: &str = "/webhooks/reachcell";

/// Builds a verifier whose clock is 19 s after the fixtures' 2026-06-08T14:02:11Z.
fn verifier() -> Verifier {
    Verifier::builder()
        .secret(SECRET)
        .clock(|| datetime!(2026-06-08 14:02:30 UTC))
        .build()
        .expect("valid config")
}

async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let address = listener.local_addr().expect("bound address");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("server runs") });
    address
}

async fn start_receiver() -> SocketAddr {
    serve(receiver::app(verifier())).await
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/data/events/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

async fn post_signed(
    address: SocketAddr,
    body: Vec<u8>,
    header: Option<String>,
) -> (StatusCode, String) {
    let mut request = reqwest::Client::new()
        .post(format!("http://{address}{PATH}"))
        .header("content-type", "application/json")
        .body(body);
    if let Some(header) = header {
        request = request.header("X-ReachCell-Signature", header);
    }
    let response = request.send().await.expect("request sent");
    let status = response.status();
    (status, response.text().await.expect("response body"))
}

async fn post(address: SocketAddr, body: Vec<u8>) -> (StatusCode, String) {
    let header = sign(SECRET, &body);
    post_signed(address, body, Some(header)).await
}

fn problem(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|error| panic!("not problem+json ({error}): {body}"))
}

fn event_at(timestamp: &str) -> Vec<u8> {
    format!(
        r#"{{"event_id":"evt_time","event_type":"call.missed","api_version":"v1","timestamp":"{timestamp}","data":{{"from":"+14155553000"}}}}"#
    )
    .into_bytes()
}

#[tokio::test]
async fn every_fixture_is_accepted() {
    // Each fixture is checked against a clock 19 s after its own timestamp.
    let now = Arc::new(Mutex::new(OffsetDateTime::UNIX_EPOCH));
    let clock = Arc::clone(&now);
    let verifier = Verifier::builder()
        .secret(SECRET)
        .clock(move || *clock.lock().expect("not poisoned"))
        .build()
        .expect("valid config");
    let address = serve(receiver::app(verifier)).await;

    let names = [
        "account.balance.low",
        "account.suspended",
        "call.connected",
        "call.ended",
        "call.failed",
        "call.incoming",
        "call.missed",
        "call.rejected",
        "extra-fields",
        "number.assigned",
        "number.released",
        "sms.delivered",
        "sms.failed",
        "sms.received",
        "sms.sent",
        "unknown-type",
        "webhook.test",
    ];
    for name in names {
        let body = fixture(name);
        let event: Value = serde_json::from_slice(&body).expect("JSON fixture");
        let timestamp = event["timestamp"].as_str().expect("timestamp");
        let timestamp = OffsetDateTime::parse(timestamp, &Rfc3339).expect("RFC 3339");
        *now.lock().expect("not poisoned") = timestamp + time::Duration::seconds(19);

        let (status, body) = post(address, body).await;
        assert_eq!(status, StatusCode::OK, "{name}: {body}");
    }
}

#[tokio::test]
async fn forged_signature_is_400_without_expected_tag() {
    let address = start_receiver().await;
    let body = fixture("sms.received");
    let expected = sign(SECRET, &body);
    let (status, text) = post_signed(address, body, Some(sign("whsec_guess", b"x"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem(&text)["code"], "signature_mismatch");
    assert!(!text.contains(&expected["sha256=".len()..]), "{text}");
    assert!(!text.contains(SECRET), "{text}");
}

#[tokio::test]
async fn altered_body_is_400() {
    let address = start_receiver().await;
    let body = fixture("call.ended");
    let header = sign(SECRET, &body);
    let altered = String::from_utf8(body)
        .expect("UTF-8")
        .replace("0.0123", "0.0001")
        .into_bytes();
    let (status, text) = post_signed(address, altered, Some(header)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem(&text)["code"], "signature_mismatch");
}

#[tokio::test]
async fn stale_timestamp_is_400() {
    let address = start_receiver().await;
    let (status, text) = post(address, event_at("2026-06-08T13:50:00Z")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let problem = problem(&text);
    assert_eq!(problem["code"], "timestamp_too_old");
    assert_eq!(problem["event_id"], "evt_time");
}

#[tokio::test]
async fn future_timestamp_is_400() {
    let address = start_receiver().await;
    let (status, text) = post(address, event_at("2026-06-08T14:20:00Z")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem(&text)["code"], "timestamp_in_future");
}

#[tokio::test]
async fn oversized_body_is_413() {
    let address = start_receiver().await;
    let body = vec![b' '; 300 * 1024];
    let (status, text) = post(address, body).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(problem(&text)["code"], "body_too_large");
}

#[tokio::test]
async fn chunked_oversized_body_is_413() {
    let address = start_receiver().await;
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let head = format!(
        "POST {PATH} HTTP/1.1\r\nhost: {address}\r\ntransfer-encoding: chunked\r\n\
         x-reachcell-signature: {}\r\nconnection: close\r\n\r\n",
        sign(SECRET, b"")
    );
    stream.write_all(head.as_bytes()).await.expect("write head");
    let chunk = vec![b' '; 64 * 1024];
    for _ in 0..5 {
        let size = format!("{:x}\r\n", chunk.len());
        if stream.write_all(size.as_bytes()).await.is_err()
            || stream.write_all(&chunk).await.is_err()
            || stream.write_all(b"\r\n").await.is_err()
        {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;

    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let response = String::from_utf8_lossy(&response);
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(response.contains("body_too_large"), "{response}");
}

#[tokio::test]
async fn missing_header_is_400() {
    let address = start_receiver().await;
    let (status, text) = post_signed(address, fixture("sms.received"), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem(&text)["code"], "missing_header");
}

#[tokio::test]
async fn two_signature_headers_are_400() {
    let address = start_receiver().await;
    let body = fixture("sms.received");
    let header = sign(SECRET, &body);
    let response = reqwest::Client::new()
        .post(format!("http://{address}{PATH}"))
        .header("X-ReachCell-Signature", header.clone())
        .header("X-ReachCell-Signature", header)
        .body(body)
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let text = response.text().await.expect("body");
    assert_eq!(problem(&text)["code"], "duplicate_header");
}

#[tokio::test]
async fn malformed_header_is_400() {
    let address = start_receiver().await;
    let (status, text) = post_signed(
        address,
        fixture("sms.received"),
        Some("sha256=abc".to_owned()),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem(&text)["code"], "malformed_header");
}

#[tokio::test]
async fn non_json_body_with_valid_signature_is_400() {
    let address = start_receiver().await;
    let (status, text) = post(address, b"hello, not JSON".to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let problem = problem(&text);
    assert_eq!(problem["code"], "invalid_envelope");
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|detail| detail.contains("line 1 column 1")),
        "{problem}"
    );
}

#[tokio::test]
async fn problem_detail_redacts_body_values() {
    let address = start_receiver().await;
    let text_in_body = "Your code is 771204";
    let (status, text) = post(address, format!("\"{text_in_body}\"").into_bytes()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem(&text)["code"], "invalid_envelope");
    assert!(!text.contains(text_in_body), "{text}");
}

#[tokio::test]
async fn unknown_event_type_is_200() {
    let address = start_receiver().await;
    let (status, body) = post(address, fixture("unknown-type")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn get_is_not_allowed() {
    let address = start_receiver().await;
    let response = reqwest::get(format!("http://{address}{PATH}"))
        .await
        .expect("request sent");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
}

async fn event_id(VerifiedEvent(event): VerifiedEvent) -> String {
    event.event_id
}

#[derive(serde::Deserialize)]
struct OwnDelivery {
    event_id: String,
    data: OwnSms,
}

#[derive(serde::Deserialize)]
struct OwnSms {
    body: String,
}

async fn own_type(VerifiedJson(delivery): VerifiedJson<OwnDelivery>) -> String {
    format!("{} {}", delivery.event_id, delivery.data.body.len())
}

/// Starts a router whose extractors verify by themselves, with the verifier from state.
async fn start_extractor_only() -> SocketAddr {
    let app = Router::new()
        .route("/event", routing::post(event_id))
        .route("/own", routing::post(own_type))
        .with_state(verifier());
    serve(app).await
}

async fn post_to(
    address: SocketAddr,
    path: &str,
    body: Vec<u8>,
    secret: &str,
) -> (StatusCode, String) {
    let response = reqwest::Client::new()
        .post(format!("http://{address}{path}"))
        .header("X-ReachCell-Signature", sign(secret, &body))
        .body(body)
        .send()
        .await
        .expect("request sent");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

#[tokio::test]
async fn extractor_verifies_without_layer() {
    let address = start_extractor_only().await;
    let (status, text) = post_to(address, "/event", fixture("call.missed"), SECRET).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text, "01HX5V6W7K8M9N0P1Q2R3S4T07");

    let (status, text) = post_to(address, "/event", fixture("call.missed"), "whsec_forged").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem(&text)["code"], "signature_mismatch");
}

#[tokio::test]
async fn json_extractor_reads_own_type() {
    let address = start_extractor_only().await;
    let (status, text) = post_to(address, "/own", fixture("sms.received"), SECRET).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(text, "01HX5V6W7K8M9N0P1Q2R3S4T00 31");
}

#[tokio::test]
async fn json_extractor_rejects_other_shape_with_422() {
    let address = start_extractor_only().await;
    let (status, text) = post_to(address, "/own", fixture("call.missed"), SECRET).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem(&text)["code"], "unexpected_payload");
}

#[tokio::test]
async fn json_extractor_still_checks_timestamp() {
    let address = start_extractor_only().await;
    let (status, text) = post_to(address, "/own", event_at("2026-06-01T00:00:00Z"), SECRET).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem(&text)["code"], "timestamp_too_old");
}
