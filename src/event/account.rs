//! Account events: `account.suspended`, `account.balance.low`.

use rust_decimal::Decimal;

use super::fields::{event_data, field_type, finish_field, member_field, read_field, write_field};

event_data! {
    /// Data of `account.suspended`: your account was suspended.
    pub struct AccountSuspended {
        /// Reason for the suspension, such as `payment overdue`.
        optional reason: String,
    }
}

event_data! {
    /// Data of `account.balance.low`: credit dropped below the low-balance threshold.
    pub struct AccountBalanceLow {
        /// Remaining credit in US dollars, exact as sent.
        optional balance_usd: Decimal,
        /// Threshold that was crossed, in US dollars.
        optional threshold_usd: Decimal,
    }
}
