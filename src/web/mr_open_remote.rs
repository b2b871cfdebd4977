//! A merge request of another instance as the look-up page shows it (`lookup`): a Ticket
//! whose `attachment` is an `Offer` naming the source (`origin`) and the target, with its
//! latest version (an `OrderedCollection` of Patches, the head commit as `target.hash`) and
//! its `mrDiff` link, as ForgeFed "Merge Requests" and this instance's trackers publish them.
//! When the Patches name no commits, those of the `mrDiff` are shown if it is a JSON
//! comparison (`commits`, each with a `summary`, as Orchard's compare route answers).

use super::form_guard::enc;
use crate::http::state::AppState;
use reqwest::header::ACCEPT;
use serde_json::Value;
use url::Url;

/// The largest comparison read for its commits.
const MAX_DIFF: usize = 1024 * 1024;

/// What the page shows of a merge request.
#[derive(Default)]
pub struct RemoteMr {
    /// The source: `branch of repository` (or the repository).
    pub source: String,
    /// Its look-up page.
    pub source_link: String,
    pub target: String,
    pub target_link: String,
    pub wip: bool,
    /// The head commit of the latest version ("" when not published).
    pub head: String,
    /// The subject lines of the latest version's Patches (its commits).
    pub commits: Vec<String>,
    /// Its `mrDiff` (the changes), "" when not published.
    pub diff: String,
}

/// The merge request a fetched Ticket is, if it is one.
pub fn of(doc: &Value) -> Option<RemoteMr> {
    let offer = match &doc["attachment"] {
        Value::Array(items) => items.iter().find(|a| a["type"] == "Offer")?,
        one if one["type"] == "Offer" => one,
        _ => return None,
    };
    let (source, source_repo) = branch(&offer["origin"]);
    let (target, target_repo) = branch(&offer["target"]);
    let version = &offer["object"];
    let patches = match &version["orderedItems"] {
        Value::Array(items) => items.clone(),
        _ => Vec::new(),
    };
    Some(RemoteMr {
        source_link: look_up(&source_repo),
        source,
        target_link: look_up(&target_repo),
        target,
        wip: offer["isWip"].as_bool().unwrap_or(false),
        head: version["target"]["hash"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        commits: patches.iter().filter_map(subject).collect(),
        diff: http_link(&offer["mrDiff"]),
    })
}

/// The commits' summaries of the JSON comparison at `href`, fetched under the fetcher's rules
/// for destinations, at most `MAX_DIFF` bytes; none when it cannot be read.
pub async fn diff_commits(state: &AppState, href: &str) -> Vec<String> {
    let Ok(url) = Url::parse(href) else {
        return Vec::new();
    };
    let fetcher = &state.federation.fetcher;
    if fetcher.check_destination(&url).await.is_err() {
        return Vec::new();
    }
    let sent = fetcher
        .client()
        .get(url.as_str())
        .header(ACCEPT, "application/json");
    let Ok(mut res) = sent.send().await else {
        return Vec::new();
    };
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = res.chunk().await {
        if !res.status().is_success() || body.len() + chunk.len() > MAX_DIFF {
            return Vec::new();
        }
        body.extend_from_slice(&chunk);
    }
    let doc: Value = serde_json::from_slice(&body).unwrap_or_default();
    let commits = doc["commits"].as_array().cloned().unwrap_or_default();
    (commits.iter())
        .filter_map(|c| c["summary"].as_str().map(str::to_string))
        .collect()
}

/// The http(s) IRI a Link (or a bare IRI) names; "" for anything else, so a page never links
/// another scheme a remote document put there.
fn http_link(v: &Value) -> String {
    let href = v
        .as_str()
        .or_else(|| v["href"].as_str())
        .unwrap_or_default();
    match Url::parse(href) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => u.to_string(),
        _ => String::new(),
    }
}

/// The look-up page of `iri` ("" for none).
fn look_up(iri: &str) -> String {
    match iri.is_empty() {
        true => String::new(),
        false => format!("/lookup?q={}", enc(iri)),
    }
}

/// A Branch (`name` or `ref`, of its `context`) or a repository's IRI: its label and the
/// repository.
fn branch(v: &Value) -> (String, String) {
    if let Some(repo) = v.as_str() {
        return (repo.to_string(), repo.to_string());
    }
    let repo = v["context"].as_str().unwrap_or_default().to_string();
    let name = (v["name"].as_str())
        .or_else(|| {
            v["ref"]
                .as_str()
                .map(|r| r.trim_start_matches("refs/heads/"))
        })
        .unwrap_or_default();
    match (name.is_empty(), repo.is_empty()) {
        (_, true) => (String::new(), String::new()),
        (true, false) => (repo.clone(), repo),
        (false, false) => (format!("{name} of {repo}"), repo),
    }
}

/// The subject of a Patch in git's format (its `Subject:` line without `[PATCH ...]`).
fn subject(patch: &Value) -> Option<String> {
    let text = patch["content"].as_str()?;
    let line = text.lines().find_map(|l| l.strip_prefix("Subject: "))?;
    let line = match line.strip_prefix('[') {
        Some(rest) => rest.split_once("] ").map_or(rest, |(_, s)| s),
        None => line,
    };
    Some(line.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::of;
    use serde_json::json;

    #[test]
    fn a_published_merge_request_is_read() {
        let doc = json!({"type": "Ticket", "attachment": {"type": "Offer", "isWip": true,
            "origin": {"type": "Branch", "context": "https://b.example/repos/f",
                       "ref": "refs/heads/fix"},
            "target": {"type": "Branch", "context": "https://a.example/repos/r", "name": "main"},
            "mrDiff": {"type": "Link", "href": "https://a.example/d"},
            "object": {"type": "OrderedCollection", "target": {"hash": "abc"},
                "orderedItems": [{"type": "Patch",
                    "content": "From abc\nSubject: [PATCH 1/1] Fix the crash\n\n---\n"}]}}});
        let mr = of(&doc).expect("a merge request");
        assert_eq!(mr.source, "fix of https://b.example/repos/f");
        assert_eq!(mr.target, "main of https://a.example/repos/r");
        assert!(mr
            .source_link
            .starts_with("/lookup?q=https%3A%2F%2Fb.example"));
        assert_eq!(
            (mr.head.as_str(), mr.diff.as_str()),
            ("abc", "https://a.example/d")
        );
        assert_eq!(mr.commits, vec!["Fix the crash".to_string()]);
        assert!(mr.wip);
        assert!(of(&json!({"type": "Ticket"})).is_none());
        let hostile = json!({"attachment": {"type": "Offer", "mrDiff": "javascript:alert(1)"}});
        assert_eq!(of(&hostile).expect("a merge request").diff, "");
    }
}
