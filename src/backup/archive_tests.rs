use super::*;
use crate::backup::manifest::{Counts, FORMAT};

fn manifest() -> Manifest {
    Manifest {
        format: FORMAT,
        orchard_version: "0.1.0".into(),
        created: "2026-12-03T12:00:00Z".into(),
        snapshot_ms: 1,
        public_url: "https://forge.example/".into(),
        counts: Counts::default(),
        members: Default::default(),
    }
}

fn paths(file: &Path) -> Result<Vec<String>> {
    let mut seen = Vec::new();
    read(file, &mut |m: Member<'_>| {
        seen.push(m.path.to_string());
        Ok(())
    })?;
    Ok(seen)
}

/// An archive written by hand: the manifest as given, then `members` (path, content).
fn handmade(file: &Path, manifest: &Manifest, members: &[(&str, &[u8])]) {
    let gz = flate2::write::GzEncoder::new(File::create(file).unwrap(), Default::default());
    let mut tar = tar::Builder::new(gz);
    let json = serde_json::to_vec(manifest).unwrap();
    let mut h = header(json.len() as u64, 0o600, 0);
    tar.append_data(&mut h, manifest::NAME, json.as_slice())
        .unwrap();
    for (path, bytes) in members {
        let mut h = header(bytes.len() as u64, 0o600, 0);
        // `append_data` refuses `..`; the raw name goes in the header as a hostile writer would.
        h.as_old_mut().name[..path.len()].copy_from_slice(path.as_bytes());
        h.set_cksum();
        tar.append(&h, *bytes).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap();
}

#[test]
fn an_archive_reads_back_with_the_manifest_first_and_every_member_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let staging = tmp.path().join("s");
    std::fs::create_dir_all(staging.join("db")).unwrap();
    std::fs::create_dir_all(staging.join("repos/r.git/refs")).unwrap();
    std::fs::write(staging.join(manifest::DB_DUMP), b"dump").unwrap();
    std::fs::write(staging.join("repos/r.git/HEAD"), b"ref: refs/heads/main\n").unwrap();
    let file = tmp.path().join("a.tar.gz");
    let written = write(&staging, manifest(), &file).unwrap();
    assert_eq!(written.members.len(), 2);
    let mode = std::os::unix::fs::PermissionsExt::mode(&file.metadata().unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    let seen = paths(&file).unwrap();
    assert_eq!(seen, vec![manifest::DB_DUMP, "repos/r.git/HEAD"]);
}

#[test]
fn unsafe_unlisted_and_missing_members_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("bad.tar.gz");
    let sha = |b: &[u8]| hex(&Sha256::digest(b));
    let mut m = manifest();
    m.members.insert(manifest::DB_DUMP.into(), sha(b"dump"));
    m.members.insert("repos/../../evil".into(), sha(b"x"));
    handmade(
        &file,
        &m,
        &[(manifest::DB_DUMP, b"dump"), ("repos/../../evil", b"x")],
    );
    let e = paths(&file).unwrap_err().to_string();
    assert!(e.contains("unsafe path"), "{e}");
    m.members.remove("repos/../../evil");
    handmade(
        &file,
        &m,
        &[(manifest::DB_DUMP, b"dump"), ("repos/extra", b"x")],
    );
    let e = paths(&file).unwrap_err().to_string();
    assert!(e.contains("does not list"), "{e}");
    m.members.insert("repos/r.git/HEAD".into(), sha(b"x"));
    handmade(&file, &m, &[(manifest::DB_DUMP, b"dump")]);
    let e = paths(&file).unwrap_err().to_string();
    assert!(e.contains("repos/r.git/HEAD is missing"), "{e}");
    handmade(
        &file,
        &m,
        &[(manifest::DB_DUMP, b"dumb"), ("repos/r.git/HEAD", b"x")],
    );
    let e = paths(&file).unwrap_err().to_string();
    assert!(e.contains("does not match its checksum"), "{e}");
}
