//! Projects and their components (ForgeFed `Add`/`Remove` to a project's `components`): the
//! project side (`project_side`) and the component side, a Repository or TicketTracker
//! (`component_side`), of adding and removing.
//!
//! 1. A maintainer M of project P sends `Add{object: C, target: <P>/components, capability}` to
//!    P and C. P checks the Grant (`maintain`) and keeps a pending entry; C keeps a pending link.
//! 2. An admin D of C sends `Accept{object: <the Add>, capability: <D's admin Grant on C>}` to C.
//!    C checks the Grant (`admin`), links itself to P and sends its own `Accept{object: <the Add,
//!    embedded>}` to P (and D, M). P then lists C in `components`.
//! 3. `Remove{object: C, origin: <P>/components, capability}` by a maintainer: P drops C and sends
//!    its own `Remove` to C, which drops the link.
//!
//! Every handler is idempotent: a replayed or repeated activity changes nothing.

pub mod component_side;
pub mod dispatch;
pub mod project_side;
pub mod shared;
