//! Feeds arbitrary requests through `VerifyLayer` around a service that checks what
//! it receives.
//!
//! Input layout, like an HTTP/1.1 request without the request line: header lines
//! `name: value` ending in `\n`, an empty line, then the body. A header line that is
//! not a valid header name and value is skipped. The header value `SIGN` is replaced
//! by the body's true signature under the fuzzing secret, so mutated bodies still
//! reach the envelope and timestamp checks. Without an empty line the whole input is
//! the body.
//!
//! Checks: the layer responds with 200, 400 or 413; the inner service runs only for a
//! signed body, receives exactly the bytes sent and an `Event` in the extensions;
//! every rejection is an `application/problem+json` object with a `code` member.

#![no_main]

use std::convert::Infallible;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use libfuzzer_sys::fuzz_target;
use reachcell_webhooks::tower::VerifyLayer;
use reachcell_webhooks::{Event, SIGNATURE_HEADER, Signature, Verifier, sign};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tower::{Layer, ServiceExt, service_fn};

const SECRET: &str = "whsec_fuzz_secret";

/// Small enough for the fuzzer to cross it, so the 413 path is exercised.
const BODY_LIMIT: usize = 4096;

/// The sample deliveries are stamped 2026-06-08T14:02:11Z; the clock sits 19 s later.
const NOW: &str = "2026-06-08T14:02:30Z";

/// Polls a future that never waits: every body here is in memory, and the inner
/// service responds at once.
fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut context) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the layer waited on an in-memory request"),
    }
}

fn build_request(data: &[u8]) -> Request<Full<Bytes>> {
    let (head, body) = match data.windows(2).position(|pair| pair == b"\n\n") {
        Some(end) => (&data[..end], &data[end + 2..]),
        None => (&data[..0], data),
    };

    let mut request = Request::post("/webhooks/reachcell")
        .body(Full::new(Bytes::copy_from_slice(body)))
        .expect("a POST with a static path is a valid request");

    for line in head.split(|byte| *byte == b'\n') {
        let Some(colon) = line.iter().position(|byte| *byte == b':') else {
            continue;
        };
        let Ok(name) = HeaderName::from_bytes(&line[..colon]) else {
            continue;
        };
        let raw_value = line[colon + 1..].trim_ascii_start();
        let value = if raw_value == b"SIGN" {
            HeaderValue::try_from(sign(SECRET, body))
        } else {
            HeaderValue::from_bytes(raw_value)
        };
        let Ok(value) = value else {
            continue;
        };
        request.headers_mut().append(name, value);
    }
    request
}

fuzz_target!(|data: &[u8]| {
    let request = build_request(data);
    let sent_body = data
        .windows(2)
        .position(|pair| pair == b"\n\n")
        .map_or(data, |end| &data[end + 2..]);
    let signature_values: Vec<HeaderValue> = request
        .headers()
        .get_all(SIGNATURE_HEADER)
        .iter()
        .cloned()
        .collect();

    let now = OffsetDateTime::parse(NOW, &Rfc3339).expect("valid timestamp");
    let verifier = Verifier::builder()
        .secret(SECRET)
        .clock(move || now)
        .build()
        .expect("the fuzzing secret is not empty");

    let expected_body = Bytes::copy_from_slice(sent_body);
    let inner = service_fn(move |request: Request<Full<Bytes>>| {
        let expected_body = expected_body.clone();
        async move {
            assert!(
                request.extensions().get::<Event>().is_some(),
                "no Event in the extensions"
            );
            let received = request.into_body().collect().await?.to_bytes();
            assert_eq!(received, expected_body, "the inner service got other bytes");
            Ok::<_, Infallible>(Response::new(Full::new(Bytes::from_static(b"ok"))))
        }
    });
    let service = VerifyLayer::new(verifier)
        .body_limit(BODY_LIMIT)
        .layer(inner);

    let response = run(service.oneshot(request)).expect("the service is infallible");
    let status = response.status();
    let content_type = response.headers().get(CONTENT_TYPE).cloned();
    let body = run(response.into_body().collect())
        .expect("response bodies are in memory")
        .to_bytes();

    match status {
        StatusCode::OK => {
            assert_eq!(body.as_ref(), b"ok");
            assert!(
                sent_body.len() <= BODY_LIMIT,
                "accepted a body over the limit"
            );
            let [value] = signature_values.as_slice() else {
                panic!("accepted {} signature headers", signature_values.len());
            };
            let tag = Signature::parse_bytes(value.as_bytes()).expect("an accepted header parses");
            let true_tag = Signature::parse(&sign(SECRET, sent_body)).expect("sign output parses");
            assert_eq!(tag, true_tag, "accepted a header without the body's tag");
        }
        StatusCode::BAD_REQUEST | StatusCode::PAYLOAD_TOO_LARGE => {
            assert_eq!(
                content_type.as_ref().map(HeaderValue::as_bytes),
                Some(b"application/problem+json".as_slice())
            );
            let problem: serde_json::Value =
                serde_json::from_slice(&body).expect("a rejection body is JSON");
            assert!(
                problem
                    .get("code")
                    .is_some_and(serde_json::Value::is_string),
                "{problem}"
            );
        }
        other => panic!("unexpected status {other}"),
    }
});
