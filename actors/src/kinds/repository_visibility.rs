//! Who may see a repository. A public one (the default): anyone. A private one
//! (`"visibility": "private"` in its Create's object or set by an admin's
//! `Edit{object: {id: <this>, visibility: "private"|"public"}}` (`kinds::repository_edit`), kept as `visibility` in the
//! record's `extra`, an Orchard term): only holders of a current Grant on it (`visit` or more),
//! the instance actor of an origin where someone holds one (a remote instance fetching for its
//! people), and this instance's admins. Everyone else is told it does not exist (the Repository
//! answers `MayRead` with `may_read`).

use crate::actor::record::ActorRecord;
use crate::actor::state::ActorCore;
use crate::data::grants;
use crate::publish::audience::Reader;
use serde_json::{json, Value};
use url::Url;

/// The record field and document property (Orchard context).
pub const FIELD: &str = "visibility";

/// Whether the repository is private.
pub fn is_private(record: &ActorRecord) -> bool {
    crate::data::listings::is_private(record)
}

/// The visibility an object asks for: `"public"` or `"private"`; None when it names none.
pub fn requested(object: &Value) -> std::result::Result<Option<&'static str>, String> {
    match object.get(FIELD) {
        None => Ok(None),
        Some(v) if v == "private" => Ok(Some("private")),
        Some(v) if v == "public" => Ok(Some("public")),
        Some(_) => Err("visibility must be \"public\" or \"private\"".into()),
    }
}

/// Adds `visibility` to the repository's document.
pub fn describe(record: &ActorRecord, doc: &mut schema::Actor) {
    let v = if is_private(record) {
        "private"
    } else {
        "public"
    };
    doc.extra.insert(FIELD.into(), json!(v));
}

/// Whether `who` holds a current Grant on the repository, or is the instance actor (`/actor`)
/// of an origin where someone does.
pub fn holds_grant(core: &ActorCore, who: &Url) -> bool {
    if grants::role_held_by(core, who).is_some() {
        return true;
    }
    if who.path() != crate::urls::routes::INSTANCE_ACTOR {
        return false;
    }
    let origin = who.origin();
    grants::records(core).unwrap_or_default().iter().any(|g| {
        let holder = Url::parse(&g.target).ok();
        holder.is_some_and(|h| h.origin() == origin && grants::role_held_by(core, &h).is_some())
    })
}

/// Whether the sender of `follow` may follow the repository: anyone a public one, only those
/// who may read it a private one (its activities go to its followers).
pub fn may_follow(core: &ActorCore, follow: &schema::Activity) -> bool {
    let reader = follow
        .actor_id()
        .cloned()
        .map_or(Reader::Anonymous, Reader::Actor);
    may_read(core, &reader)
}

/// May this reader see the repository?
#[derive(actix::Message)]
#[rtype(result = "bool")]
pub struct MayRead {
    pub reader: Reader,
}

/// Whether `reader` may see the repository (its document, collections, code, clones).
pub fn may_read(core: &ActorCore, reader: &Reader) -> bool {
    if !is_private(&core.record) {
        return true;
    }
    match reader {
        Reader::Admin => true,
        Reader::Actor(who) => holds_grant(core, who),
        Reader::Anonymous | Reader::Owner => false,
    }
}

#[cfg(test)]
mod tests {
    use super::requested;
    use serde_json::json;

    #[test]
    fn visibility_is_public_or_private() {
        assert_eq!(requested(&json!({})), Ok(None));
        assert_eq!(
            requested(&json!({"visibility": "private"})),
            Ok(Some("private"))
        );
        assert_eq!(
            requested(&json!({"visibility": "public"})),
            Ok(Some("public"))
        );
        assert!(requested(&json!({"visibility": "secret"})).is_err());
        assert!(requested(&json!({"visibility": true})).is_err());
    }
}
