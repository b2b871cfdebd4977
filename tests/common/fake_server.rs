//! What the fake remote servers share (tests/common/remote.rs, tests/crash/fleet.rs, and the
//! federation benchmark, which includes this file by `#[path]`): an actix-web server on a thread
//! of its own, stopped and joined when dropped, the routes they all serve and the actor document
//! behind one.
//!
//! It uses nothing of the test harness (no `super::`), so that a benchmark can include it alone.

use actix_web::{web, FromRequest, Handler, Responder};
use serde_json::{json, Value};

/// An actix-web server running in its own actix System on a thread named `name`; stopped
/// (gracefully) and joined on drop.
pub struct ServerThread {
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ServerThread {
    /// Runs the server `build` makes (inside the new thread's System, where `HttpServer::run`
    /// must be called) and answers once it runs. Panics if `build` does.
    pub fn spawn<F>(name: &str, build: F) -> ServerThread
    where
        F: FnOnce() -> actix_web::dev::Server + Send + 'static,
    {
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                actix_rt::System::new().block_on(async move {
                    let server = build();
                    tx.send(server.handle()).unwrap();
                    let _ = server.await;
                });
            })
            .unwrap();
        let handle = rx.recv().expect("the fake server started");
        ServerThread {
            handle,
            thread: Some(thread),
        }
    }
}

impl Drop for ServerThread {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        let _ = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(handle.stop(false))
        })
        .join();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The routes of every fake, with `data` as their app data: `GET /users/{name}` answered by
/// `actor_doc`, `POST /users/{name}/inbox` by `inbox`. For `App::configure`.
pub fn actor_routes<T, A, AArgs, I, IArgs>(
    config: &mut web::ServiceConfig,
    data: &web::Data<T>,
    actor_doc: A,
    inbox: I,
) where
    T: 'static,
    A: Handler<AArgs>,
    AArgs: FromRequest + 'static,
    A::Output: Responder + 'static,
    I: Handler<IArgs>,
    IArgs: FromRequest + 'static,
    I::Output: Responder + 'static,
{
    config
        .app_data(data.clone())
        .route("/users/{name}", web::get().to(actor_doc))
        .route("/users/{name}/inbox", web::post().to(inbox));
}

/// The ActivityPub document of actor `id` (a `Person` named `name`) with its inbox, outbox and
/// public key `{id}#main-key`.
pub fn actor_document(id: &str, name: &str, public_pem: &str) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id,
        "type": "Person",
        "preferredUsername": name,
        "inbox": format!("{id}/inbox"),
        "outbox": format!("{id}/outbox"),
        "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": public_pem}
    })
}
