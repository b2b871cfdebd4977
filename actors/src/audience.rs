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

use crate::core::ActorCore;
use crate::error::{ActorError, Result};
use crate::publish::{addressed, ADDRESSING};
use crate::storage::codec;
use crate::storage::layout::{self, HIDDEN};
use serde_json::Value;
use url::Url;

/// The addressing properties that are never served.
pub const HIDDEN_PROPS: [&str; 2] = ["bto", "bcc"];

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

/// Removes `bto` and `bcc` from an activity and from every object embedded in it.
pub fn strip_hidden(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for prop in HIDDEN_PROPS {
                map.remove(prop);
            }
            for v in map.values_mut() {
                strip_hidden(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_hidden),
        _ => {}
    }
}

/// A copy of `value` without `bto`/`bcc` anywhere.
pub fn stripped(value: &Value) -> Value {
    let mut v = value.clone();
    strip_hidden(&mut v);
    v
}

/// The IRIs in an activity's own `bto` and `bcc`.
pub fn hidden_audience(activity: &Value) -> Vec<Url> {
    HIDDEN_PROPS
        .iter()
        .flat_map(|p| addressed(activity, p))
        .collect()
}

/// True when an activity is addressed to the public (in `to`, `cc` or `audience`: a Public
/// hidden in `bcc` makes nothing public).
pub fn is_public(activity: &Value) -> bool {
    let public = |v: &Value| {
        v.as_str().is_some_and(|s| {
            s == "Public" || Url::parse(s).is_ok_and(|u| schema::context::is_public(&u))
        })
    };
    ADDRESSING
        .iter()
        .filter(|p| !HIDDEN_PROPS.contains(p))
        .any(|p| match activity.get(*p) {
            Some(Value::Array(items)) => items.iter().any(public),
            Some(v) => public(v),
            None => false,
        })
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

impl ActorCore {
    /// The hidden audience recorded for an activity this actor published.
    pub fn hidden_audience_of(&self, local_id: &str) -> Result<Vec<Url>> {
        match self.tree.get(layout::key(HIDDEN, local_id.as_bytes()))? {
            Some(bytes) => Ok(codec::decode::<Vec<Url>>(&bytes)?),
            None => Ok(Vec::new()),
        }
    }

    /// Whether `reader` may read `activity`, one this actor published (as stored).
    pub fn may_read_published(&self, activity: &Value, reader: &Reader) -> Result<bool> {
        if is_public(activity) || matches!(reader, Reader::Owner | Reader::Admin) {
            return Ok(true);
        }
        if *reader == Reader::Anonymous {
            return Ok(false);
        }
        let prefix = format!("{}/activities/", self.iri());
        let local_id = activity
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| id.strip_prefix(&prefix));
        let mut hidden = match local_id {
            Some(local_id) => self.hidden_audience_of(local_id)?,
            None => Vec::new(),
        };
        // Older data stored the hidden audience inside the activity.
        hidden.extend(hidden_audience(activity));
        let followers = self.urls.actor_sub(&self.r, "followers");
        may_read(activity, &hidden, &followers, reader, |who| {
            Ok(self.follower(who)?.is_some())
        })
    }

    /// One published activity as served to `reader`: without `bto`/`bcc`, and NotFound (as for
    /// an unknown id) when `reader` may not read it.
    pub fn served_activity(&self, local_id: &str, reader: &Reader) -> Result<Value> {
        let activity = self.published_activity(local_id)?;
        if !self.may_read_published(&activity, reader)? {
            return Err(ActorError::NotFound(format!("activity {local_id}")));
        }
        Ok(stripped(&activity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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

    #[test]
    fn data_stored_before_reads_and_is_served_without_its_hidden_audience() {
        use crate::core::{create, ActorRecord, Env};
        use crate::kind::{ActorKind, ActorRef};
        use crate::storage::layout::{ACTIVITY, INBOX};
        use crate::storage::store::Store;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let bob = ActorRef::new(ActorKind::Person, "bob");
        let record = ActorRecord::generate(ActorKind::Person, "bob", None).unwrap();
        create(&store, &bob, &record).unwrap();
        let tree = store.keyspace(&bob).unwrap();
        // As older versions stored them: the hidden audience inside, inbox items inline.
        let published = json!({"id": "http://127.0.0.1:9/people/bob/activities/old",
            "type": "Create", "to": ["http://remote.example/dave"],
            "bcc": ["http://remote.example/carol"]});
        tree.insert(
            layout::key(ACTIVITY, b"old"),
            codec::encode(&published).unwrap(),
        )
        .unwrap();
        let received = json!({"id": "http://remote.example/n/1", "type": "Create",
            "bto": ["http://127.0.0.1:9/people/bob"], "content": "y".repeat(2000)});
        tree.insert(layout::seq_key(INBOX, 0), codec::encode(&received).unwrap())
            .unwrap();
        let env = Env {
            store: store.clone(),
            urls: crate::urls::Urls::new(url("http://127.0.0.1:9")),
            outbound: crate::outbound::Outbound::open(&store).unwrap(),
            repos: Default::default(),
            push_timeout: std::time::Duration::from_secs(60),
        };
        let core = ActorCore::load(&env, &bob).unwrap();
        let carol = Reader::Actor(url("http://remote.example/carol"));
        let served = core.served_activity("old", &carol).unwrap();
        assert!(served.get("bcc").is_none());
        assert_eq!(served["to"], published["to"]);
        let eve = Reader::Actor(url("http://remote.example/eve"));
        assert!(matches!(
            core.served_activity("old", &eve),
            Err(ActorError::NotFound(_))
        ));
        // A new item (a shared body) and the old inline one both read, without bto.
        let newer = json!({"id": "http://remote.example/n/2", "content": "z".repeat(2000)});
        let staged = core
            .stage_received(newer, "http://remote.example/n/2")
            .unwrap();
        block_on(store.committed(staged.ticket()));
        let items = core.inbox_items().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0]["id"], "http://remote.example/n/2");
        assert_eq!(items[1]["content"], received["content"]);
        let page = crate::collections::get(
            &core,
            &crate::messages::GetCollection {
                name: "inbox".into(),
                page: Some(1),
                reader: Reader::Owner,
            },
        )
        .unwrap();
        assert!(page["orderedItems"][1].get("bto").is_none());
    }

    fn block_on<F: std::future::Future<Output = Result<()>>>(f: F) {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
            .unwrap();
    }
}
