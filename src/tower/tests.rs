use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body::{Body, Frame};
use http_body_util::{BodyExt, Full};
use serde_json::Value;
use time::macros::datetime;
use tower::{Layer, ServiceBuilder, ServiceExt, service_fn};

use super::*;
use crate::{ErrorKind, Event, SIGNATURE_HEADER, Verifier, sign};

const SECRET: &str = "whsec_test_secret";
const BODY: &str = r#"{"event_id":"evt_1","event_type":"webhook.test","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{}}"#;

fn verifier() -> Verifier {
    Verifier::builder()
        .secrets(["whsec_new", SECRET])
        .clock(|| datetime!(2026-06-08 14:02:30 UTC))
        .build()
        .expect("valid config")
}

/// The request as the inner service received it.
#[derive(Clone)]
struct InnerRequest {
    body: Bytes,
    event_id: Option<String>,
    secret: Option<usize>,
}

/// What the inner service saw of the requests it was called with.
#[derive(Clone, Default)]
struct Seen {
    calls: Arc<AtomicUsize>,
    last: Arc<std::sync::Mutex<Option<InnerRequest>>>,
}

async fn call<B>(layer: VerifyLayer, request: Request<B>, seen: &Seen) -> (StatusCode, Bytes)
where
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    let seen = seen.clone();
    let service = ServiceBuilder::new().layer(layer).service(service_fn(
        move |request: Request<Full<Bytes>>| {
            let seen = seen.clone();
            async move {
                seen.calls.fetch_add(1, Ordering::SeqCst);
                let event_id = request
                    .extensions()
                    .get::<Event>()
                    .map(|event| event.event_id.clone());
                let secret = request
                    .extensions()
                    .get::<MatchedSecret>()
                    .map(|matched| matched.0);
                let body = request
                    .into_body()
                    .collect()
                    .await
                    .expect("infallible")
                    .to_bytes();
                *seen.last.lock().expect("not poisoned") = Some(InnerRequest {
                    body,
                    event_id,
                    secret,
                });
                Ok::<_, Infallible>(Response::new(Full::new(Bytes::from_static(b"handled"))))
            }
        },
    ));

    let response = service.oneshot(request).await.expect("infallible");
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("infallible")
        .to_bytes();
    (status, body)
}

fn signed(body: &str, secret: &str) -> Request<Full<Bytes>> {
    Request::post("/webhooks/reachcell")
        .header(SIGNATURE_HEADER, sign(secret, body.as_bytes()))
        .body(Full::new(Bytes::from(body.to_owned())))
        .expect("valid request")
}

fn problem_code(body: &Bytes) -> String {
    let problem: Value = serde_json::from_slice(body).expect("problem+json body");
    problem["code"].as_str().expect("code member").to_owned()
}

#[tokio::test]
async fn inner_service_gets_original_bytes_and_event() {
    let seen = Seen::default();
    let (status, body) = call(VerifyLayer::new(verifier()), signed(BODY, SECRET), &seen).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "handled");

    let inner = seen
        .last
        .lock()
        .expect("not poisoned")
        .clone()
        .expect("inner ran");
    assert_eq!(inner.body, BODY.as_bytes());
    assert_eq!(inner.event_id.as_deref(), Some("evt_1"));
    assert_eq!(inner.secret, Some(1));
}

#[tokio::test]
async fn forged_request_never_reaches_inner() {
    let seen = Seen::default();
    let (status, body) = call(
        VerifyLayer::new(verifier()),
        signed(BODY, "whsec_forged"),
        &seen,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem_code(&body), "signature_mismatch");
    assert_eq!(seen.calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn mismatch_status_can_be_401() {
    let layer = VerifyLayer::new(verifier()).mismatch_status(MismatchStatus::Unauthorized);
    let (status, _) = call(layer, signed(BODY, "whsec_forged"), &Seen::default()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn rejection_carries_kind_in_extensions() {
    let service = VerifyLayer::new(verifier()).layer(service_fn(|_: Request<Full<Bytes>>| async {
        Ok::<_, Infallible>(Response::new(Full::new(Bytes::new())))
    }));
    let request = Request::post("/")
        .body(Full::new(Bytes::from_static(BODY.as_bytes())))
        .expect("valid");
    let response = service.oneshot(request).await.expect("infallible");
    assert_eq!(
        response.extensions().get::<ErrorKind>(),
        Some(&ErrorKind::MissingHeader)
    );
    assert_eq!(
        response.headers()[http::header::CONTENT_TYPE],
        "application/problem+json"
    );
}

#[tokio::test]
async fn body_over_limit_is_413() {
    let layer = VerifyLayer::new(verifier()).body_limit(BODY.len() - 1);
    let seen = Seen::default();
    let (status, body) = call(layer, signed(BODY, SECRET), &seen).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(problem_code(&body), "body_too_large");
    assert_eq!(seen.calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn body_at_limit_is_read() {
    let layer = VerifyLayer::new(verifier()).body_limit(BODY.len());
    let (status, _) = call(layer, signed(BODY, SECRET), &Seen::default()).await;
    assert_eq!(status, StatusCode::OK);
}

/// A body that records whether it was polled and then yields a large chunk.
struct WatchedBody {
    polled: Arc<AtomicBool>,
}

impl Body for WatchedBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.polled.store(true, Ordering::SeqCst);
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(vec![b' '; 1024])))))
    }
}

#[tokio::test]
async fn announced_oversized_body_is_not_read() {
    let polled = Arc::new(AtomicBool::new(false));
    let request = Request::post("/")
        .header(http::header::CONTENT_LENGTH, "1000000")
        .header(SIGNATURE_HEADER, sign(SECRET, BODY.as_bytes()))
        .body(WatchedBody {
            polled: Arc::clone(&polled),
        })
        .expect("valid request");
    let (status, _) = call(VerifyLayer::new(verifier()), request, &Seen::default()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(!polled.load(Ordering::SeqCst));
}

#[tokio::test]
async fn unannounced_oversized_body_stops_at_limit() {
    let polled = Arc::new(AtomicBool::new(false));
    let request = Request::post("/")
        .header(SIGNATURE_HEADER, sign(SECRET, BODY.as_bytes()))
        .body(WatchedBody {
            polled: Arc::clone(&polled),
        })
        .expect("valid request");
    let layer = VerifyLayer::new(verifier()).body_limit(4096);
    let (status, _) = call(layer, request, &Seen::default()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(polled.load(Ordering::SeqCst));
}

/// A body whose read fails, as when the client disconnects.
struct FailingBody;

impl Body for FailingBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "peer reset",
        ))))
    }
}

#[tokio::test]
async fn body_read_failure_is_400() {
    let request = Request::post("/").body(FailingBody).expect("valid request");
    let (status, body) = call(VerifyLayer::new(verifier()), request, &Seen::default()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem_code(&body), "body_unreadable");
}

#[tokio::test]
async fn layer_accepts_other_body_types() {
    let request = Request::post("/")
        .header(SIGNATURE_HEADER, sign(SECRET, BODY.as_bytes()))
        .body(BODY.to_owned())
        .expect("valid request");
    let (status, _) = call(VerifyLayer::new(verifier()), request, &Seen::default()).await;
    assert_eq!(status, StatusCode::OK);
}

#[test]
fn layer_debug_holds_no_secret() {
    let printed = format!("{:?}", VerifyLayer::new(verifier()));
    assert!(!printed.contains("whsec"), "{printed}");
}
