//! [`VerifyService`]: the middleware that [`VerifyLayer`](super::VerifyLayer) wraps
//! around a service.

use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{Request, Response};
use http_body::Body;
use http_body_util::{BodyExt, Full, Limited};
use tower::Service;

use super::layer::Config;
use super::{BoxError, ResponseBody, ResponseFuture, exceeds_limit};
use crate::error::VerifyError;

/// Verifies each request, then calls the inner service; see the [module docs](super).
#[derive(Clone, Debug)]
pub struct VerifyService<S> {
    pub(crate) inner: S,
    pub(crate) config: Arc<Config>,
}

impl<S> VerifyService<S> {
    /// Returns a [`VerifyLayer`](super::VerifyLayer) that wraps services in this middleware.
    pub fn layer(verifier: crate::Verifier) -> super::VerifyLayer {
        super::VerifyLayer::new(verifier)
    }

    /// Returns the inner service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// Returns the inner service, mutably.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// Consumes the middleware and returns the inner service.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for VerifyService<S>
where
    S: Service<Request<Full<Bytes>>, Response = Response<ResBody>> + Clone,
    ReqBody: Body,
    ReqBody::Error: Into<BoxError>,
{
    type Response = Response<ResponseBody<ResBody>>;
    type Error = S::Error;
    type Future = ResponseFuture<S, ReqBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let limit = self.config.body_limit;
        if exceeds_limit(request.headers(), limit) {
            let error = VerifyError::body_too_large(limit);
            crate::log::rejected(&error);
            return ResponseFuture::rejected(&error, self.config.mismatch_status);
        }

        // The service that was polled ready goes into the future; a fresh clone stays
        // here for the next request.
        let ready = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, ready);

        let (parts, body) = request.into_parts();
        let collect = Limited::new(body, limit).collect();
        ResponseFuture::collecting(collect, parts, inner, Arc::clone(&self.config))
    }
}
