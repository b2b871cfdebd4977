//! Operator commands run beside `orchard serve`: accounts (`admin`, on a stopped instance) and
//! backups, restores and checks (`backup`).

pub mod admin;
pub mod backup;
