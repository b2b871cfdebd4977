//! Every IRI shape this instance publishes, written once. Each shape is a route pattern in
//! [`routes`]; [`Urls`] builds IRIs by filling those patterns in and parses IRIs by matching them
//! ([`pattern`]), and the HTTP layer registers the same patterns as its routes. Nothing else
//! formats or splits the paths of this instance's IRIs. Imports nothing from this crate but the
//! actor kinds.

mod names;
pub mod pattern;
mod review_iris;
pub mod routes;
mod scheme;
pub mod vocabulary;

pub use names::{owner_of_collection, ssh_key_name, tracker_of_ticket, Collection, TicketPart};
pub use pattern::{captures, expand};
pub use review_iris::{tracker_of_review_part, ReviewPart, ThreadId};
pub use scheme::Urls;
