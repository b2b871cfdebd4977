//! Backups of a whole instance: `create` (the database dumped at one point in time under the
//! store's write gate, then every repository copied in its actor's mailbox), the archive format
//! (`archive`, `manifest`), `restore` into an empty data directory, and `check` of a data
//! directory.

pub mod archive;
pub mod check;
pub mod create;
pub mod manifest;
pub mod restore;
