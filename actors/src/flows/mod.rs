//! The flows layer, above `registry`: domain flows that take several actors and so go through
//! the registry: a client's post to its outbox (`client_post`, including creating a Factory),
//! which local actors a received activity is for (`inbox_routing`), and a local person's star of
//! a local repository sent on to that repository's federated ones (`star_flow`), and the git
//! jobs actors submit (`git_jobs`, reading sources through `git_origin`, resumed at start through `git_jobs_resume`). Transports (HTTP, SSH) call these and only
//! translate.

pub mod client_post;
pub mod factory_create;
pub mod git_jobs;
pub mod git_jobs_resume;
pub mod git_origin;
pub mod inbox_routing;
pub mod star_flow;
