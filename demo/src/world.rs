//! The demo's world: the three instances, the people registered on them, and the client
//! actions the steps are made of — register and log in, post to an outbox, and wait for
//! something to appear in an inbox, a `grants` collection or any other collection.

use crate::http::{wait_for, Http, Look};
use crate::instances::Spec;
use crate::report::{brief, Failure, Outcome};
use serde_json::{json, Value};
use std::path::PathBuf;

/// The password of every demo account.
pub const PASSWORD: &str = "orchard-demo";

/// Everything the steps share.
pub struct World {
    pub http: Http,
    /// The run directory: logs, data, keys, work trees.
    pub run: PathBuf,
    pub fig: Spec,
    pub grape: Spec,
    pub walnut: Spec,
}

/// A registered, logged-in person.
pub struct Person {
    pub name: String,
    /// The name of their home instance.
    pub home: String,
    pub iri: String,
    pub token: String,
    /// Their home instance's SSH port.
    pub ssh_port: u16,
}

impl Person {
    /// `alice@fig`.
    pub fn handle(&self) -> String {
        format!("{}@{}", self.name, self.home)
    }

    pub fn url(&self, collection: &str) -> String {
        format!("{}/{collection}", self.iri)
    }
}

/// A resource and the Grant its holder invokes on it.
pub struct Held {
    pub iri: String,
    pub grant: String,
}

/// The `id` of a JSON document (or of the IRI it is).
pub fn id_of(v: &Value) -> &str {
    v.as_str().or_else(|| v["id"].as_str()).unwrap_or_default()
}

impl World {
    /// Registers `name` on `inst` and logs in.
    pub async fn register(&self, inst: &Spec, name: &str) -> Outcome<Person> {
        let body = json!({"username": name, "password": PASSWORD});
        let url = format!("{}/api/v1/register", inst.url);
        let a = self.http.post(&url, None, &body).await?;
        let iri = a.body["id"].as_str().unwrap_or_default().to_string();
        if a.status != 201 || iri.is_empty() {
            let seen = format!("{} {}", a.status, brief(&a.body));
            return Err(Failure::new(format!("POST {url}"), "201 with the id", seen));
        }
        let mut person = self.login(inst, name).await?;
        person.iri = iri;
        Ok(person)
    }

    /// Logs `name` in on `inst` (an account that exists).
    pub async fn login(&self, inst: &Spec, name: &str) -> Outcome<Person> {
        let body = json!({"username": name, "password": PASSWORD});
        let url = format!("{}/api/v1/login", inst.url);
        let a = self.http.post(&url, None, &body).await?;
        let token = a.body["token"].as_str().unwrap_or_default().to_string();
        if a.status != 200 || token.is_empty() {
            let seen = format!("{} {}", a.status, brief(&a.body));
            return Err(Failure::new(
                format!("POST {url}"),
                "200 with a token",
                seen,
            ));
        }
        Ok(Person {
            name: name.to_string(),
            home: inst.name.clone(),
            iri: format!("{}/people/{name}", inst.url),
            token,
            ssh_port: inst.ssh.port(),
        })
    }

    /// `who` posts `activity` to their outbox; answers the new activity's id.
    pub async fn send(&self, who: &Person, activity: &Value) -> Outcome<String> {
        let url = who.url("outbox");
        let a = self.http.post(&url, Some(&who.token), activity).await?;
        let id = a.body["id"].as_str().unwrap_or_default().to_string();
        if a.status != 201 || id.is_empty() {
            return Err(Failure::new(
                format!("{} posts {} to {url}", who.handle(), brief(activity)),
                "201 with the activity's id",
                format!("{} {}", a.status, brief(&a.body)),
            ));
        }
        Ok(id)
    }

    /// Waits until `collection` (read with `who`'s token if given) has an item matching `pred`.
    pub async fn find(
        &self,
        collection: &str,
        who: Option<&Person>,
        expected: &str,
        pred: impl Fn(&Value) -> bool,
    ) -> Outcome<Value> {
        let token = who.map(|p| p.token.as_str());
        let what = format!("GET {collection}");
        wait_for(&what, expected, async || {
            let items = self.http.items(collection, token).await?;
            Ok(match items.iter().find(|v| pred(v)) {
                Some(v) => Look::Found(v.clone()),
                None => Look::NotYet(format!("{} items: {}", items.len(), summary(&items))),
            })
        })
        .await
    }

    /// Waits for an item of `who`'s inbox matching `pred`.
    pub async fn in_inbox(
        &self,
        who: &Person,
        expected: &str,
        pred: impl Fn(&Value) -> bool,
    ) -> Outcome<Value> {
        self.find(&who.url("inbox"), Some(who), expected, pred)
            .await
    }

    /// Waits for `from`'s Accept (or Reject) of the activity `id` in `who`'s inbox and fails
    /// on a Reject, with its reason.
    pub async fn accepted(&self, who: &Person, from: &str, id: &str) -> Outcome<Value> {
        let expected = format!("an Accept or Reject by {from} of {id}");
        let answer = self
            .in_inbox(who, &expected, |v| {
                v["actor"] == from
                    && (v["type"] == "Accept" || v["type"] == "Reject")
                    && id_of(&v["object"]) == id
            })
            .await?;
        if answer["type"] != "Accept" {
            return Err(Failure::new(
                format!("{from} accepts {id}"),
                "an Accept",
                format!("{} {}", answer["type"], brief(&answer["summary"])),
            ));
        }
        Ok(answer)
    }

    /// Waits for an active Grant in `who`'s `grants` collection matching `pred`.
    pub async fn grant(
        &self,
        who: &Person,
        expected: &str,
        pred: impl Fn(&Value) -> bool,
    ) -> Outcome<Value> {
        let grants = who.url("grants");
        self.find(&grants, None, expected, |g| {
            g["type"] == "Grant" && g["state"] == "active" && pred(g)
        })
        .await
    }

    /// Waits until `collection` lists the IRI `iri`.
    pub async fn lists(&self, collection: &str, iri: &str) -> Outcome<()> {
        let expected = format!("{iri} listed");
        self.find(collection, None, &expected, |v| id_of(v) == iri)
            .await
            .map(|_| ())
    }
}

/// A one-line description of collection items: their types, or the IRIs themselves.
fn summary(items: &[Value]) -> String {
    let parts: Vec<String> = items
        .iter()
        .take(12)
        .map(|v| match v.as_str() {
            Some(iri) => iri.to_string(),
            None => format!("{} {}", v["type"].as_str().unwrap_or("?"), id_of(v)),
        })
        .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        format!("[{}]", parts.join(", "))
    }
}
