use super::*;

fn filled(dir: &std::path::Path) -> Store {
    let store = Store::open(dir).unwrap();
    store.instance().insert(b"account\xffann", b"{}").unwrap();
    let queue = store.tree("delivery").unwrap();
    for i in 0..50u64 {
        queue.insert(i.to_be_bytes(), vec![i as u8; 100]).unwrap();
    }
    store
}

fn dump(store: &Store) -> (Vec<u8>, Summary) {
    let mut out = Vec::new();
    let summary = export(store, &mut out).unwrap();
    (out, summary)
}

#[test]
fn a_dump_imports_into_an_empty_store_with_the_same_content() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (bytes, summary) = dump(&filled(a.path()));
    assert!(summary.entries() >= 51);
    assert_eq!(verify(&mut bytes.as_slice()).unwrap(), summary);
    {
        let target = Store::open(b.path()).unwrap();
        assert_eq!(import(&target, &mut bytes.as_slice()).unwrap(), summary);
    }
    // Reopened (the integrity generation is the new store's own): the same dump again.
    let target = Store::open(b.path()).unwrap();
    assert_eq!(dump(&target).1, summary);
    let got = target.tree("delivery").unwrap().get(7u64.to_be_bytes());
    assert_eq!(got.unwrap(), Some(vec![7u8; 100]));
}

#[test]
fn a_changed_byte_or_a_cut_is_refused_before_the_tree_is_written() {
    let a = tempfile::tempdir().unwrap();
    let (bytes, _) = dump(&filled(a.path()));
    let target = Store::in_memory().unwrap();
    // A byte inside one value of the delivery tree.
    let at = bytes.windows(100).position(|w| w == [9u8; 100]).unwrap() + 50;
    let mut flipped = bytes.clone();
    flipped[at] ^= 0x01;
    let err = verify(&mut flipped.as_slice()).unwrap_err().to_string();
    assert!(err.contains("tree delivery does not match"), "{err}");
    assert!(import(&target, &mut flipped.as_slice()).is_err());
    assert!(
        target.tree("delivery").unwrap().is_empty(),
        "nothing written"
    );
    let cut = &bytes[..bytes.len() - 10];
    let err = verify(&mut &cut[..]).unwrap_err().to_string();
    assert!(err.contains("cut short"), "{err}");
    assert!(verify(&mut &b"not a dump at all"[..]).is_err());
}

#[test]
fn import_refuses_a_store_that_holds_data() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (bytes, _) = dump(&filled(a.path()));
    let target = Store::open(b.path()).unwrap();
    target.instance().insert(b"x", b"y").unwrap();
    let err = import(&target, &mut bytes.as_slice()).unwrap_err();
    assert!(err.to_string().contains("not empty"), "{err}");
}

#[test]
fn a_dump_under_freeze_is_one_point_in_time() {
    let store = Store::in_memory().unwrap();
    let tree = store.tree("t").unwrap();
    tree.insert(b"n", 0u64.to_be_bytes()).unwrap();
    let other = store.tree("u").unwrap();
    other.insert(b"n", 0u64.to_be_bytes()).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // A writer keeps two trees in step; a dump under the freeze sees them equal.
    let writer = {
        let (store, stop) = (store.clone(), stop.clone());
        std::thread::spawn(move || {
            let (t, u) = (store.tree("t").unwrap(), store.tree("u").unwrap());
            let mut i = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                i += 1;
                store
                    .transaction(&[&t, &u], |trees| {
                        trees[0].insert(b"n", &i.to_be_bytes())?;
                        trees[1].insert(b"n", &i.to_be_bytes())
                    })
                    .unwrap();
            }
        })
    };
    for _ in 0..20 {
        let frozen = store.freeze(std::time::Duration::from_secs(5)).unwrap();
        let (bytes, _) = dump(&store);
        drop(frozen);
        let copy = Store::in_memory().unwrap();
        import(&copy, &mut bytes.as_slice()).unwrap();
        let t = copy.tree("t").unwrap().get(b"n").unwrap();
        assert_eq!(t, copy.tree("u").unwrap().get(b"n").unwrap());
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
}
