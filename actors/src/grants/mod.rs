//! The capability layer (ForgeFed OCAP), above `publish`: issuing Grants (`issue`) and the pure
//! check of the Grant an activity invokes (`capability`), which answers a typed refusal; the
//! caller sends the Reject. The Grants' storage is `data::grants`.

pub mod capability;
pub mod held;
pub mod held_on;
pub mod issue;
