//! Privileged names are reserved for accounts the operator creates (`orchard admin`), roles
//! come from the operator, and the CLI reaches a running server only through its admin socket.

use crate::calls::{blocks, post};
use crate::common::{client, settings_text, Instance};
use actors::accounts::Role;
use orchard::cli::admin;
use serde_json::json;

#[tokio::test]
async fn privileged_names_are_reserved_and_roles_come_from_the_operator() {
    let extra = "[accounts]\nadmins = [\"admin\"]\nfactory_creators = [\"boss\"]\n";
    let mut a = Instance::start("a", extra).await;
    let reg = a.at("/api/v1/register");
    for name in ["admin", "boss"] {
        let (s, _, body) = post(&client(), &reg, json!({"username": name, "password": "pw"})).await;
        assert_eq!(s, 403, "{name}: {body}");
        let e = body["error"].as_str().unwrap();
        assert!(
            e.contains("reserved") && e.contains("orchard admin create-account"),
            "{e}"
        );
    }
    let (_, info) = a.get_ap(&a.at("/nodeinfo/2.1")).await;
    assert_eq!(info["usage"]["users"]["total"], 0, "nothing was created");

    a.register("eve").await;
    let eve = a.login("eve").await;
    assert_eq!(blocks(&a, &eve).await, 403);
    let factory = json!({"type": "Create", "object": {"type": "Factory", "name": "F"}});
    let (s, body) = a.post_outbox("eve", &eve, &factory).await;
    assert_eq!(s, 403, "{body}");
    assert!(body["error"].as_str().unwrap().contains("factory_creators"));

    // While the server runs, the operator's commands refuse clearly (exit status 2).
    let settings = a.operator_settings();
    let f = admin::set_role(&settings, "eve", Role::Admin, true)
        .await
        .unwrap_err();
    assert_eq!(f.status, 2);
    assert!(f.message.contains("stop the server first"), "{}", f.message);

    a.stop().await;
    admin::create_account(&settings, "admin", "correct horse")
        .await
        .unwrap();
    let f = admin::set_role(&settings, "nobody", Role::Admin, true)
        .await
        .unwrap_err();
    assert!(f.message.contains("no account nobody"), "{}", f.message);
    admin::set_role(&settings, "eve", Role::Admin, true)
        .await
        .unwrap();
    admin::set_role(&settings, "eve", Role::FactoryCreator, true)
        .await
        .unwrap();
    a.restart().await;
    let admin_token = a.login("admin").await;
    assert_eq!(blocks(&a, &admin_token).await, 200, "listed and created");
    assert_eq!(blocks(&a, &eve).await, 200, "granted by the operator");
    let (s, body) = a.post_outbox("eve", &eve, &factory).await;
    assert_eq!(s, 201, "{body}");

    a.stop().await;
    admin::set_role(&settings, "eve", Role::Admin, false)
        .await
        .unwrap();
    a.restart().await;
    assert_eq!(blocks(&a, &eve).await, 403, "revoked");
}

#[tokio::test]
async fn listing_a_name_a_stranger_registered_gives_nothing_and_revoking_a_listed_name_fails() {
    let mut a = Instance::start("a", "").await;
    a.register("mallory").await;
    let mallory = a.login("mallory").await;
    a.stop().await;
    // The operator lists "mallory" (not knowing a stranger has it) and creates "root".
    a.extra_settings = "[accounts]\nadmins = [\"mallory\", \"root\"]\n".into();
    let settings = a.operator_settings();
    admin::create_account(&settings, "root", "correct horse")
        .await
        .unwrap();
    a.restart().await;
    assert_eq!(blocks(&a, &mallory).await, 403, "registered over the API");
    let root = a.login("root").await;
    assert_eq!(blocks(&a, &root).await, 200, "created by the operator");

    a.stop().await;
    let f = admin::set_role(&settings, "root", Role::Admin, false)
        .await
        .unwrap_err();
    assert_ne!(f.status, 0);
    assert!(
        f.message.contains("still admin") && f.message.contains("[accounts] admins"),
        "{}",
        f.message
    );
    admin::set_role(&settings, "mallory", Role::Admin, true)
        .await
        .unwrap();
    a.restart().await;
    assert_eq!(blocks(&a, &root).await, 200, "still admin, as revoke said");
    assert_eq!(blocks(&a, &mallory).await, 200, "granted by the operator");
}

#[tokio::test]
async fn the_cli_goes_through_the_admin_socket_of_a_running_server() {
    let a = Instance::start("a", "").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("settings.toml");
    let text = settings_text(&a.url, a.port, a.ssh_port, &a.data_dir(), "");
    std::fs::write(&file, text).unwrap();
    let grant = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_orchard"))
            .args(["admin", "grant", "alice", "--role", "factory-creator"])
            .arg("--settings")
            .arg(&file)
            .output()
            .unwrap()
    };
    // The running server answers (there is no alice)...
    let out = grant();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no account alice"), "{err}");
    // ...and without its socket, the CLI says so instead of opening the store beside it.
    std::fs::remove_file(a.data_dir().join("admin.sock")).unwrap();
    let out = grant();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is running but its admin socket"), "{err}");
}
