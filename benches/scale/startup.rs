//! Start-up of the scale benchmark's data directory: opening sled alone, `Store::open`, and a
//! whole server until GET /nodeinfo/2.1 answers, each timed (medians of several starts).

use crate::util::http_get_status;
use std::path::Path;
use std::time::{Duration, Instant};

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Start-up: opening sled alone, `Store::open`, and a whole server until it answers; medians.
pub fn startup(dir: &Path, starts: usize) -> (Duration, Duration, Duration) {
    let db = dir.join("data/db");
    // First start creates the instance key and SSH host key: not counted.
    let _ = server_start(dir);
    let (mut raw, mut store, mut server) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..starts {
        let (d, took) = timed_open(|| sled::Config::new().path(&db).open());
        raw.push(took);
        drop(d);
        let (st, took) = timed_open(|| actors::Store::open(&db));
        store.push(took);
        drop(st);
        server.push(server_start(dir));
    }
    let (raw, store, server) = (median(raw), median(store), median(server));
    println!(
        "start-up (median of {starts}): sled open {:.0} ms, Store::open {:.0} ms, server until \
         /nodeinfo/2.1 answers {:.0} ms",
        ms(raw),
        ms(store),
        ms(server)
    );
    (raw, store, server)
}

/// Runs `open` until it stops failing (sled's lock may be released a moment after a server
/// stopped; up to 10 s); answers the value and the time of the successful attempt only.
fn timed_open<T, E: std::fmt::Debug>(open: impl Fn() -> Result<T, E>) -> (T, Duration) {
    let first = Instant::now();
    loop {
        let t = Instant::now();
        match open() {
            Ok(v) => {
                let took = t.elapsed();
                if first.elapsed() - took > Duration::from_millis(5) {
                    println!(
                        "  (the database was still locked for {:.0} ms)",
                        ms(first.elapsed() - took)
                    );
                }
                return (v, took);
            }
            Err(e) => {
                assert!(
                    first.elapsed() < Duration::from_secs(10),
                    "cannot open: {e:?}"
                );
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }
}

/// Starts a server on the data directory, waits until GET /nodeinfo/2.1 answers 200, stops it.
/// Answers the time from `RunningServer::spawn` to the first 200.
fn server_start(dir: &Path) -> Duration {
    let first = Instant::now();
    loop {
        let http = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let ssh = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = http.local_addr().unwrap();
        let text = format!(
            "public_url = \"http://{addr}\"\n[http]\nbind = \"{addr}\"\n[ssh]\nbind = \"{}\"\n\
             [storage]\npath = \"{}\"\nrepos = \"{}\"\n",
            ssh.local_addr().unwrap(),
            dir.join("data/db").display(),
            dir.join("data/repos").display()
        );
        let settings = orchard::Settings::parse(&text, "bench.toml").expect("settings");
        let t = Instant::now();
        let server = match orchard::RunningServer::spawn(settings, orchard::Listeners { http, ssh })
        {
            Ok(s) => s,
            // The previous instance may hold sled's lock a moment after it stopped.
            Err(e) if first.elapsed() < Duration::from_secs(10) => {
                let _ = e;
                std::thread::sleep(Duration::from_millis(5));
                continue;
            }
            Err(e) => panic!("the server does not start: {e}"),
        };
        if first.elapsed() - t.elapsed() > Duration::from_millis(5) {
            println!(
                "  (the database was still locked for {:.0} ms)",
                ms(first.elapsed() - t.elapsed())
            );
        }
        loop {
            if http_get_status(addr, "/nodeinfo/2.1") == 200 {
                break;
            }
            assert!(
                t.elapsed() < Duration::from_secs(600),
                "no answer from the server"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        let took = t.elapsed();
        server.stop().expect("server stops");
        return took;
    }
}
