//! Tickets of a TicketTracker: Offer{Ticket} opens one, Create{Note} comments on one, Resolve
//! and Undo{Resolve} close and reopen one.
//!
//! STUB: being implemented.
