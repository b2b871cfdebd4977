//! Sections 0 and 1 of the push benchmark: a session that moves (almost) no data (`git
//! ls-remote`), and one push of the whole history, `file://` against Orchard over SSH (with the
//! client's default cipher and the extra ciphers asked for), interleaved, to fresh repositories.

use crate::history::{init_bare, timed};
use crate::setup::{Bench, Sizes};
use crate::util::{median, ms, spread};
use std::time::Duration;

/// Section 0: the cost of a session that moves (almost) no data: `git ls-remote`.
pub fn ls_remote(b: &Bench, z: &Sizes) {
    let (mut lf, mut ls) = (Vec::new(), Vec::new());
    let warm_file = format!("file://{}", b.files.join("warm.git").display());
    for _ in 0..z.reps.max(5) {
        lf.push(timed(&b.local, &["ls-remote", &warm_file], None));
        ls.push(timed(
            &b.local,
            &["ls-remote", &b.forge.ssh_url(&b.warm)],
            Some(&b.ssh),
        ));
    }
    println!();
    println!("## 0. git ls-remote (one session, no pack; medians)");
    println!(
        "file://       {:>8.1} ms   ({})",
        ms(median(&lf)),
        spread(&lf)
    );
    println!(
        "Orchard SSH   {:>8.1} ms   ({})",
        ms(median(&ls)),
        spread(&ls)
    );
}

/// The times of section 1's pushes, and the repositories pushed to over SSH.
struct Single {
    file_t: Vec<Duration>,
    ssh_t: Vec<Duration>,
    cipher_t: Vec<Vec<Duration>>,
    ssh_paths: Vec<String>,
}

/// Section 1: one push of the history, file:// vs Orchard over SSH, interleaved, to fresh
/// repositories. Prints the section; answers the medians (file://, Orchard SSH).
pub async fn one_push(b: &Bench, z: &Sizes) -> (Duration, Duration) {
    let t = pushes(b, z).await;
    let mut server_ms = Vec::new();
    for p in &t.ssh_paths {
        server_ms.extend(b.forge.push_durations(p).await);
    }
    server_ms.sort();
    let (f, s) = (median(&t.file_t), median(&t.ssh_t));
    println!();
    println!(
        "## 1. push of the {} MiB history ({} repetitions, medians)",
        z.mb, z.reps
    );
    println!(
        "file:// (git receive-pack, no SSH)   {:>8.0} ms   ({})",
        ms(f),
        spread(&t.file_t)
    );
    println!(
        "Orchard SSH (client default cipher)  {:>8.0} ms   ({})   ratio {:.2}x  (goal <= 1.3x)",
        ms(s),
        spread(&t.ssh_t),
        ms(s) / ms(f)
    );
    println!(
        "  of which inside the Repository actor (push log, median): {} ms",
        server_ms.get(server_ms.len() / 2).copied().unwrap_or(0)
    );
    for (c, cipher) in z.ciphers.iter().enumerate() {
        let m = median(&t.cipher_t[c]);
        println!(
            "Orchard SSH (-c {cipher})  {:>8.0} ms   ({})   ratio {:.2}x",
            ms(m),
            spread(&t.cipher_t[c]),
            ms(m) / ms(f)
        );
    }
    (f, s)
}

/// Section 1's pushes: each repetition to a fresh file:// repository, a fresh Orchard one, and
/// one more per extra cipher.
async fn pushes(b: &Bench, z: &Sizes) -> Single {
    let (reps, ciphers) = (z.reps, &z.ciphers);
    let mut repos = Vec::new();
    for i in 0..reps * (1 + ciphers.len()) {
        repos.push(b.forge.create_repo(&format!("single {i}")).await);
    }
    let mut repos = repos.into_iter();
    println!(
        "(section 1: {} repositories created; pushing)",
        reps * (1 + ciphers.len())
    );
    let mut t = Single {
        file_t: Vec::new(),
        ssh_t: Vec::new(),
        cipher_t: vec![Vec::new(); ciphers.len()],
        ssh_paths: Vec::new(),
    };
    for rep in 0..reps {
        let bare = b.files.join(format!("single-{rep}.git"));
        init_bare(&bare);
        t.file_t.push(timed(
            &b.local,
            &["push", "-q", &format!("file://{}", bare.display()), "main"],
            None,
        ));
        let path = repos.next().unwrap();
        t.ssh_t.push(timed(
            &b.local,
            &["push", "-q", &b.forge.ssh_url(&path), "main"],
            Some(&b.ssh),
        ));
        t.ssh_paths.push(path);
        for (c, cipher) in ciphers.iter().enumerate() {
            let path = repos.next().unwrap();
            let cmd = b.forge.ssh_command(&format!("-c {cipher}"));
            t.cipher_t[c].push(timed(
                &b.local,
                &["push", "-q", &b.forge.ssh_url(&path), "main"],
                Some(&cmd),
            ));
        }
    }
    t
}
