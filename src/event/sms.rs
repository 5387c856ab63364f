//! SMS events: `sms.received`, `sms.sent`, `sms.delivered`, `sms.failed`.
//!
//! Only `sms.received` has documented fields (`from`, `to`, `body`). The optional
//! fields of the others follow ReachCell's SMS API object and may be absent.

use super::fields::{event_data, field_type, finish_field, member_field, read_field, write_field};

event_data! {
    /// Data of `sms.received`: an inbound SMS arrived on one of your numbers.
    pub struct SmsReceived {
        /// Sender, as an E.164 number such as `+14155553000`.
        required from: String,
        /// Your number that received the message, in E.164.
        required to: String,
        /// Message text.
        required body: String,
        /// Message identifier (a UUID string).
        optional message_id: String,
    }
}

event_data! {
    /// Data of `sms.sent`: the gateway device handed an outbound SMS to the carrier.
    pub struct SmsSent {
        /// Message identifier (a UUID string).
        optional message_id: String,
        /// Your sending number, in E.164.
        optional from: String,
        /// Recipient, in E.164.
        optional to: String,
        /// Message status, such as `sent`.
        optional status: String,
    }
}

event_data! {
    /// Data of `sms.delivered`: the carrier confirmed delivery of an outbound SMS.
    pub struct SmsDelivered {
        /// Message identifier (a UUID string).
        optional message_id: String,
        /// Your sending number, in E.164.
        optional from: String,
        /// Recipient, in E.164.
        optional to: String,
        /// Message status, such as `delivered`.
        optional status: String,
    }
}

event_data! {
    /// Data of `sms.failed`: an outbound SMS failed on the device.
    pub struct SmsFailed {
        /// Message identifier (a UUID string).
        optional message_id: String,
        /// Your sending number, in E.164.
        optional from: String,
        /// Recipient, in E.164.
        optional to: String,
        /// Message status, such as `failed`.
        optional status: String,
        /// Description of the failure, such as `device offline`.
        optional error: String,
    }
}
