//! Number events: `number.assigned`, `number.released`.

use super::fields::{event_data, field_type, finish_field, member_field, read_field, write_field};

event_data! {
    /// Data of `number.assigned`: a phone number was provisioned to your account.
    pub struct NumberAssigned {
        /// The number, in E.164.
        optional number: String,
    }
}

event_data! {
    /// Data of `number.released`: a phone number was released from your account.
    pub struct NumberReleased {
        /// The number, in E.164.
        optional number: String,
    }
}
