//! The web pages (server-rendered HTML, a transport beside `http`): content negotiation
//! (`negotiate`), the page chrome and security headers (`page`), cookie sessions (`session`),
//! CSRF tokens (`csrf`), the one path every form action takes (`act`: the person's outbox),
//! HTML error pages (`error_page`), the HTML faces of actor IRIs (`actor_pages`), the static
//! assets (`assets`) and the pages themselves: the repository pages (`repo`); the tickets,
//! merge requests, projects, creating and look-up pages (`tracker`, `ticket`, `ticket_forms`,
//! `patch_tracker`, `merge_request` with `mr_diff`, `mr_reviews`, `mr_forms`, `mr_decisions`
//! and `mr_target`,
//! `project`,
//! `factory`, `create_forms`, `lookup`, `lookup_forms`, with `grant_of`, `form_guard`, `answers`
//! and `remote_summary`); forking and opening a merge request from here (`fork_forms`,
//! `mr_open` with `mr_open_target`, and `mr_open_remote`: a remote merge request on the look-up
//! page); the error box (`error_box`). Templates live in `templates/` (askama).

pub mod account_pages;
pub mod act;
pub mod actor_pages;
pub mod admin;
pub mod answers;
pub mod assets;
pub mod create_forms;
pub mod csrf;
pub mod dashboard;
pub mod error_box;
pub mod error_page;
pub mod factory;
pub mod fork_forms;
pub mod form_guard;
pub mod front;
pub mod grant_of;
pub mod items;
pub mod lookup;
pub mod lookup_forms;
pub mod merge_request;
pub mod mr_decisions;
pub mod mr_diff;
pub mod mr_forms;
pub mod mr_open;
pub mod mr_open_remote;
pub mod mr_open_target;
pub mod mr_reviews;
pub mod mr_target;
pub mod negotiate;
pub mod notifications;
pub mod page;
pub mod patch_tracker;
pub mod person;
pub mod project;
pub mod remote_summary;
pub mod repo;
pub mod routes;
pub mod session;
pub mod settings;
pub mod stars;
pub mod ticket;
pub mod ticket_forms;
pub mod tracker;
