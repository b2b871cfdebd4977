//! Section 2 of the push benchmark: concurrent pushes to one repository against their serial
//! sum; for context, the same to many repositories and to a `file://` repository.

use crate::history::{init_bare, timed};
use crate::setup::{Bench, Sizes};
use crate::util::{median, ms, push_many, spread};
use std::path::PathBuf;
use std::time::Duration;

/// Section 2: concurrent pushes to one repository vs their serial sum. Prints the section;
/// answers the median ratio.
pub async fn one_repository(b: &Bench, z: &Sizes) -> f64 {
    let (conc, conc_reps, local, ssh) = (z.conc, z.conc_reps, &b.local, &b.ssh);
    println!();
    println!(
        "## 2. {conc} pushes of one {} KiB commit each ({conc_reps} repetitions, medians)",
        z.branch_kb
    );
    let mut one_ratio = Vec::new();
    let (mut one_serial, mut one_conc) = (Vec::new(), Vec::new());
    for rep in 0..conc_reps {
        let serial_repo = b.forge.create_repo(&format!("serial {rep}")).await;
        let conc_repo = b.forge.create_repo(&format!("concurrent {rep}")).await;
        for r in [&serial_repo, &conc_repo] {
            timed(
                local,
                &["push", "-q", &b.forge.ssh_url(r), "base"],
                Some(ssh),
            );
        }
        let url_s = |_: usize| b.forge.ssh_url(&serial_repo);
        let url_c = |_: usize| b.forge.ssh_url(&conc_repo);
        let (_, sum) = push_many(local, conc, &url_s, Some(ssh), false);
        let (wall, _) = push_many(local, conc, &url_c, Some(ssh), true);
        one_serial.push(sum);
        one_conc.push(wall);
        one_ratio.push(Duration::from_secs_f64(
            wall.as_secs_f64() / sum.as_secs_f64(),
        ));
    }
    let ratio = median(&one_ratio).as_secs_f64();
    println!(
        "one repository, serial sum            {:>8.0} ms   ({})",
        ms(median(&one_serial)),
        spread(&one_serial)
    );
    println!("one repository, {conc} at once (wall)     {:>8.0} ms   ({})   ratio {ratio:.2}x  (goal <= 1.2x)",
             ms(median(&one_conc)), spread(&one_conc));
    ratio
}

/// Context: the same pushes to `conc` different repositories, serial and all at once.
pub async fn many_repositories(b: &Bench, z: &Sizes) {
    let (conc, local, ssh) = (z.conc, &b.local, &b.ssh);
    let mut many_s = Vec::new();
    let mut many_c = Vec::new();
    for i in 0..conc {
        many_s.push(b.forge.create_repo(&format!("many serial {i}")).await);
        many_c.push(b.forge.create_repo(&format!("many concurrent {i}")).await);
    }
    for r in many_s.iter().chain(many_c.iter()) {
        timed(
            local,
            &["push", "-q", &b.forge.ssh_url(r), "base"],
            Some(ssh),
        );
    }
    let url_ms = |i: usize| b.forge.ssh_url(&many_s[i]);
    let url_mc = |i: usize| b.forge.ssh_url(&many_c[i]);
    let (_, sum_many) = push_many(local, conc, &url_ms, Some(ssh), false);
    let (wall_many, _) = push_many(local, conc, &url_mc, Some(ssh), true);
    println!(
        "{conc} repositories, serial sum         {:>8.0} ms",
        ms(sum_many)
    );
    println!(
        "{conc} repositories, all at once (wall) {:>8.0} ms   ratio {:.2}x",
        ms(wall_many),
        wall_many.as_secs_f64() / sum_many.as_secs_f64()
    );
}

/// Context: git's own file:// receive-pack, one repository, serial and all at once.
pub fn file_repository(b: &Bench, z: &Sizes) {
    let (conc, local) = (z.conc, &b.local);
    let mk = |name: &str| -> PathBuf {
        let p = b.files.join(name);
        init_bare(&p);
        timed(
            local,
            &["push", "-q", &format!("file://{}", p.display()), "base"],
            None,
        );
        p
    };
    let (fs_repo, fc_repo) = (mk("conc-serial.git"), mk("conc-concurrent.git"));
    let url_fs = |_: usize| format!("file://{}", fs_repo.display());
    let url_fc = |_: usize| format!("file://{}", fc_repo.display());
    let (_, sum_f) = push_many(local, conc, &url_fs, None, false);
    let (wall_f, _) = push_many(local, conc, &url_fc, None, true);
    println!(
        "file:// one repository, serial sum    {:>8.0} ms",
        ms(sum_f)
    );
    println!(
        "file:// one repository, at once       {:>8.0} ms   ratio {:.2}x",
        ms(wall_f),
        wall_f.as_secs_f64() / sum_f.as_secs_f64()
    );
}
