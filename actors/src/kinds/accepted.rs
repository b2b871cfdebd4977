//! The closed set of activities each kind of actor acts on, one enum per kind, parsed once at
//! the door (`runtime::accepted::parse`). Any other type is stored in the inbox and ignored.
//! Each kind dispatches its enum in one place: its `Resource::handle_activity`.

use crate::base::embed::is_undo_of;
use crate::runtime::accepted::Accepted;
use schema::Activity;

/// What a Person acts on: being followed, answers to what it sent, being invited, given and
/// refused roles.
pub enum PersonActivity {
    Follow(Activity),
    Accept(Activity),
    Reject(Activity),
    Undo(Activity),
    Invite(Activity),
    Grant(Activity),
    Revoke(Activity),
}

impl Accepted for PersonActivity {
    fn variant(kind: &str) -> Option<fn(Activity) -> Self> {
        Some(match kind {
            "Follow" => Self::Follow,
            "Accept" => Self::Accept,
            "Reject" => Self::Reject,
            "Undo" => Self::Undo,
            "Invite" => Self::Invite,
            "Grant" => Self::Grant,
            "Revoke" => Self::Revoke,
            _ => return None,
        })
    }
}

/// What a Factory acts on: what every resource does, and creating resources and being edited.
pub enum FactoryActivity {
    Follow(Activity),
    Undo(Activity),
    Invite(Activity),
    Accept(Activity),
    Remove(Activity),
    Create(Activity),
    /// `Edit` or `Patch`.
    Edit(Activity),
}

impl Accepted for FactoryActivity {
    fn variant(kind: &str) -> Option<fn(Activity) -> Self> {
        Some(match kind {
            "Follow" => Self::Follow,
            "Undo" => Self::Undo,
            "Invite" => Self::Invite,
            "Accept" => Self::Accept,
            "Remove" => Self::Remove,
            "Create" => Self::Create,
            "Edit" | "Patch" => Self::Edit,
            _ => return None,
        })
    }
}

/// What a Repository acts on: what every resource does, stars, joining projects, being edited
/// (`Edit`, or Vervis's older `Patch`), being forked (`Create`, and the Factory's `Accept`).
pub enum RepositoryActivity {
    Follow(Activity),
    Undo(Activity),
    Invite(Activity),
    Accept(Activity),
    Remove(Activity),
    Like(Activity),
    Add(Activity),
    Edit(Activity),
    /// An admin deleting the repository.
    Delete(Activity),
    /// A person's Create of a fork of this repository (`activities::forks`).
    Create(Activity),
    /// A holder waiving its access (a linked PatchTracker leaving: `activities::leave`).
    Leave(Activity),
}

impl Accepted for RepositoryActivity {
    fn variant(kind: &str) -> Option<fn(Activity) -> Self> {
        Some(match kind {
            "Follow" => Self::Follow,
            "Undo" => Self::Undo,
            "Invite" => Self::Invite,
            "Accept" => Self::Accept,
            "Remove" => Self::Remove,
            "Like" => Self::Like,
            "Add" => Self::Add,
            "Edit" | "Patch" => Self::Edit,
            "Delete" => Self::Delete,
            "Create" => Self::Create,
            "Leave" => Self::Leave,
            _ => return None,
        })
    }
}

/// What a TicketTracker acts on: what every resource does, joining projects, its tickets
/// (opened by Offer, discussed by Create, closed by Resolve, reopened by an Undo of a Resolve),
/// being edited.
pub enum TicketTrackerActivity {
    Follow(Activity),
    /// An Undo of anything but an embedded Resolve.
    Undo(Activity),
    Invite(Activity),
    Accept(Activity),
    Remove(Activity),
    Add(Activity),
    Offer(Activity),
    Create(Activity),
    Resolve(Activity),
    /// An Undo of an embedded Resolve: reopens the ticket.
    Reopen(Activity),
    /// `Edit` or `Patch`.
    Edit(Activity),
}

impl Accepted for TicketTrackerActivity {
    fn variant(kind: &str) -> Option<fn(Activity) -> Self> {
        Some(match kind {
            "Follow" => Self::Follow,
            "Undo" => |a| match is_undo_of(&a, "Resolve") {
                true => Self::Reopen(a),
                false => Self::Undo(a),
            },
            "Invite" => Self::Invite,
            "Accept" => Self::Accept,
            "Remove" => Self::Remove,
            "Add" => Self::Add,
            "Offer" => Self::Offer,
            "Create" => Self::Create,
            "Resolve" => Self::Resolve,
            "Edit" | "Patch" => Self::Edit,
            _ => return None,
        })
    }
}

/// What a PatchTracker acts on: what every resource does, being linked to repositories (an
/// Invite of it, the repository's Grant and Revoke), its merge requests (opened by Offer,
/// discussed by Create, closed by Resolve, reopened by an Undo of a Resolve, merged by Apply,
/// revised by a Push of their origin),
/// being edited.
pub enum PatchTrackerActivity {
    Follow(Activity),
    /// An Undo of anything but an embedded Resolve.
    Undo(Activity),
    Invite(Activity),
    Accept(Activity),
    Remove(Activity),
    Grant(Activity),
    Revoke(Activity),
    Offer(Activity),
    Create(Activity),
    Resolve(Activity),
    /// An Undo of an embedded Resolve: reopens the merge request.
    Reopen(Activity),
    Apply(Activity),
    /// A Push of a repository it follows (the origin of merge requests).
    Push(Activity),
    /// `Edit` or `Patch`.
    Edit(Activity),
    /// An Offer of a Review (`activities::merge_requests::review`).
    Review(Activity),
    /// A Create of a Note in a review thread.
    ReviewComment(Activity),
    /// A Resolve of a review thread.
    ResolveThread(Activity),
    /// An Undo of an embedded Resolve of a review thread.
    UnresolveThread(Activity),
    /// An Undo of an Approval (dismissing a review).
    Dismiss(Activity),
}

impl PatchTrackerActivity {
    /// The review variant of an activity about a review (a Review offered, a comment in a
    /// thread, a thread resolved or unresolved, an Approval dismissed).
    fn review_of(a: &Activity) -> Option<fn(Activity) -> Self> {
        use crate::activities::merge_requests::{review, review_comment as comment};
        use crate::activities::merge_requests::{
            review_dismiss as dismiss, review_resolve as resolve,
        };
        let unresolves = || {
            is_undo_of(a, "Resolve") && resolve::names_thread(resolve::undone_object_of(a).as_ref())
        };
        Some(match a.kind.as_str() {
            "Offer" if review::offers_review(a) => Self::Review,
            "Create" if comment::comments_on_thread(a) => Self::ReviewComment,
            "Resolve" if resolve::names_thread(a.object_id()) => Self::ResolveThread,
            "Undo" if dismiss::dismisses(a) => Self::Dismiss,
            "Undo" if unresolves() => Self::UnresolveThread,
            _ => return None,
        })
    }

    /// The review variant of `a`, or else `otherwise`.
    fn or_review(a: Activity, otherwise: fn(Activity) -> Self) -> Self {
        Self::review_of(&a).unwrap_or(otherwise)(a)
    }
}

impl Accepted for PatchTrackerActivity {
    fn variant(kind: &str) -> Option<fn(Activity) -> Self> {
        Some(match kind {
            "Follow" => Self::Follow,
            "Undo" => |a| {
                let reopen = is_undo_of(&a, "Resolve");
                Self::or_review(a, if reopen { Self::Reopen } else { Self::Undo })
            },
            "Invite" => Self::Invite,
            "Accept" => Self::Accept,
            "Remove" => Self::Remove,
            "Grant" => Self::Grant,
            "Revoke" => Self::Revoke,
            "Offer" => |a| Self::or_review(a, Self::Offer),
            "Create" => |a| Self::or_review(a, Self::Create),
            "Resolve" => |a| Self::or_review(a, Self::Resolve),
            "Apply" => Self::Apply,
            "Push" => Self::Push,
            "Edit" | "Patch" => Self::Edit,
            _ => return None,
        })
    }
}

/// What a Project acts on: what every resource does, stars, and adding components.
pub enum ProjectActivity {
    Follow(Activity),
    Undo(Activity),
    Invite(Activity),
    Accept(Activity),
    Remove(Activity),
    Like(Activity),
    Add(Activity),
}

impl Accepted for ProjectActivity {
    fn variant(kind: &str) -> Option<fn(Activity) -> Self> {
        Some(match kind {
            "Follow" => Self::Follow,
            "Undo" => Self::Undo,
            "Invite" => Self::Invite,
            "Accept" => Self::Accept,
            "Remove" => Self::Remove,
            "Like" => Self::Like,
            "Add" => Self::Add,
            _ => return None,
        })
    }
}

#[cfg(test)]
#[path = "accepted_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "accepted_review_tests.rs"]
mod review_tests;
