//! Headless Chromium for the web tests, driven over the W3C WebDriver protocol through
//! `chromedriver` (Debian's `chromium` and `chromium-driver`; .ci/run installs them): navigate,
//! find by CSS, type, click, read the page, keep a screenshot under
//! `target/screenshots/<test>/<page>.png`, and run axe-core (npm, installed into
//! tests/web/node_modules by .ci/run) failing on serious or critical violations.
//!
//! A thin client over reqwest (already a dependency) rather than a WebDriver crate: the tests
//! need eight endpoints of the protocol, and fantoccini would bring hyper's client stack and the
//! `webdriver` crate (with ICU text segmentation) into every build on two cores.

use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// axe-core's browser build, relative to the crate root.
const AXE: &str = "tests/web/node_modules/axe-core/axe.min.js";

/// One Chromium session.
pub struct Browser {
    http: reqwest::Client,
    /// `http://127.0.0.1:<port>/session/<id>`.
    session: String,
    driver: Child,
    /// Names the screenshot folder.
    test: String,
    _profile: tempfile::TempDir,
}

/// Whether the browser tests can run here; in CI (`CI=true`) a missing browser is a failure.
pub fn available() -> bool {
    let here = std::path::Path::new(CHROMIUM).exists()
        && std::path::Path::new(CHROMEDRIVER).exists()
        && std::path::Path::new(AXE).exists();
    if !here && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI: chromium, chromium-driver and tests/web/node_modules (npm ci) are required");
    }
    if !here {
        eprintln!("skipped: {CHROMIUM}, {CHROMEDRIVER} or {AXE} missing (run .ci/run's installs)");
    }
    here
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// Starts chromedriver on a free port and waits until it is ready: the process, its base URL and
/// a client for it.
async fn spawn_driver() -> (Child, String, reqwest::Client) {
    let port = free_port();
    let driver = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client");
    let base = format!("http://127.0.0.1:{port}");
    let ready = super::eventually(20, || async {
        match http.get(format!("{base}/status")).send().await {
            Ok(r) => r
                .json::<Value>()
                .await
                .is_ok_and(|v| v["value"]["ready"] == true),
            Err(_) => false,
        }
    })
    .await;
    assert!(ready, "chromedriver did not become ready");
    (driver, base, http)
}

/// The session's capabilities: Debian's Chromium, headless, in the fresh profile `profile`.
fn capabilities(profile: &tempfile::TempDir) -> Value {
    let args = [
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-dev-shm-usage".into(),
        "--window-size=1280,900".into(),
        format!("--user-data-dir={}", profile.path().display()),
    ];
    json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
    }}})
}

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium profile.
    pub async fn start(test: &str) -> Browser {
        let (driver, base, http) = spawn_driver().await;
        let profile = tempfile::tempdir().expect("profile dir");
        let res: Value = http
            .post(format!("{base}/session"))
            .json(&capabilities(&profile))
            .send()
            .await
            .expect("new session")
            .json()
            .await
            .expect("session JSON");
        let id = res["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {res}"))
            .to_string();
        Browser {
            http,
            session: format!("{base}/session/{id}"),
            driver,
            test: test.to_string(),
            _profile: profile,
        }
    }

    /// One WebDriver command: its `value`; panics on a WebDriver error.
    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.session));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res: Value = req
            .send()
            .await
            .expect("webdriver")
            .json()
            .await
            .expect("JSON");
        if let Some(e) = res["value"]["error"].as_str() {
            panic!("webdriver {path}: {e}: {}", res["value"]["message"]);
        }
        res["value"].clone()
    }

    /// Opens `url` and waits for it to load.
    pub async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await;
    }

    /// The current URL.
    pub async fn url(&self) -> String {
        let v = self.cmd(reqwest::Method::GET, "/url", None).await;
        v.as_str().unwrap_or_default().to_string()
    }

    /// Waits (up to 10 s) until the current URL's path and query end with `suffix` (after a
    /// click that navigates); panics naming the URL otherwise.
    pub async fn wait_for(&self, suffix: &str) {
        for _ in 0..100 {
            let url = self.url().await;
            let ready = self.execute("return document.readyState;").await;
            if url.ends_with(suffix) && ready == "complete" {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("still on {} instead of …{suffix}", self.url().await);
    }

    /// The page's HTML as the browser holds it.
    pub async fn source(&self) -> String {
        let v = self.cmd(reqwest::Method::GET, "/source", None).await;
        v.as_str().unwrap_or_default().to_string()
    }

    /// The element id of the first element matching `css`.
    pub async fn find(&self, css: &str) -> String {
        let body = json!({"using": "css selector", "value": css});
        let v = self
            .cmd(reqwest::Method::POST, "/element", Some(body))
            .await;
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    /// How many elements match `css`.
    pub async fn count(&self, css: &str) -> usize {
        let body = json!({"using": "css selector", "value": css});
        let v = self
            .cmd(reqwest::Method::POST, "/elements", Some(body))
            .await;
        v.as_array().map_or(0, Vec::len)
    }

    /// Types `text` into the element matching `css`.
    pub async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        let path = format!("/element/{id}/value");
        self.cmd(reqwest::Method::POST, &path, Some(json!({ "text": text })))
            .await;
    }

    /// Clicks the element matching `css` (a link or a form's button: the page it opens loads).
    pub async fn click(&self, css: &str) {
        let id = self.find(css).await;
        let path = format!("/element/{id}/click");
        self.cmd(reqwest::Method::POST, &path, Some(json!({})))
            .await;
    }

    /// Runs `script` in the page; answers its return value.
    pub async fn execute(&self, script: &str) -> Value {
        let body = json!({ "script": script, "args": [] });
        self.cmd(reqwest::Method::POST, "/execute/sync", Some(body))
            .await
    }

    /// Keeps a screenshot of the page as `target/screenshots/<test>/<page>.png`.
    pub async fn screenshot(&self, page: &str) -> PathBuf {
        use base64::Engine as _;
        let v = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or_default())
            .expect("PNG in base64");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("target/screenshots")
            .join(&self.test);
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let path = dir.join(format!("{page}.png"));
        std::fs::write(&path, png).expect("screenshot written");
        path
    }

    /// Runs axe-core on the page; panics listing every serious or critical violation.
    pub async fn axe(&self, page: &str) {
        let axe = std::fs::read_to_string(AXE).expect("axe-core (npm ci in tests/web)");
        self.execute(&format!("{axe}\n;return true;")).await;
        let body = json!({"script": "const done = arguments[arguments.length - 1];\
            axe.run(document).then(r => done(r.violations.filter(v => \
            v.impact === 'serious' || v.impact === 'critical').map(v => \
            ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.html)})))\
            ).catch(e => done([{id: 'axe-error', help: String(e)}]));", "args": []});
        let found = self
            .cmd(reqwest::Method::POST, "/execute/async", Some(body))
            .await;
        let found = found.as_array().cloned().unwrap_or_default();
        assert!(
            found.is_empty(),
            "axe-core on {page}: serious or critical violations: {}",
            serde_json::to_string_pretty(&found).unwrap_or_default()
        );
    }

    /// Screenshot and accessibility check of the page, named `page`.
    pub async fn check(&self, page: &str) {
        self.screenshot(page).await;
        self.axe(page).await;
    }

    /// Ends the session and chromedriver.
    pub async fn quit(mut self) {
        let _ = self.http.delete(&self.session).send().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}
