//! Webhook events: `webhook.test`.

use super::fields::{event_data, field_type, finish_field, member_field, read_field, write_field};

event_data! {
    /// Data of `webhook.test`: sent on request to check an endpoint and its signature check.
    pub struct WebhookTest {
        /// Id of the webhook endpoint the test was sent for.
        optional webhook_id: u64,
        /// Human-readable text of the test event.
        optional message: String,
    }
}
