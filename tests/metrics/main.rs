//! The operator's view of a running instance (issue 18, items 3 and 5): `GET /metrics` off by
//! default (404), behind its token when one is set (401 without it or with another), and its
//! counters moving with real signed inbox POSTs (accepted and refused), SSH pushes and clones,
//! HTTP clones and failing deliveries, with route labels that are patterns, never paths;
//! `GET /healthz` and `GET /readyz` (also 503, `readiness`); JSON logs whose activity lines
//! name the actor, the activity and the recipient (`logs`).

#[path = "../common/mod.rs"]
mod common;
mod counters;
mod logs;
mod readiness;
mod scrape;

use common::Instance;
use serde_json::Value;

const TOKEN: &str = "metrics-token-0123456789";

async fn get_json(url: &str) -> (u16, Value) {
    let res = common::client().get(url).send().await.expect("GET");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn metrics_are_off_by_default_and_health_is_served() {
    let a = Instance::start("a", "").await;
    let (status, body, _) = scrape::get(&a.url, None).await;
    assert_eq!(status, 404, "{body}");
    assert!(!body.contains("orchard_"), "nothing leaks: {body}");
    let (status, _, _) = scrape::get(&a.url, Some(TOKEN)).await;
    assert_eq!(status, 404, "a token does not turn them on");
    let (status, body) = get_json(&a.at("/healthz")).await;
    assert_eq!((status, body), (200, serde_json::json!({"status": "ok"})));
    let (status, body) = get_json(&a.at("/readyz")).await;
    assert_eq!((status, body), (200, serde_json::json!({"status": "ok"})));
}

#[tokio::test]
async fn the_token_guards_the_metrics() {
    let settings = format!("[metrics]\nenabled = true\ntoken = \"{TOKEN}\"\n");
    let a = Instance::start("a", &settings).await;
    let (status, body, _) = scrape::get(&a.url, None).await;
    assert_eq!(status, 401, "no token: {body}");
    assert!(!body.contains("orchard_"), "{body}");
    for wrong in [
        "metrics-token-012345678",
        "metrics-token-0123456789x",
        "METRICS-TOKEN-0123456789",
        "",
    ] {
        let (status, body, _) = scrape::get(&a.url, Some(wrong)).await;
        assert_eq!(status, 401, "{wrong:?}: {body}");
    }
    let basic = common::client()
        .get(a.at("/metrics"))
        .header("Authorization", format!("Basic {TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 401, "not a Bearer token");
    assert!(basic.headers().get("www-authenticate").is_some());
    let (status, body, kind) = scrape::get(&a.url, Some(TOKEN)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        kind.as_deref(),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    let scraped = scrape::Scrape::parse(&body);
    assert!(scraped.get("orchard_store_bytes") > 0.0, "{body}");
    assert!(body.contains("# TYPE orchard_http_requests_total counter"));
    // The refused scrapes were counted, by the route's pattern.
    let refused = scraped.get(r#"orchard_http_requests_total{route="/metrics",status="401"}"#);
    assert_eq!(refused, 6.0, "{body}");
}
