//! `orchard-demo`: starts three Orchard instances — fig, grape and walnut — on loopback and
//! plays a narrated scenario across them over real HTTP and real git over SSH, checking the
//! effect of every step. Exits 0 only when every check held. `demo/run.sh` builds and runs it:
//!
//! ```text
//! orchard-demo --orchard target/debug/orchard --run-dir /tmp/x [--settings-dir demo] [--keep]
//! ```

mod fork;
mod git;
mod http;
mod instances;
mod merge;
mod patches;
mod push_activity;
mod pushes;
mod repo;
mod report;
mod scenario;
mod social;
mod steps;
mod world;

use instances::{Running, Spec};
use report::{Failure, Narrator, Outcome};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: orchard-demo --orchard PATH --run-dir DIR [--settings-dir DIR] [--keep]

  --orchard PATH       the orchard server binary (e.g. target/debug/orchard)
  --run-dir DIR        an empty directory for the instances' data, logs, keys and work trees
  --settings-dir DIR   where fig.toml, grape.toml and walnut.toml are (default: the demo/ sources)
  --keep               leave the instances running at the end (and after a failure)";

/// The instances, in the order they start.
const NAMES: [&str; 3] = ["fig", "grape", "walnut"];

struct Args {
    orchard: PathBuf,
    run: PathBuf,
    settings: PathBuf,
    keep: bool,
}

fn parse_args() -> Result<Args, String> {
    let (mut orchard, mut run, mut settings, mut keep) = (None, None, None, false);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--orchard" => orchard = Some(PathBuf::from(value("--orchard")?)),
            "--run-dir" => run = Some(PathBuf::from(value("--run-dir")?)),
            "--settings-dir" => settings = Some(PathBuf::from(value("--settings-dir")?)),
            "--keep" => keep = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let settings = settings.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let absolute = |p: PathBuf, what: &str| {
        std::fs::canonicalize(&p).map_err(|e| format!("{what} {}: {e}", p.display()))
    };
    Ok(Args {
        orchard: absolute(orchard.ok_or("--orchard is required")?, "--orchard")?,
        run: absolute(run.ok_or("--run-dir is required")?, "--run-dir")?,
        settings: absolute(settings, "--settings-dir")?,
        keep,
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("orchard-demo: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    println!("== Orchard demo: three federated instances on loopback");
    println!("   run directory: {}", args.run.display());
    let mut n = Narrator::new(scenario::STEPS);
    let mut running = Vec::new();
    let result = run(&mut n, &args, &mut running).await;
    match &result {
        Ok(()) => n.summary(),
        Err(f) => n.failed(f),
    }
    println!();
    if args.keep && !running.is_empty() {
        keep(&running, &args.run);
    } else if !running.is_empty() {
        println!("== Stopping the instances (SIGTERM)");
        for line in instances::stop(running).await {
            println!("  {line}");
        }
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}

/// Step 1 (start the instances), then the scenario.
async fn run(n: &mut Narrator, args: &Args, running: &mut Vec<Running>) -> Outcome<()> {
    n.step("Start fig, grape and walnut on loopback");
    let mut specs = Vec::new();
    for name in NAMES {
        let spec = Spec::read(&args.settings, name)?;
        spec.check_ports_free()?;
        n.verified(format!(
            "{name}: HTTP port {} and SSH port {} are free (from {})",
            spec.http.port(),
            spec.ssh.port(),
            spec.settings.display()
        ));
        specs.push(spec);
    }
    let http = http::Http::new()?;
    create_admins(n, args, &specs)?;
    for spec in &specs {
        n.action(format!(
            "{} serve --settings {}   (log: logs/{}.log)",
            args.orchard.display(),
            spec.settings.display(),
            spec.name
        ));
        running.push(instances::start(&args.orchard, spec, &args.run)?);
    }
    for inst in running.iter_mut() {
        let software = instances::wait_ready(&http, inst).await?;
        n.verified(format!(
            "{} answers at {} (NodeInfo: {software}) and listens for SSH on {}",
            inst.spec.name, inst.spec.url, inst.spec.ssh
        ));
    }
    let mut it = specs.into_iter();
    let (Some(fig), Some(grape), Some(walnut)) = (it.next(), it.next(), it.next()) else {
        return Err(Failure::new(
            "read the settings",
            "three instances",
            "fewer",
        ));
    };
    let world = world::World {
        http,
        run: args.run.clone(),
        fig,
        grape,
        walnut,
    };
    scenario::play(n, &world).await
}

/// fig and grape list admin in factory_creators: the operator creates the account before they
/// start (registering the name over the API is refused).
fn create_admins(n: &mut Narrator, args: &Args, specs: &[Spec]) -> Outcome<()> {
    for spec in specs.iter().filter(|s| s.name != "walnut") {
        n.action(format!(
            "{} admin create-account admin --settings {} --password-file {}-admin.password",
            args.orchard.display(),
            spec.settings.display(),
            spec.name
        ));
        let line =
            instances::create_account(&args.orchard, spec, &args.run, "admin", world::PASSWORD)?;
        n.verified(format!(
            "the operator created {}'s admin: {line}",
            spec.name
        ));
    }
    Ok(())
}

/// Prints how to use and stop instances left running with `--keep`.
fn keep(running: &[Running], run: &Path) {
    println!("== The instances keep running (--keep):");
    for inst in running {
        println!(
            "  {:<7} {}   ssh -p {}   pid {}   log {}",
            inst.spec.name,
            inst.spec.url,
            inst.spec.ssh.port(),
            inst.pid(),
            inst.log.display()
        );
    }
    println!(
        "  accounts: admin and alice on fig, admin and bob on grape, carol on walnut; password {:?}",
        world::PASSWORD
    );
    println!("  SSH keys: {}/keys", run.display());
    let pids: Vec<String> = running.iter().map(|i| i.pid().to_string()).collect();
    println!("  stop them with: kill {}", pids.join(" "));
}
