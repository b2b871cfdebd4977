//! One delivery attempt's POST: the signed activity sent to a remote inbox, and what its answer
//! means (delivered; failed for good on a 4xx other than 408 and 429; to be retried otherwise).

use url::Url;

/// What one attempt came to.
pub enum Outcome {
    Delivered,
    Permanent(String),
    Retry(String),
}

/// POSTs `body` to `url` with the signature `headers`.
pub async fn post(
    client: &reqwest::Client,
    url: &Url,
    body: &str,
    headers: Vec<(String, String)>,
) -> Outcome {
    let mut req = client
        .post(url.clone())
        .header("Content-Type", schema::context::ACTIVITY_JSON)
        .body(body.to_string());
    for (name, value) in headers {
        req = req.header(name, value);
    }
    match req.send().await {
        Ok(res) => {
            let status = res.status();
            if status.is_success() {
                Outcome::Delivered
            } else if status.is_client_error() && status.as_u16() != 408 && status.as_u16() != 429 {
                Outcome::Permanent(format!("{url} answered {status}"))
            } else {
                Outcome::Retry(format!("{url} answered {status}"))
            }
        }
        Err(e) => Outcome::Retry(format!("{url}: {e}")),
    }
}
