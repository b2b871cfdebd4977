//! An in-process Orchard instance for the push benchmark: an admin who creates the Factory
//! "Main", repositories created through it (the admin holds `admin` on each), and an ed25519 key
//! registered for the admin. The operator creates the admin's account (`orchard admin
//! create-account`'s library function); everything else goes through the public HTTP API.

use orchard::{Listeners, RunningServer, Settings};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub struct Forge {
    pub url: String,
    pub ssh_port: u16,
    pub token: String,
    pub factory_grant: String,
    pub key: PathBuf,
    http: reqwest::Client,
    server: Option<RunningServer>,
}

fn settings(url: &str, port: u16, ssh_port: u16, data: &Path) -> Settings {
    let text = format!(
        r#"
public_url = "{url}"
[http]
bind = "127.0.0.1:{port}"
[ssh]
bind = "127.0.0.1:{ssh_port}"
[storage]
path = "{db}"
repos = "{repos}"
[accounts]
factory_creators = ["admin"]
[federation]
allow_private_addresses = true
"#,
        db = data.join("db").display(),
        repos = data.join("repos").display(),
    );
    Settings::parse(&text, "bench.toml").expect("bench settings")
}

impl Forge {
    /// Starts an instance with its data under `data`, creates the admin's account, creates the
    /// Factory and registers the SSH key `key` (its `.pub` beside it).
    pub async fn start(data: &Path, key: &Path) -> Forge {
        let http_l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let ssh_l = TcpListener::bind("127.0.0.1:0").expect("bind ssh");
        let port = http_l.local_addr().unwrap().port();
        let ssh_port = ssh_l.local_addr().unwrap().port();
        let url = format!("http://127.0.0.1:{port}");
        let s = settings(&url, port, ssh_port, data);
        // "admin" is listed in factory_creators: the operator creates the account (the
        // library function of `orchard admin create-account`) before the server starts.
        orchard::cli::admin::create_account(&s, "admin", "correct horse")
            .await
            .expect("create the admin account");
        let server = tokio::task::spawn_blocking(move || {
            RunningServer::spawn(
                s,
                Listeners {
                    http: http_l,
                    ssh: ssh_l,
                },
            )
        })
        .await
        .unwrap()
        .expect("the server starts");
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let mut forge = Forge {
            url,
            ssh_port,
            token: String::new(),
            factory_grant: String::new(),
            key: key.to_path_buf(),
            http,
            server: Some(server),
        };
        let creds = json!({"username": "admin", "password": "correct horse"});
        let res = forge.post("/api/v1/login", &creds, false).await;
        forge.token = res.1["token"].as_str().expect("token").to_string();
        let create = json!({"type": "Create", "object": {"type": "Factory", "name": "Main",
                            "availableActorTypes": ["Repository"]}});
        let res = forge.post("/people/admin/outbox", &create, true).await;
        assert_eq!(res.0, 201, "create factory: {}", res.1);
        let factory = format!("{}/factories/main", forge.url);
        let grant = forge
            .poll("/people/admin/grants", |g| {
                g["context"] == factory.as_str() && g["state"] == "active"
            })
            .await;
        forge.factory_grant = grant["id"].as_str().unwrap().to_string();
        let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
        let res = forge
            .post("/api/v1/ssh-keys", &json!({"key": public.trim()}), true)
            .await;
        assert_eq!(res.0, 201, "ssh key: {}", res.1);
        forge
    }

    async fn post(&self, path: &str, body: &Value, auth: bool) -> (u16, Value) {
        let mut req = self.http.post(format!("{}{path}", self.url)).json(body);
        if auth {
            req = req.bearer_auth(&self.token);
        }
        let res = req.send().await.expect("POST");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, url: &str) -> Value {
        self.http
            .get(url)
            .header("Accept", "application/activity+json")
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("GET")
            .json()
            .await
            .unwrap_or(Value::Null)
    }

    /// Polls the first page of a collection until an item matches.
    async fn poll(&self, path: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let page = self.get(&format!("{}{path}?page=1", self.url)).await;
            let items = page["orderedItems"].as_array().cloned().unwrap_or_default();
            if let Some(v) = items.into_iter().find(|v| pred(v)) {
                return v;
            }
            assert!(Instant::now() < deadline, "timed out polling {path}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Creates a repository through the Factory; answers its IRI path (`/repos/<id>`).
    pub async fn create_repo(&self, name: &str) -> String {
        let create = json!({"type": "Create", "to": [format!("{}/factories/main", self.url)],
                            "object": {"type": "Repository", "name": name},
                            "capability": self.factory_grant});
        let (s, body) = self.post("/people/admin/outbox", &create, true).await;
        assert_eq!(s, 201, "create repository: {body}");
        let id = body["id"].as_str().unwrap().to_string();
        let answer = self
            .poll("/people/admin/inbox", |v| {
                (v["type"] == "Accept" || v["type"] == "Reject") && v["object"]["id"] == id.as_str()
            })
            .await;
        let iri = answer["result"].as_str().expect("repository created");
        url::Url::parse(iri).unwrap().path().to_string()
    }

    /// The SSH URL of a repository path.
    pub fn ssh_url(&self, path: &str) -> String {
        format!("ssh://git@127.0.0.1:{}{}", self.ssh_port, path)
    }

    /// `GIT_SSH_COMMAND` for the registered key, plus extra options.
    pub fn ssh_command(&self, extra: &str) -> String {
        format!(
            "ssh -i {} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no \
             -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR {extra} -p {}",
            self.key.display(),
            self.ssh_port
        )
    }

    /// Server-side durations (ms) of the pushes of a repository, from its push log.
    pub async fn push_durations(&self, path: &str) -> Vec<u64> {
        let log = self.get(&format!("{}{path}/pushes", self.url)).await;
        log["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|p| p["endedMs"].as_u64().unwrap_or(0) - p["startedMs"].as_u64().unwrap_or(0))
            .collect()
    }

    pub async fn stop(mut self) {
        if let Some(s) = self.server.take() {
            tokio::task::spawn_blocking(move || s.stop())
                .await
                .unwrap()
                .expect("the server stops");
        }
    }
}
