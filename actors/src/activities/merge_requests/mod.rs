//! Handlers of a PatchTracker's merge requests and of its link to repositories: `Offer{Ticket}`
//! opens one (`open`), fetching its origin branch as versions (`revisions`, also after a
//! `Push`), `Apply` merges it (`apply`), the git jobs' answers (`jobs`); comments, closing and
//! reopening are the tickets' handlers (`activities::tickets::{comment, resolve}`), which serve
//! both kinds of tracker. The Repository-PatchTracker link: the tracker's side (`link`; its admin
//! removing a repository, `link_remove`) and the
//! repository's (`repo_link`). Storage: `data::merge_requests` beside `data::tickets`. Reviews:
//! `review` (an offered Review, checked by `review_checks` and `review_diff`), `review_comment`
//! (a comment in a thread), `review_resolve` (resolving a thread), `review_dismiss` (dismissing
//! a review); their storage is `data::reviews`.

pub mod apply;
pub mod jobs;
pub mod link;
pub mod link_remove;
pub mod open;
pub mod repo_link;
pub mod review;
pub mod review_checks;
pub mod review_comment;
pub mod review_diff;
pub mod review_dismiss;
pub mod review_resolve;
pub mod revisions;
