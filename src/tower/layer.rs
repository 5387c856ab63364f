//! [`VerifyLayer`]: the configuration shared by every [`VerifyService`].

use std::sync::Arc;

use tower::Layer;

use super::VerifyService;
use crate::Verifier;
use crate::problem::MismatchStatus;

/// Largest request body the layer reads unless configured otherwise: 256 KiB.
///
/// ReachCell deliveries are small JSON objects, a few hundred bytes to a few KiB.
pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;

/// A tower layer that verifies ReachCell deliveries; see the [module docs](super).
#[derive(Clone, Debug)]
#[must_use]
pub struct VerifyLayer {
    pub(crate) config: Arc<Config>,
}

#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) verifier: Verifier,
    pub(crate) body_limit: usize,
    pub(crate) mismatch_status: MismatchStatus,
}

impl VerifyLayer {
    /// Creates the layer with a body limit of [`DEFAULT_BODY_LIMIT`] and `400` for a
    /// signature mismatch.
    pub fn new(verifier: Verifier) -> Self {
        Self {
            config: Arc::new(Config {
                verifier,
                body_limit: DEFAULT_BODY_LIMIT,
                mismatch_status: MismatchStatus::default(),
            }),
        }
    }

    /// Sets the largest body, in bytes, that the layer reads. A larger body gets
    /// `413 Payload Too Large`, before it is read when `Content-Length` announces it.
    pub fn body_limit(mut self, limit: usize) -> Self {
        self.config_mut().body_limit = limit;
        self
    }

    /// Sets the status for a signature mismatch: `400` (the default, as ReachCell's
    /// documentation recommends) or `401`.
    pub fn mismatch_status(mut self, status: MismatchStatus) -> Self {
        self.config_mut().mismatch_status = status;
        self
    }

    fn config_mut(&mut self) -> &mut Config {
        // Configured before it is cloned into services, the config is not shared yet
        // and is changed in place.
        Arc::make_mut(&mut self.config)
    }
}

impl<S> Layer<S> for VerifyLayer {
    type Service = VerifyService<S>;

    fn layer(&self, inner: S) -> VerifyService<S> {
        VerifyService {
            inner,
            config: Arc::clone(&self.config),
        }
    }
}
