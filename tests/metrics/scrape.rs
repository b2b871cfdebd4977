//! Reading `GET /metrics` as a scraper does: each sample line of the Prometheus text format as
//! `name{labels}` -> value, and the differences between two scrapes.

use std::collections::BTreeMap;

/// One scrape: every sample by its series (`name{labels}` as written).
pub struct Scrape {
    pub text: String,
    pub samples: BTreeMap<String, f64>,
}

impl Scrape {
    /// Parses the text format; every line is a comment or a `series value` sample.
    pub fn parse(text: &str) -> Scrape {
        let mut samples = BTreeMap::new();
        for line in text.lines() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (series, value) = line
                .rsplit_once(' ')
                .unwrap_or_else(|| panic!("not a sample line: {line:?}"));
            let value: f64 = value
                .parse()
                .unwrap_or_else(|_| panic!("not a value: {line:?}"));
            samples.insert(series.to_string(), value);
        }
        Scrape {
            text: text.to_string(),
            samples,
        }
    }

    /// The value of a series; 0 when absent (a counter not yet moved).
    pub fn get(&self, series: &str) -> f64 {
        self.samples.get(series).copied().unwrap_or(0.0)
    }

    /// How much a series grew since `before`.
    pub fn grew(&self, before: &Scrape, series: &str) -> f64 {
        self.get(series) - before.get(series)
    }

    /// Every series of the metric `name`.
    pub fn of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = (&'a String, &'a f64)> + 'a {
        self.samples
            .iter()
            .filter(move |(s, _)| s.as_str() == name || s.starts_with(&format!("{name}{{")))
    }
}

/// `GET /metrics` of the instance at `base`, with a bearer token if given: (status, body).
pub async fn get(base: &str, token: Option<&str>) -> (u16, String, Option<String>) {
    let mut req = crate::common::client().get(format!("{base}/metrics"));
    if let Some(t) = token {
        req = req.header("Authorization", format!("Bearer {t}"));
    }
    let res = req.send().await.expect("GET /metrics");
    let status = res.status().as_u16();
    let kind = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (status, res.text().await.unwrap_or_default(), kind)
}

/// A scrape of an instance serving its metrics without a token.
pub async fn scrape(base: &str) -> Scrape {
    let (status, text, _) = get(base, None).await;
    assert_eq!(status, 200, "{text}");
    Scrape::parse(&text)
}
