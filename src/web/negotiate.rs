//! Content negotiation between the two faces of an IRI: HTML for a browser, JSON-LD for
//! federation peers and API clients (the default).

use actix_web::http::header::ACCEPT;
use actix_web::HttpRequest;

/// True when the request's `Accept` names `text/html` and names neither
/// `application/activity+json` nor `application/ld+json` (a browser). Anything else (no
/// `Accept`, `*/*`, a federation peer) gets JSON-LD.
pub fn wants_html(req: &HttpRequest) -> bool {
    let accept = req
        .headers()
        .get_all(ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",")
        .to_ascii_lowercase();
    accept.contains("text/html")
        && !accept.contains("application/activity+json")
        && !accept.contains("application/ld+json")
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn with(accept: &str) -> bool {
        wants_html(
            &TestRequest::default()
                .insert_header((ACCEPT, accept))
                .to_http_request(),
        )
    }

    #[test]
    fn browsers_get_html_and_peers_json() {
        assert!(with(
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        ));
        assert!(!with("application/activity+json"));
        assert!(!with(
            "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""
        ));
        assert!(!with("text/html, application/activity+json"));
        assert!(!with("*/*"));
        assert!(!wants_html(&TestRequest::default().to_http_request()));
    }
}
