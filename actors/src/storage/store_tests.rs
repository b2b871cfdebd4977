//! Tests of `store`: sequences, reopening, the file lock, transactions in both engines.
use super::*;
use crate::base::kind::ActorKind;
use crate::storage::layout::{INBOX, OUTBOX};

#[test]
fn append_keeps_order_and_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let r = ActorRef::new(ActorKind::Person, "alice");
    {
        let store = Store::open(dir.path()).unwrap();
        let tree = store.keyspace(&r).unwrap();
        assert_eq!(append(&tree, INBOX, b"a").unwrap(), 0);
        assert_eq!(append(&tree, INBOX, b"b").unwrap(), 1);
        append(&tree, OUTBOX, b"o").unwrap();
        store.flush_blocking().unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    let tree = store.keyspace(&r).unwrap();
    assert_eq!(append(&tree, INBOX, b"c").unwrap(), 2);
    assert_eq!(count(&tree, INBOX), 3);
    assert_eq!(count(&tree, OUTBOX), 1);
}

#[test]
fn opening_waits_for_a_store_being_closed_and_names_a_store_held_open() {
    let dir = tempfile::tempdir().unwrap();
    let first = Store::open(dir.path()).unwrap();
    let closing = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        drop(first);
    });
    let second = Store::open(dir.path()).expect("opens once the first store is closed");
    closing.join().unwrap();
    let err = match Store::open(dir.path()) {
        Ok(_) => panic!("a store held open cannot be opened twice"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("another Orchard process"), "{err}");
    drop(second);
}

#[test]
fn transactions_commit_all_or_nothing_in_both_engines() {
    let dir = tempfile::tempdir().unwrap();
    for store in [
        Store::open(dir.path()).unwrap(),
        Store::in_memory().unwrap(),
    ] {
        let (a, b) = (store.instance().clone(), store.tree("delivery").unwrap());
        let aborted = store.transaction(&[&a, &b], |t| {
            t[0].insert(b"x", b"1")?;
            t[1].insert(b"y", b"1")?;
            Err::<(), _>(ActorError::Conflict("no".into()).into())
        });
        assert!(matches!(aborted, Err(ActorError::Conflict(_))));
        assert!(a.get(b"x").unwrap().is_none() && b.get(b"y").unwrap().is_none());
        let seen = store
            .transaction(&[&a, &b], |t| {
                t[0].insert(b"x", b"1")?;
                t[1].remove(b"y")?;
                t[0].get(b"x")
            })
            .unwrap();
        assert_eq!(seen.as_deref(), Some(&b"1"[..]));
        assert_eq!(a.get(b"x").unwrap().as_deref(), Some(&b"1"[..]));
    }
}
