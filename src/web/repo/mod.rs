//! The repository pages: the repository page (`show`, the HTML face of `/repos/{id}`), the
//! tree browser and file view (`files`, highlighted by `highlight`), the log and the branches
//! and tags (`history`), the commit page (`commit`, the HTML face of
//! `/repos/{id}/commits/{hash}`, its diff through `diff_view`), star and follow (`social`) and
//! the admins' settings (`settings`, `settings_forms`). Every page opens the repository through
//! `access` (the visibility gate, for the session's reader); `views` makes what templates show;
//! `cache` keeps what is costly to make (highlighted files, READMEs, commit pages) by git
//! object id, held across requests by `app_data`.

pub mod access;
pub mod app_data;
pub mod cache;
pub mod commit;
pub mod diff_view;
pub mod files;
pub mod highlight;
pub mod history;
pub mod settings;
pub mod settings_forms;
pub mod show;
pub mod social;
pub mod views;

pub use show::show;

use actix_web::web;

/// Registers the repository pages' routes (before the JSON routes' catch-alls:
/// `/{segment}/{id}/{collection}` would take `/repos/{id}/refs`).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/repos/{id}/tree/{spec:.+}",
        web::get().to(files::tree_page),
    )
    .route(
        "/repos/{id}/blob/{spec:.+}",
        web::get().to(files::blob_page),
    )
    .route("/repos/{id}/log", web::get().to(history::log_default))
    .route("/repos/{id}/log/{rev:.+}", web::get().to(history::log_at))
    .route("/repos/{id}/refs", web::get().to(history::refs_page))
    .route(
        "/repos/{id}/settings",
        web::get().to(settings::settings_page),
    )
    .route(
        "/repos/{id}/settings/{form}",
        web::post().to(settings_forms::settings_post),
    )
    .route("/repos/{id}/star", web::post().to(social::star))
    .route("/repos/{id}/follow", web::post().to(social::follow));
}
