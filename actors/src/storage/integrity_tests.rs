//! Tests of `integrity`: each way of damaging the files is refused at open; a fresh directory,
//! a clean reopen and a reopen after a crash are not.
use super::*;
use crate::storage::store::Store;
use std::io::{Seek, SeekFrom, Write};

/// A database with some data, closed cleanly; answers its directory.
fn filled() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    for i in 0..3000u32 {
        let value = format!("{{\"n\":{i},\"pad\":\"{}\"}}", "x".repeat(200));
        store
            .instance()
            .insert(
                crate::storage::layout::key("account", format!("user{i}").as_bytes()),
                value.as_bytes(),
            )
            .unwrap();
    }
    store.flush_blocking().unwrap();
    drop(store);
    dir
}

fn data_file(dir: &Path) -> PathBuf {
    dir.join("db")
}

fn refused(dir: &Path, what: &str) -> String {
    match Store::open(dir) {
        Ok(_) => panic!("a damaged database was opened: {what}"),
        Err(e @ ActorError::Damaged { .. }) => e.to_string(),
        Err(e) => panic!("not reported as damaged: {e}"),
    }
}

fn truncate_to(dir: &Path, percent: u64) {
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(data_file(dir))
        .unwrap();
    let len = f.metadata().unwrap().len();
    f.set_len(len * percent / 100).unwrap();
}

fn scribble(dir: &Path, at_percent: u64) {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(data_file(dir))
        .unwrap();
    let len = f.metadata().unwrap().len();
    f.seek(SeekFrom::Start(len * at_percent / 100)).unwrap();
    let mut noise = vec![0u8; 4096];
    // Seeded: the same noise on every run.
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(13);
    rand::RngCore::fill_bytes(&mut rng, &mut noise);
    f.write_all(&noise).unwrap();
    f.sync_all().unwrap();
}

/// One way of damaging a database directory.
type Damage = Box<dyn Fn(&Path)>;

#[test]
fn every_kind_of_damage_is_refused_with_the_path_and_what_to_do() {
    let cases: Vec<(&str, Damage)> = vec![
        ("truncated to 50 %", Box::new(|d| truncate_to(d, 50))),
        ("truncated to 90 %", Box::new(|d| truncate_to(d, 90))),
        ("truncated to 0 bytes", Box::new(|d| truncate_to(d, 0))),
        ("4 KiB of noise inside", Box::new(|d| scribble(d, 40))),
        ("4 KiB of noise at the start", Box::new(|d| scribble(d, 0))),
        (
            "data file deleted",
            Box::new(|d| std::fs::remove_file(data_file(d)).unwrap()),
        ),
    ];
    for (what, damage) in cases {
        let dir = filled();
        damage(dir.path());
        let e = refused(dir.path(), what);
        assert!(e.contains(&dir.path().display().to_string()), "{what}: {e}");
        assert!(e.contains("restore") && e.contains("backup"), "{what}: {e}");
    }
}

#[test]
fn fresh_clean_and_crashed_databases_open() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).expect("an empty directory opens"));
    let dir = filled();
    let store = Store::open(dir.path()).expect("a cleanly closed database opens");
    assert_eq!(store.instance().scan_prefix(b"account\xff").count(), 3000);
    store.instance().insert(b"account\xffafter", b"1").unwrap();
    store.flush_blocking().unwrap();
    // A crash: the files as they are while the store is open (the clean close never ran).
    let crashed = tempfile::tempdir().unwrap();
    copy_dir(dir.path(), crashed.path());
    drop(store);
    let store = Store::open(crashed.path()).expect("a database after a crash opens");
    assert!(store.instance().contains_key(b"account\xffafter").unwrap());
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_crash_between_the_generation_and_the_marker_write_is_not_damage() {
    let dir = filled();
    // A clean close whose marker write never happened: the database holds generation G, the
    // marker still says G - 1 and not clean (as the open before it left it).
    let clean = read_marker(dir.path()).unwrap().unwrap();
    let behind = |by: u64| Marker {
        generation: clean.generation - by,
        clean: false,
        checksum: None,
    };
    write_marker(dir.path(), &behind(1)).unwrap();
    let store = Store::open(dir.path()).expect("one generation ahead of the marker opens");
    assert_eq!(store.instance().scan_prefix(b"account\xff").count(), 3000);
    drop(store);
    // Two generations behind is not one lost marker write: refused (writes went missing).
    let clean = read_marker(dir.path()).unwrap().unwrap();
    write_marker(
        dir.path(),
        &Marker {
            generation: clean.generation - 2,
            clean: false,
            checksum: None,
        },
    )
    .unwrap();
    refused(dir.path(), "a marker two generations behind");
}

#[test]
fn the_generation_lives_in_the_instance_tree() {
    assert_eq!(INSTANCE_TREE, crate::storage::layout::INSTANCE_TREE);
}
