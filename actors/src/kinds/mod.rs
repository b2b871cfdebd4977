//! The kinds layer, above `runtime`: one actix actor per ForgeFed actor type (Person, Factory,
//! Repository, TicketTracker, Project), the closed set of activities each acts on (`accepted`),
//! creating new resource actors (`creation`) and a repository's Push activities (`push`). Only
//! the registry is above it.

pub mod accepted;
pub mod creation;
pub mod factory;
pub mod person;
pub mod project;
pub mod push;
pub mod repository;
pub mod repository_git;
pub mod ticket_tracker;
