//! The kinds layer, above `runtime`: one actix actor per ForgeFed actor type (Person, Factory,
//! Repository, TicketTracker, PatchTracker, Project), the closed set of activities each acts on
//! (`accepted`), creating new resource actors (`creation`, forks: `factory_fork`), a
//! repository's git services (`repository_git`, the git jobs' `repository_fetch`), its merges
//! (`repository_merge`, git side `repository_merge_git`), its Push activities (`push`) and its
//! copy for backups (`repository_snapshot`). Only the registry and the flows are above it.

pub mod accepted;
pub mod creation;
/// Deleting actors (`deletion`), a repository's Delete and its archived state.
pub mod deletion;
pub mod factory;
pub mod factory_created;
pub mod factory_fork;
pub mod patch_tracker;
pub mod patch_tracker_reviews;
pub mod person;
pub mod project;
pub mod push;
pub mod repository;
pub mod repository_archive;
pub mod repository_delete;
pub mod repository_edit;
pub mod repository_fetch;
pub mod repository_git;
pub mod repository_merge;
pub mod repository_merge_git;
pub mod repository_snapshot;
pub mod repository_visibility;
pub mod ticket_list;
pub mod ticket_tracker;
