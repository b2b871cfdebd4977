//! The web pages (server-rendered HTML, a transport beside `http`): content negotiation
//! (`negotiate`), the page chrome and security headers (`page`), cookie sessions (`session`),
//! CSRF tokens (`csrf`), the one path every form action takes (`act`: the person's outbox),
//! HTML error pages (`error_page`), the HTML faces of actor IRIs (`actor_pages`), the static
//! assets (`assets`) and the pages themselves. Templates live in `templates/` (askama).

pub mod account_pages;
pub mod act;
pub mod actor_pages;
pub mod admin;
pub mod assets;
pub mod csrf;
pub mod dashboard;
pub mod error_page;
pub mod front;
pub mod items;
pub mod negotiate;
pub mod notifications;
pub mod page;
pub mod person;
pub mod routes;
pub mod session;
pub mod settings;
pub mod stars;

pub use routes::configure;
