//! Tests of `registry`: the names, labels and values the text format carries.
use super::*;

fn line<'a>(text: &'a str, series: &str) -> Option<&'a str> {
    text.lines()
        .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
        .map(|l| &l[series.len() + 1..])
}

#[test]
fn every_metric_is_named_as_documented() {
    let m = Metrics::new();
    m.request(None, 404);
    m.delivery_failed("h.example");
    let text = m.render(Gauges::default());
    for name in [
        "orchard_http_requests_total counter",
        "orchard_inbox_activities_total counter",
        "orchard_delivery_queue_depth gauge",
        "orchard_delivery_failures_total counter",
        "orchard_git_pushes_total counter",
        "orchard_git_clones_total counter",
        "orchard_active_actors gauge",
        "orchard_store_bytes gauge",
    ] {
        assert!(
            text.contains(&format!("# TYPE {name}\n")),
            "{name}:\n{text}"
        );
    }
}

#[test]
fn counters_and_gauges_carry_their_labels_and_values() {
    let m = Metrics::new();
    m.request(Some("/users/{id}"), 200);
    m.request(Some("/users/{id}"), 200);
    m.request(None, 404);
    m.inbox_accepted();
    m.inbox_refused(InboxReason::Signature);
    m.delivery_failed("Remote.Example");
    m.git_push(Transport::Ssh);
    m.git_clone(Transport::Http);
    let gauges = Gauges {
        queue_depth: 3,
        active_actors: 7,
        store_bytes: 4096,
    };
    let text = m.render(gauges);
    let at = |series: &str| line(&text, series).unwrap_or_else(|| panic!("{series}:\n{text}"));
    assert_eq!(
        at(r#"orchard_http_requests_total{route="/users/{id}",status="200"}"#),
        "2"
    );
    assert_eq!(
        at(r#"orchard_http_requests_total{route="unmatched",status="404"}"#),
        "1"
    );
    let accepted = r#"orchard_inbox_activities_total{outcome="accepted",reason="none"}"#;
    assert_eq!(at(accepted), "1");
    let refused = r#"orchard_inbox_activities_total{outcome="refused",reason="signature"}"#;
    assert_eq!(at(refused), "1");
    let failures = r#"orchard_delivery_failures_total{host="remote.example"}"#;
    assert_eq!(at(failures), "1");
    assert_eq!(at(r#"orchard_git_pushes_total{transport="ssh"}"#), "1");
    assert_eq!(at(r#"orchard_git_clones_total{transport="http"}"#), "1");
    assert_eq!(at("orchard_delivery_queue_depth"), "3");
    assert_eq!(at("orchard_active_actors"), "7");
    assert_eq!(at("orchard_store_bytes"), "4096");
}

#[test]
fn failure_hosts_are_capped() {
    let m = Metrics::new();
    for i in 0..MAX_FAILURE_HOSTS + 5 {
        m.delivery_failed(&format!("h{i}.example"));
    }
    m.delivery_failed("h0.example");
    let text = m.render(Gauges::default());
    let hosts = text
        .lines()
        .filter(|l| l.starts_with("orchard_delivery_failures_total{"))
        .count();
    assert_eq!(hosts, MAX_FAILURE_HOSTS + 1, "the known ones and `other`");
    let other = line(&text, r#"orchard_delivery_failures_total{host="other"}"#);
    assert_eq!(other, Some("5"));
    let first = line(
        &text,
        r#"orchard_delivery_failures_total{host="h0.example"}"#,
    );
    assert_eq!(first, Some("2"));
}

#[test]
fn the_series_of_a_fresh_server_start_at_zero() {
    let text = Metrics::new().render(Gauges::default());
    for series in [
        r#"orchard_inbox_activities_total{outcome="accepted",reason="none"}"#,
        r#"orchard_git_pushes_total{transport="ssh"}"#,
        r#"orchard_git_clones_total{transport="ssh"}"#,
        r#"orchard_git_clones_total{transport="http"}"#,
        "orchard_delivery_queue_depth",
    ] {
        assert_eq!(line(&text, series), Some("0"), "{series}:\n{text}");
    }
    assert!(!text.contains("orchard_http_requests_total{"), "{text}");
}
