//! Operator commands run beside `orchard serve` (on a stopped instance).

pub mod admin;
