//! The test harness: real Orchard instances in this process, each on its own port-0 listener
//! with a temporary data directory, reached over real HTTP.
#![allow(dead_code)]

pub mod fake_server;
pub mod forge;
pub mod git;
pub mod process;
pub mod remote;
pub mod tmpfs;

use orchard::{Listeners, RunningServer, Settings};
use serde_json::Value;
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

/// The settings text of a test instance.
pub fn settings_text(
    url: &str,
    port: u16,
    ssh_port: u16,
    data: &std::path::Path,
    extra: &str,
) -> String {
    // `extra` may have its own `[http]`, `[ssh]` or `[storage]` section: the bind address (the
    // data paths) join it.
    let (mut http, mut ssh, mut storage) = (String::new(), String::new(), String::new());
    let mut extra = extra.to_string();
    let paths = format!(
        "path = \"{}\"\nrepos = \"{}\"",
        data.join("db").display(),
        data.join("repos").display()
    );
    for (section, lines, own) in [
        (
            "[http]\n",
            format!("bind = \"127.0.0.1:{port}\""),
            &mut http,
        ),
        (
            "[ssh]\n",
            format!("bind = \"127.0.0.1:{ssh_port}\""),
            &mut ssh,
        ),
        ("[storage]\n", paths, &mut storage),
    ] {
        let line = format!("{section}{lines}\n");
        match extra.contains(section) {
            true => extra = extra.replacen(section, &line, 1),
            false => *own = line,
        }
    }
    format!(
        r#"
public_url = "{url}"
{http}{ssh}{storage}
{extra}
"#
    )
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

    /// Logs in with a password: (status, JSON body).
    pub async fn try_login(&self, username: &str, password: &str) -> (u16, Value) {
        let res = client()
            .post(self.at("/api/v1/login"))
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
            .await
            .expect("login");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
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

    /// Registers a person and returns their actor IRI.
    pub async fn register(&self, username: &str) -> String {
        let res = client()
            .post(self.at("/api/v1/register"))
            .json(&serde_json::json!({"username": username, "password": "correct horse"}))
            .send()
            .await
            .expect("register");
        assert_eq!(res.status(), 201, "register {username}");
        let body: Value = res.json().await.expect("json");
        body["id"].as_str().expect("id").to_string()
    }

    /// Logs in and returns a bearer token.
    pub async fn login(&self, username: &str) -> String {
        let res = client()
            .post(self.at("/api/v1/login"))
            .json(&serde_json::json!({"username": username, "password": "correct horse"}))
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), 200, "login {username}");
        let body: Value = res.json().await.expect("json");
        body["token"].as_str().expect("token").to_string()
    }

    /// GETs an ActivityPub document and returns (status, JSON body).
    pub async fn get_ap(&self, url: &str) -> (u16, Value) {
        let res = client()
            .get(url)
            .header("Accept", "application/activity+json")
            .send()
            .await
            .expect("get");
        let status = res.status().as_u16();
        let body = res.json().await.unwrap_or(Value::Null);
        (status, body)
    }
}

/// A plain HTTP client.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client")
}

/// A client whose requests come from `ip` (any 127.0.0.0/8 address works on Linux): another
/// client address for the per-address limits.
pub fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(ip.parse::<std::net::IpAddr>().expect("an IP address"))
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("client")
}

impl Instance {
    /// POSTs an activity to a person's outbox with their token: (status, JSON body).
    pub async fn post_outbox(&self, username: &str, token: &str, activity: &Value) -> (u16, Value) {
        let res = client()
            .post(self.at(&format!("/people/{username}/outbox")))
            .bearer_auth(token)
            .json(activity)
            .send()
            .await
            .expect("post outbox");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// The items of a collection (first page), read with an optional token.
    pub async fn collection(&self, url: &str, token: Option<&str>) -> Vec<Value> {
        let mut req = client()
            .get(format!("{url}?page=1"))
            .header("Accept", "application/activity+json");
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.expect("get collection");
        assert_eq!(res.status(), 200, "GET {url}");
        let body: Value = res.json().await.expect("json");
        body["orderedItems"].as_array().cloned().unwrap_or_default()
    }

    /// totalItems of a collection.
    pub async fn total(&self, url: &str, token: Option<&str>) -> u64 {
        let mut req = client()
            .get(url)
            .header("Accept", "application/activity+json");
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let body: Value = req.send().await.expect("get").json().await.expect("json");
        body["totalItems"].as_u64().expect("totalItems")
    }
}

/// Polls `check` every 100 ms until it holds or `secs` pass; answers whether it held.
pub async fn eventually<F, Fut>(secs: u64, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        if check().await {
            return true;
        }
        if std::time::Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

impl Instance {
    /// Polls a person's inbox (newest first, first page) for an item matching `pred`.
    pub async fn find_in_inbox<P>(
        &self,
        user: &str,
        token: &str,
        secs: u64,
        pred: P,
    ) -> Option<Value>
    where
        P: Fn(&Value) -> bool,
    {
        let url = self.at(&format!("/people/{user}/inbox"));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            let items = self.collection(&url, Some(token)).await;
            if let Some(v) = items.into_iter().find(|v| pred(v)) {
                return Some(v);
            }
            if std::time::Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// Polls a person's `grants` collection for a Grant whose context is `resource` and whose
    /// state is `state` ("active", "revoked").
    pub async fn grant_on(
        &self,
        user: &str,
        resource: &str,
        state: &str,
        secs: u64,
    ) -> Option<Value> {
        let url = self.at(&format!("/people/{user}/grants"));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            let items = self.collection(&url, None).await;
            if let Some(g) = items
                .into_iter()
                .find(|g| g["context"] == resource && g["state"] == state)
            {
                return Some(g);
            }
            if std::time::Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}
