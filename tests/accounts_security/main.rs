//! Accounts and admin rights over real HTTP (issue 13, items 1 and 2): privileged names are
//! reserved for accounts the operator creates (`orchard admin`), roles come from the operator,
//! login and registration are limited per client address and per username (429 with
//! Retry-After), and a flood of parallel logins neither grows memory without bound nor locks
//! a legitimate person out.

#[path = "../common/mod.rs"]
mod common;

mod calls;
mod limits;
mod reserved;
