//! Who may read an activity, and what of it is ever served. `bto` and `bcc` (the hidden
//! audience) are stripped from every copy that is stored for serving (outbox items, served
//! activities, inbox items) and again from whatever is served (data stored before kept them);
//! the delivery job alone keeps the recipients they named. The hidden audience of an activity a
//! local actor published is kept apart (`hidden 0xFF <local id>`, never served) so that a bcc'd
//! recipient may still fetch the activity it was sent.
//!
//! A public activity (addressed to `as:Public`) is served to anyone; any other only to its
//! actor's owner, the instance's admins, its addressees, and, when it is addressed to the
//! actor's followers collection, to those followers. Everyone else gets 404, as for an activity
//! that does not exist.

use crate::actor::state::ActorCore;
use crate::base::addressing::{addressed, hidden_audience, is_public, stripped, ADDRESSING};
use crate::base::error::{ActorError, Result};
use crate::data::followers;
use crate::data::published;
use serde_json::Value;
use url::Url;

/// Who asks to read an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reader {
    /// Nobody identified.
    Anonymous,
    /// The owner of the actor that published it (its own bearer token).
    Owner,
    /// An admin of this instance.
    Admin,
    /// An identified actor: a local person by token, or a remote actor by a verified signed GET.
    Actor(Url),
}

/// Whether `reader` may read `activity`, whose hidden audience is `hidden`. `followers` is the
/// publishing actor's followers collection and `is_follower` tells whether an actor follows it.
pub fn may_read(
    activity: &Value,
    hidden: &[Url],
    followers: &Url,
    reader: &Reader,
    is_follower: impl Fn(&Url) -> Result<bool>,
) -> Result<bool> {
    if is_public(activity) {
        return Ok(true);
    }
    let who = match reader {
        Reader::Owner | Reader::Admin => return Ok(true),
        Reader::Anonymous => return Ok(false),
        Reader::Actor(who) => who,
    };
    let mut audience: Vec<Url> = ADDRESSING
        .iter()
        .flat_map(|p| addressed(activity, p))
        .collect();
    audience.extend(hidden.iter().cloned());
    if audience.contains(who) {
        return Ok(true);
    }
    if audience.contains(followers) {
        return is_follower(who);
    }
    Ok(false)
}

/// Whether `reader` may read `activity`, one this actor published (as stored).
pub fn may_read_published(core: &ActorCore, activity: &Value, reader: &Reader) -> Result<bool> {
    if is_public(activity) || matches!(reader, Reader::Owner | Reader::Admin) {
        return Ok(true);
    }
    if *reader == Reader::Anonymous {
        return Ok(false);
    }
    let local_id = activity
        .get("id")
        .and_then(Value::as_str)
        .and_then(|id| core.env.urls.activity_local_id(&core.r, id));
    let mut hidden = match local_id {
        Some(local_id) => published::hidden_audience_of(core, local_id)?,
        None => Vec::new(),
    };
    // Older data stored the hidden audience inside the activity.
    hidden.extend(hidden_audience(activity));
    let followers = core
        .env
        .urls
        .collection(&core.r, crate::urls::Collection::Followers);
    may_read(activity, &hidden, &followers, reader, |who| {
        Ok(followers::follower(core, who)?.is_some())
    })
}

/// One published activity as served to `reader`: without `bto`/`bcc`, and NotFound (as for
/// an unknown id) when `reader` may not read it.
pub fn served(core: &ActorCore, local_id: &str, reader: &Reader) -> Result<Value> {
    let activity = published::activity(core, local_id)?;
    if !may_read_published(core, &activity, reader)? {
        return Err(ActorError::NotFound(format!("activity {local_id}")));
    }
    Ok(stripped(&activity))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::addressing::strip_hidden;
    use serde_json::json;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn hidden_audience_is_stripped_everywhere() {
        let mut a = json!({"type": "Create", "to": ["https://b/x"], "bcc": "https://b/y",
            "bto": ["https://b/z"], "object": {"type": "Note", "bcc": ["https://b/y"]}});
        assert_eq!(hidden_audience(&a).len(), 2);
        strip_hidden(&mut a);
        assert!(a.get("bcc").is_none() && a.get("bto").is_none());
        assert!(a["object"].get("bcc").is_none());
        assert_eq!(a["to"], json!(["https://b/x"]));
    }

    #[test]
    fn only_the_audience_reads_a_non_public_activity() {
        let followers = url("https://a/people/alice/followers");
        let dm = json!({"to": ["https://b/bob"]});
        let no = |_: &Url| Ok(false);
        let read =
            |a: &Value, hidden: &[Url], r: Reader| may_read(a, hidden, &followers, &r, no).unwrap();
        assert!(!read(&dm, &[], Reader::Anonymous));
        assert!(read(&dm, &[], Reader::Owner));
        assert!(read(&dm, &[], Reader::Admin));
        assert!(read(&dm, &[], Reader::Actor(url("https://b/bob"))));
        assert!(!read(&dm, &[], Reader::Actor(url("https://b/eve"))));
        assert!(read(
            &dm,
            &[url("https://b/eve")],
            Reader::Actor(url("https://b/eve"))
        ));
        for public in [
            "as:Public",
            "Public",
            "https://www.w3.org/ns/activitystreams#Public",
        ] {
            assert!(
                read(&json!({"cc": [public]}), &[], Reader::Anonymous),
                "{public}"
            );
        }
        let hidden_public = json!({"bcc": ["https://www.w3.org/ns/activitystreams#Public"]});
        assert!(!read(&hidden_public, &[], Reader::Anonymous));
    }

    #[test]
    fn followers_only_is_read_by_followers_alone() {
        let followers = url("https://a/people/alice/followers");
        let a = json!({"to": [followers.as_str()]});
        let bob = url("https://b/bob");
        let is_bob = |who: &Url| Ok(who.as_str() == "https://b/bob");
        assert!(may_read(&a, &[], &followers, &Reader::Actor(bob), is_bob).unwrap());
        let eve = Reader::Actor(url("https://b/eve"));
        assert!(!may_read(&a, &[], &followers, &eve, is_bob).unwrap());
        assert!(!may_read(&a, &[], &followers, &Reader::Anonymous, is_bob).unwrap());
    }
}
