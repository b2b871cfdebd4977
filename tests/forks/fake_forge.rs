//! A forge that is not Orchard, for the git jobs' tests: one Repository actor `/alice/tree`
//! whose document names a `cloneUri` elsewhere on its host (`/git/tree.git`, as Forgejo's
//! `https://host/alice/tree.git`), served over smart HTTP by `git http-backend` (git's own CGI)
//! from a bare repository in a temporary directory; and `/alice/elsewhere`, whose `cloneUri` is
//! on another host. Its inbox takes every POST (202). While
//! `stall` is on, a `git-upload-pack` POST (the fetch of objects, after the refs) waits until it
//! is off: a slow origin, to stop Orchard while a git job runs.

use crate::common::fake_server::ServerThread;
use crate::common::git::{git_in, ok};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use serde_json::json;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// What the handlers share.
#[derive(Default)]
struct State {
    base: String,
    root: PathBuf,
    stall: AtomicBool,
    /// How many upload-pack POSTs waited (or are waiting) on `stall`.
    stalled: AtomicUsize,
}

/// The running forge; stopped when dropped.
pub struct FakeForge {
    pub base: String,
    state: Arc<State>,
    _dir: tempfile::TempDir,
    _server: ServerThread,
}

impl FakeForge {
    /// Serves a bare clone of the work tree `from` (all its branches).
    pub fn start(from: &Path) -> FakeForge {
        let dir = tempfile::tempdir().unwrap();
        let bare = dir.path().join("tree.git");
        let bare_s = bare.display().to_string();
        ok(git_in(from, &["clone", "-q", "--bare", ".", &bare_s], None));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let state = Arc::new(State {
            base: base.clone(),
            root: dir.path().to_path_buf(),
            ..State::default()
        });
        let data = web::Data::from(state.clone());
        let server = ServerThread::spawn("fake-forge", move || {
            HttpServer::new(move || {
                App::new()
                    .app_data(data.clone())
                    .route("/alice/tree", web::get().to(document))
                    .route("/alice/elsewhere", web::get().to(elsewhere))
                    .route("/alice/tree/inbox", web::post().to(inbox))
                    .route("/git/{tail:.*}", web::route().to(git))
            })
            .workers(2)
            .listen(listener)
            .unwrap()
            .run()
        });
        FakeForge {
            base,
            state,
            _dir: dir,
            _server: server,
        }
    }

    /// The Repository actor's IRI.
    pub fn repo(&self) -> String {
        format!("{}/alice/tree", self.base)
    }

    /// Holds (true) or lets go (false) the fetches of objects.
    pub fn stall(&self, on: bool) {
        self.state.stall.store(on, Ordering::SeqCst);
    }

    /// How many fetches of objects were held so far.
    pub fn stalled(&self) -> usize {
        self.state.stalled.load(Ordering::SeqCst)
    }
}

async fn document(state: web::Data<State>) -> HttpResponse {
    let id = format!("{}/alice/tree", state.base);
    let doc = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://forgefed.org/ns"],
        "id": id, "type": "Repository", "name": "tree",
        "inbox": format!("{id}/inbox"), "outbox": format!("{id}/outbox"),
        "cloneUri": format!("{}/git/tree.git", state.base),
    });
    HttpResponse::Ok()
        .content_type("application/activity+json")
        .body(doc.to_string())
}

/// A Repository whose `cloneUri` is on another host (`localhost` for `127.0.0.1`).
async fn elsewhere(state: web::Data<State>) -> HttpResponse {
    let id = format!("{}/alice/elsewhere", state.base);
    let clone = state.base.replace("127.0.0.1", "localhost");
    let doc = json!({
        "@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": "Repository",
        "inbox": format!("{id}/inbox"), "cloneUri": format!("{clone}/git/tree.git"),
    });
    HttpResponse::Ok()
        .content_type("application/activity+json")
        .body(doc.to_string())
}

async fn inbox() -> HttpResponse {
    HttpResponse::Accepted().finish()
}

/// Smart HTTP through `git http-backend` (protocol v0: no `Git-Protocol` passed on).
async fn git(req: HttpRequest, body: web::Bytes, state: web::Data<State>) -> HttpResponse {
    let path = format!("/{}", req.match_info().query("tail"));
    if req.method() == "POST" && path.ends_with("/git-upload-pack") {
        if state.stall.load(Ordering::SeqCst) {
            state.stalled.fetch_add(1, Ordering::SeqCst);
        }
        for _ in 0..1200 {
            if !state.stall.load(Ordering::SeqCst) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let env = [
        ("GIT_PROJECT_ROOT", state.root.display().to_string()),
        ("GIT_HTTP_EXPORT_ALL", "1".into()),
        ("PATH_INFO", path),
        ("QUERY_STRING", req.query_string().to_string()),
        ("REQUEST_METHOD", req.method().to_string()),
        ("CONTENT_TYPE", header("content-type")),
        ("HTTP_CONTENT_ENCODING", header("content-encoding")),
        ("CONTENT_LENGTH", body.len().to_string()),
        ("REMOTE_ADDR", "127.0.0.1".into()),
    ];
    let Ok(Ok((status, headers, body))) = web::block(move || cgi(&env, &body)).await else {
        return HttpResponse::InternalServerError().finish();
    };
    let status = actix_web::http::StatusCode::from_u16(status);
    let mut response = HttpResponse::build(status.unwrap_or(actix_web::http::StatusCode::OK));
    for header in headers {
        response.insert_header(header);
    }
    response.body(body)
}

/// What `git http-backend` answered: its status, its other headers and the body.
type Cgi = (u16, Vec<(String, String)>, Vec<u8>);

/// Runs `git http-backend` with the CGI environment `env` and `body` on its stdin.
fn cgi(env: &[(&str, String)], body: &[u8]) -> std::io::Result<Cgi> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("git")
        .arg("http-backend")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    child.stdin.take().expect("stdin").write_all(body)?;
    let text = child.wait_with_output()?.stdout;
    let split = text
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| {
            text.windows(2)
                .position(|w| w == b"\n\n")
                .map(|i| (i, i + 2))
        });
    let (end, start) = split.unwrap_or((0, 0));
    let (mut status, mut headers) = (200, Vec::new());
    for line in String::from_utf8_lossy(&text[..end]).lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_string());
        match name.as_str() {
            "status" => {
                status = value
                    .split(' ')
                    .next()
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(500)
            }
            _ => headers.push((name, value)),
        }
    }
    Ok((status, headers, text[start..].to_vec()))
}
