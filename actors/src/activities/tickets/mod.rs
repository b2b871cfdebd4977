//! Handlers of a TicketTracker's tickets: `Offer{Ticket}` opens one (`offer`), `Create{Note}`
//! comments on one (`comment`), `Resolve` and `Undo{Resolve}` close and reopen one (`resolve`);
//! who may report (`report`). The tickets' storage is `data::tickets`.

pub mod comment;
pub mod offer;
pub mod report;
pub mod resolve;
