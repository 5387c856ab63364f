//! [`ResponseFuture`]: reads the body, verifies it, then runs the inner service.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use http::request::Parts;
use http::{Request, Response};
use http_body::Body;
use http_body_util::combinators::Collect;
use http_body_util::{Full, Limited};
use pin_project_lite::pin_project;
use tower::Service;

use super::layer::Config;
use super::{BoxError, MatchedSecret, ResponseBody, read_error};
use crate::error::VerifyError;
use crate::problem::{self, MismatchStatus};

pin_project! {
    /// The response future of [`VerifyService`](super::VerifyService).
    pub struct ResponseFuture<S, B>
    where
        S: Service<Request<Full<Bytes>>>,
        B: Body,
        B::Error: Into<BoxError>,
    {
        #[pin]
        state: State<S, B>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<S, B>
    where
        S: Service<Request<Full<Bytes>>>,
        B: Body,
        B::Error: Into<BoxError>,
    {
        Collecting {
            #[pin]
            collect: Collect<Limited<B>>,
            parts: Option<Parts>,
            inner: Option<S>,
            config: Arc<Config>,
        },
        Inner {
            #[pin]
            future: S::Future,
        },
        Rejected {
            response: Option<Response<Full<Bytes>>>,
        },
    }
}

impl<S, B> ResponseFuture<S, B>
where
    S: Service<Request<Full<Bytes>>>,
    B: Body,
    B::Error: Into<BoxError>,
{
    pub(crate) fn collecting(
        collect: Collect<Limited<B>>,
        parts: Parts,
        inner: S,
        config: Arc<Config>,
    ) -> Self {
        Self {
            state: State::Collecting {
                collect,
                parts: Some(parts),
                inner: Some(inner),
                config,
            },
        }
    }

    pub(crate) fn rejected(error: &VerifyError, mismatch: MismatchStatus) -> Self {
        Self {
            state: State::Rejected {
                response: Some(problem::response(error, mismatch)),
            },
        }
    }
}

impl<S, B, ResBody> Future for ResponseFuture<S, B>
where
    S: Service<Request<Full<Bytes>>, Response = Response<ResBody>>,
    B: Body,
    B::Error: Into<BoxError>,
{
    type Output = Result<Response<ResponseBody<ResBody>>, S::Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = self.project().state;
        loop {
            match state.as_mut().project() {
                StateProj::Collecting {
                    collect,
                    parts,
                    inner,
                    config,
                } => {
                    let collected = ready!(collect.poll(cx));
                    let (Some(parts), Some(inner)) = (parts.take(), inner.take()) else {
                        panic!("ResponseFuture polled after the body was read and handed on");
                    };
                    let next = match collected {
                        Ok(collected) => verify(parts, collected.to_bytes(), inner, config),
                        Err(error) => {
                            let error = read_error(error, config.body_limit);
                            crate::log::rejected(&error);
                            State::Rejected {
                                response: Some(problem::response(&error, config.mismatch_status)),
                            }
                        }
                    };
                    state.set(next);
                }
                StateProj::Inner { future } => {
                    let response = ready!(future.poll(cx))?;
                    return Poll::Ready(Ok(response.map(ResponseBody::inner)));
                }
                StateProj::Rejected { response } => {
                    let response = response
                        .take()
                        .expect("ResponseFuture polled after it completed");
                    return Poll::Ready(Ok(response.map(ResponseBody::rejection)));
                }
            }
        }
    }
}

/// Verifies the read body and starts the inner service, or builds the rejection.
fn verify<S, B>(mut parts: Parts, body: Bytes, mut inner: S, config: &Config) -> State<S, B>
where
    S: Service<Request<Full<Bytes>>>,
    B: Body,
    B::Error: Into<BoxError>,
{
    match config.verifier.verify_request(&parts.headers, &body) {
        Ok((event, secret_index)) => {
            parts.extensions.insert(event);
            parts.extensions.insert(MatchedSecret(secret_index));
            let request = Request::from_parts(parts, Full::new(body));
            State::Inner {
                future: inner.call(request),
            }
        }
        Err(error) => State::Rejected {
            response: Some(problem::response(&error, config.mismatch_status)),
        },
    }
}
