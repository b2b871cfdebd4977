//! Checking the records of a database (`orchard check`): every actor of the actor index has a
//! record that parses, of its kind and id, whose private key parses; every account record
//! parses with a password hash in PHC form. Answers one problem per bad record, naming it.

use crate::actor::record::{record_key, ActorRecord};
use crate::base::error::Result;
use crate::base::keys::KeyPair;
use crate::base::kind::ActorRef;
use crate::data::account_record::AccountRecord;
use crate::storage::codec;
use crate::storage::layout::{self, ACCOUNT, ACTOR_INDEX};
use crate::storage::store::Store;

/// What the check found.
#[derive(Debug, Default)]
pub struct RecordsReport {
    /// Actors in the index.
    pub actors: usize,
    /// Accounts.
    pub accounts: usize,
    /// The repositories of the index (ids), for the caller's git checks.
    pub repositories: Vec<String>,
    /// One line per problem, naming the actor or account.
    pub problems: Vec<String>,
}

/// Why one actor's record is wrong, if it is.
fn actor_problem(store: &Store, r: &ActorRef) -> Option<String> {
    let bytes = match store.keyspace(r).and_then(|k| k.get(record_key())) {
        Ok(Some(b)) => b,
        Ok(None) => return Some("its record is missing".into()),
        Err(e) => return Some(format!("its record cannot be read: {e}")),
    };
    let record: ActorRecord = match codec::decode(&bytes) {
        Ok(r) => r,
        Err(e) => return Some(format!("its record does not parse: {e}")),
    };
    if record.kind != r.kind.as_type() || record.id != r.id {
        return Some(format!(
            "its record says it is {} {}",
            record.kind, record.id
        ));
    }
    KeyPair::from_pkcs8_pem(&record.private_key_pem)
        .err()
        .map(|e| format!("its private key does not parse: {e}"))
}

/// Checks every actor record and account record of `store`. Blocking (parses every key).
pub fn check(store: &Store) -> Result<RecordsReport> {
    let mut report = RecordsReport::default();
    let prefix = layout::prefix(ACTOR_INDEX);
    for entry in store.instance().scan_prefix(&prefix) {
        let (k, _) = entry?;
        let name = String::from_utf8_lossy(&k[prefix.len()..]).into_owned();
        report.actors += 1;
        let Some(r) = ActorRef::from_tree_name(&name) else {
            report
                .problems
                .push(format!("actor {name}: not a valid actor name in the index"));
            continue;
        };
        if let Some(why) = actor_problem(store, &r) {
            report.problems.push(format!("actor {name}: {why}"));
        }
        if r.kind == crate::base::kind::ActorKind::Repository {
            report.repositories.push(r.id);
        }
    }
    let prefix = layout::prefix(ACCOUNT);
    for entry in store.instance().scan_prefix(&prefix) {
        let (k, v) = entry?;
        let name = String::from_utf8_lossy(&k[prefix.len()..]).into_owned();
        report.accounts += 1;
        let why = match codec::decode::<AccountRecord>(&v) {
            Err(e) => Some(format!("its record does not parse: {e}")),
            Ok(a) if a.username != name => Some(format!("its record names {}", a.username)),
            Ok(a) => argon2::password_hash::PasswordHash::new(&a.password_hash)
                .err()
                .map(|e| format!("its password hash does not parse: {e}")),
        };
        if let Some(why) = why {
            report.problems.push(format!("account {name}: {why}"));
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::kind::ActorKind;

    #[test]
    fn a_broken_record_and_a_bad_key_are_named() {
        let store = Store::in_memory().unwrap();
        let good = ActorRef::new(ActorKind::Repository, "good");
        let record = ActorRecord::generate(ActorKind::Repository, "good", None).unwrap();
        crate::actor::record::create(&store, &good, &record).unwrap();
        let bad = ActorRef::new(ActorKind::Person, "bad");
        let mut broken = ActorRecord::generate(ActorKind::Person, "bad", None).unwrap();
        broken.private_key_pem =
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".into();
        crate::actor::record::create(&store, &bad, &broken).unwrap();
        let gone = ActorRef::new(ActorKind::Person, "gone");
        let rec = ActorRecord::generate(ActorKind::Person, "gone", None).unwrap();
        crate::actor::record::create(&store, &gone, &rec).unwrap();
        store
            .keyspace(&gone)
            .unwrap()
            .insert(record_key(), b"{not json")
            .unwrap();
        let report = check(&store).unwrap();
        assert_eq!(report.actors, 3);
        assert_eq!(report.repositories, vec!["good".to_string()]);
        assert_eq!(report.problems.len(), 2, "{:?}", report.problems);
        assert!(report.problems[0].starts_with("actor person/bad: its private key"));
        assert!(report.problems[1].starts_with("actor person/gone: its record does not parse"));
    }
}
