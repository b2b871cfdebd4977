//! One running instance of the harness: started in this process on port-0 listeners with a
//! temporary data directory (operator accounts created first if asked), restarted and stopped.

use super::settings::settings_text;
use orchard::{Listeners, RunningServer, Settings};
use std::net::TcpListener;
use std::path::PathBuf;

/// One running instance.
pub struct Instance {
    /// Declared first so it is dropped first: the server stops (and closes its store) before
    /// its data directory is deleted.
    server: Option<RunningServer>,
    pub name: String,
    pub url: String,
    pub port: u16,
    pub ssh_port: u16,
    pub dir: tempfile::TempDir,
    pub extra_settings: String,
}

impl Instance {
    /// Starts an instance with default settings plus `extra` TOML (whole sections).
    pub async fn start(name: &str, extra: &str) -> Instance {
        Instance::start_with_accounts(name, extra, &[]).await
    }

    /// Like `start`, but first creates the accounts `operator_accounts` (password "correct
    /// horse") the operator's way, with `orchard admin create-account`'s library function on
    /// the data directory before the instance boots: how names listed in `[accounts] admins`
    /// or `factory_creators` get their account.
    pub async fn start_with_accounts(
        name: &str,
        extra: &str,
        operator_accounts: &[&str],
    ) -> Instance {
        Instance::start_in(name, extra, operator_accounts, None).await
    }

    /// Like `start_with_accounts`, with the data directory created inside `parent` (e.g. a
    /// small filesystem) instead of the system's temporary directory.
    pub async fn start_in(
        name: &str,
        extra: &str,
        operator_accounts: &[&str],
        parent: Option<&std::path::Path>,
    ) -> Instance {
        // Logs for debugging a test: RUST_LOG=orchard=debug,actors=debug cargo test ...
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
        let dir = match parent {
            Some(p) => tempfile::tempdir_in(p),
            None => tempfile::tempdir(),
        }
        .expect("tempdir");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let ssh_listener = TcpListener::bind("127.0.0.1:0").expect("bind ssh");
        let ssh_port = ssh_listener.local_addr().expect("addr").port();
        let url = format!("http://127.0.0.1:{port}");
        let mut inst = Instance {
            name: name.to_string(),
            url,
            port,
            ssh_port,
            dir,
            extra_settings: extra.to_string(),
            server: None,
        };
        let settings = inst.settings();
        for username in operator_accounts {
            orchard::cli::admin::create_account(&settings, username, "correct horse")
                .await
                .expect("the operator creates the account");
        }
        inst.boot(listener, ssh_listener).await;
        inst
    }

    /// Starts an instance on an existing data directory `dir` (`db` and `repos` inside, as
    /// `orchard restore` writes them) on the given ports: the same public URL as the instance
    /// whose data it is, once that one stopped.
    pub async fn start_on(
        name: &str,
        extra: &str,
        dir: tempfile::TempDir,
        port: u16,
        ssh_port: u16,
    ) -> Instance {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind the same port");
        let ssh = TcpListener::bind(("127.0.0.1", ssh_port)).expect("bind the same SSH port");
        let mut inst = Instance {
            name: name.to_string(),
            url: format!("http://127.0.0.1:{port}"),
            port,
            ssh_port,
            dir,
            extra_settings: extra.to_string(),
            server: None,
        };
        inst.boot(listener, ssh).await;
        inst
    }

    /// This instance's settings, as the operator's commands (`orchard admin ...`) read them.
    pub fn operator_settings(&self) -> Settings {
        self.settings()
    }

    fn settings(&self) -> Settings {
        let text = settings_text(
            &self.url,
            self.port,
            self.ssh_port,
            self.dir.path(),
            &self.extra_settings,
        );
        Settings::parse(&text, &format!("{}.toml", self.name)).expect("test settings")
    }

    async fn boot(&mut self, listener: TcpListener, ssh: TcpListener) {
        let settings = self.settings();
        let server = tokio::task::spawn_blocking(move || {
            RunningServer::spawn(
                settings,
                Listeners {
                    http: listener,
                    ssh,
                },
            )
        })
        .await
        .expect("join")
        .expect("server starts");
        self.server = Some(server);
    }

    /// Stops the instance and starts it again on the same port and data directory.
    pub async fn restart(&mut self) {
        self.stop().await;
        let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("rebind same port");
        let ssh = TcpListener::bind(("127.0.0.1", self.ssh_port)).expect("rebind same SSH port");
        self.boot(listener, ssh).await;
    }

    /// Stops the instance (its data directory stays).
    pub async fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            tokio::task::spawn_blocking(move || server.stop())
                .await
                .expect("join")
                .expect("server stops cleanly");
        }
    }

    pub fn server(&self) -> &RunningServer {
        self.server.as_ref().expect("instance is running")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// A full URL on this instance.
    pub fn at(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }
}
