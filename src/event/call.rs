//! Call events: `call.incoming`, `call.connected`, `call.ended`, `call.missed`,
//! `call.rejected`, `call.failed`.
//!
//! `call.incoming` documents `from`, and `call.ended` documents `duration_seconds` and
//! `cost_usd`. The optional fields follow ReachCell's call API object and may be absent.

use rust_decimal::Decimal;

use super::fields::{event_data, field_type, finish_field, member_field, read_field, write_field};

event_data! {
    /// Data of `call.incoming`: an inbound call is ringing on one of your numbers.
    pub struct CallIncoming {
        /// Caller, as an E.164 number.
        required from: String,
        /// Call identifier (a UUID string).
        optional call_id: String,
        /// Your number being called, in E.164.
        optional to: String,
    }
}

event_data! {
    /// Data of `call.connected`: a call, inbound or outbound, was picked up.
    pub struct CallConnected {
        /// Call identifier (a UUID string).
        optional call_id: String,
        /// Calling number, in E.164.
        optional from: String,
        /// Called number, in E.164.
        optional to: String,
    }
}

event_data! {
    /// Data of `call.ended`: a connected call was hung up.
    pub struct CallEnded {
        /// Length of the connected call, in whole seconds.
        required duration_seconds: u64,
        /// Cost of the call in US dollars, exact as sent.
        required cost_usd: Decimal,
        /// Call identifier (a UUID string).
        optional call_id: String,
        /// Calling number, in E.164.
        optional from: String,
        /// Called number, in E.164.
        optional to: String,
    }
}

event_data! {
    /// Data of `call.missed`: a call rang and nobody picked up.
    ///
    /// This is the event that missed-call verification flows wait for.
    pub struct CallMissed {
        /// Call identifier (a UUID string).
        optional call_id: String,
        /// Caller, in E.164.
        optional from: String,
        /// Your number that was called, in E.164.
        optional to: String,
    }
}

event_data! {
    /// Data of `call.rejected`: the destination actively rejected the call.
    pub struct CallRejected {
        /// Call identifier (a UUID string).
        optional call_id: String,
        /// Calling number, in E.164.
        optional from: String,
        /// Called number, in E.164.
        optional to: String,
    }
}

event_data! {
    /// Data of `call.failed`: an outbound call did not reach the carrier or device.
    pub struct CallFailed {
        /// Call identifier (a UUID string).
        optional call_id: String,
        /// Calling number, in E.164.
        optional from: String,
        /// Called number, in E.164.
        optional to: String,
        /// Description of the failure, such as `carrier unreachable`.
        optional error: String,
    }
}
