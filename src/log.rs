//! The crate's log lines, written with `tracing` under the target `reachcell_webhooks`.
//!
//! Rejections can come from anyone who finds the endpoint, so they are rate-limited:
//! at most [`WARNINGS_PER_MINUTE`] a minute are logged at WARN, and the rest at DEBUG.
//! Rejections of authenticated deliveries (a stale timestamp, say) have their own
//! budget, so that forged requests cannot hide them. Each WARN line counts the lines
//! sent to DEBUG since the previous one. No line contains a secret, a signature, the
//! body or a value quoted from it.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::VerifyError;
use crate::event::{DataError, EventType};

/// Most WARN lines a minute for each budget; the rest go to DEBUG.
const WARNINGS_PER_MINUTE: u32 = 10;

/// A fixed-window budget of WARN lines.
struct WarnBudget {
    minute: AtomicU64,
    used: AtomicU32,
    demoted: AtomicU64,
}

impl WarnBudget {
    const fn new() -> Self {
        Self {
            minute: AtomicU64::new(0),
            used: AtomicU32::new(0),
            demoted: AtomicU64::new(0),
        }
    }

    /// Takes one WARN line from this minute's budget. Returns the number of lines
    /// sent to DEBUG since the last WARN, or `None` when the budget is spent.
    fn take(&self) -> Option<u64> {
        let minute = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs() / 60);
        let current = self.minute.load(Ordering::Relaxed);
        if current != minute
            && self
                .minute
                .compare_exchange(current, minute, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            self.used.store(0, Ordering::Relaxed);
        }

        if self.used.fetch_add(1, Ordering::Relaxed) < WARNINGS_PER_MINUTE {
            Some(self.demoted.swap(0, Ordering::Relaxed))
        } else {
            self.demoted.fetch_add(1, Ordering::Relaxed);
            None
        }
    }
}

static UNAUTHENTICATED_REJECTIONS: WarnBudget = WarnBudget::new();
static AUTHENTICATED_REJECTIONS: WarnBudget = WarnBudget::new();
static UNPARSED: WarnBudget = WarnBudget::new();

/// Logs one line at WARN when `$budget` allows it, with the count of lines demoted
/// since the last WARN, and at DEBUG otherwise.
macro_rules! budgeted {
    ($budget:expr, $($field:tt)+) => {
        match $budget.take() {
            Some(demoted) => tracing::warn!(
                target: "reachcell_webhooks",
                demoted_since_last_warning = demoted,
                $($field)+
            ),
            None => tracing::debug!(target: "reachcell_webhooks", $($field)+),
        }
    };
}

/// Logs a rejected delivery once, with its reason and its event id when known.
pub(crate) fn rejected(error: &VerifyError) {
    let reason = error.kind().code();
    let event_id = error.event_id();
    let message = error.redacted_message();
    let budget = if error.kind().is_after_signature() {
        &AUTHENTICATED_REJECTIONS
    } else {
        &UNAUTHENTICATED_REJECTIONS
    };
    budgeted!(
        budget,
        reason,
        event_id,
        "rejected webhook delivery: {message}"
    );
}

/// Logs a genuine delivery whose `data` does not match the struct of its type.
pub(crate) fn unparsed_data(event_type: EventType, event_id: &str, error: &DataError) {
    let (line, column) = error.position();
    let redacted = crate::error::redact_values(error.message());
    budgeted!(
        UNPARSED,
        event_type = event_type.as_str(),
        event_id,
        line,
        column,
        error = redacted,
        "event data does not match its documented shape; delivered as EventData::Unparsed"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_demotes_after_limit() {
        let budget = WarnBudget::new();
        for _ in 0..WARNINGS_PER_MINUTE {
            assert_eq!(budget.take(), Some(0));
        }
        assert_eq!(budget.take(), None);
        assert_eq!(budget.take(), None);
        assert_eq!(budget.demoted.load(Ordering::Relaxed), 2);
    }
}
