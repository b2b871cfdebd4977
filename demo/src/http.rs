//! Plain HTTP to the instances: JSON GETs and POSTs (optionally with a bearer token), paged
//! ActivityStreams collections, and polling until an asynchronous effect shows up.

use crate::report::{brief, Failure, Outcome};
use serde_json::Value;
use std::time::{Duration, Instant};

/// How long the demo waits for an asynchronous effect (a delivery, an answer) to show up.
pub const WAIT: Duration = Duration::from_secs(20);
/// Pause between two looks at something that has not happened yet.
const POLL_EVERY: Duration = Duration::from_millis(100);
/// Pages of a collection read at most (20 items each).
const MAX_PAGES: u64 = 20;

/// An HTTP client for the demo.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
}

/// An answer: status and JSON body (`null` when the body is not JSON).
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Http {
    pub fn new() -> Outcome<Http> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| Failure::new("create an HTTP client", "a client", chain(&e)))?;
        Ok(Http { client })
    }

    /// GETs `url` as ActivityStreams JSON.
    pub async fn get(&self, url: &str, token: Option<&str>) -> Outcome<Answer> {
        let mut req = self
            .client
            .get(url)
            .header("Accept", "application/activity+json");
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        answer(format!("GET {url}"), req).await
    }

    /// POSTs `body` as JSON to `url`.
    pub async fn post(&self, url: &str, token: Option<&str>, body: &Value) -> Outcome<Answer> {
        let mut req = self.client.post(url).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        answer(format!("POST {url}"), req).await
    }

    /// GETs `url` and fails unless it answers 200.
    pub async fn get_ok(&self, url: &str, token: Option<&str>) -> Outcome<Value> {
        let a = self.get(url, token).await?;
        if a.status != 200 {
            return Err(Failure::new(
                format!("GET {url}"),
                "200",
                format!("{} {}", a.status, brief(&a.body)),
            ));
        }
        Ok(a.body)
    }

    /// Every item of a paged collection (`?page=1`, `?page=2`, ...), in the collection's order.
    pub async fn items(&self, collection: &str, token: Option<&str>) -> Outcome<Vec<Value>> {
        let mut all = Vec::new();
        for page in 1..=MAX_PAGES {
            let body = self
                .get_ok(&format!("{collection}?page={page}"), token)
                .await?;
            let items = body["orderedItems"].as_array().cloned().unwrap_or_default();
            let last = items.is_empty() || body.get("next").is_none_or(Value::is_null);
            all.extend(items);
            if last {
                break;
            }
        }
        Ok(all)
    }
}

async fn answer(what: String, req: reqwest::RequestBuilder) -> Outcome<Answer> {
    let res = req
        .send()
        .await
        .map_err(|e| Failure::new(&what, "an HTTP answer", chain(&e)))?;
    let status = res.status().as_u16();
    let text = res
        .text()
        .await
        .map_err(|e| Failure::new(&what, "a readable body", chain(&e)))?;
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Ok(Answer { status, body })
}

/// An error with its causes, on one line.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// One look at something asynchronous: there, or not yet (with what was seen instead).
pub enum Look<T> {
    Found(T),
    NotYet(String),
}

/// Looks every 100 ms until `look` finds its value or [`WAIT`] passes; then fails with what
/// was expected and what the last look saw.
pub async fn wait_for<T>(
    what: &str,
    expected: &str,
    mut look: impl AsyncFnMut() -> Outcome<Look<T>>,
) -> Outcome<T> {
    let deadline = Instant::now() + WAIT;
    loop {
        match look().await? {
            Look::Found(value) => return Ok(value),
            Look::NotYet(seen) if Instant::now() >= deadline => {
                return Err(Failure::new(
                    what,
                    format!("{expected} (within {} s)", WAIT.as_secs()),
                    seen,
                ))
            }
            Look::NotYet(_) => tokio::time::sleep(POLL_EVERY).await,
        }
    }
}
