//! The federation benchmark's options: `key=value` arguments after `--`, else the environment
//! variable `BENCH_<KEY>`; bare words name the sections to run.

use std::collections::HashMap;

/// The options of a run.
#[derive(Clone, Default)]
pub struct Options {
    args: HashMap<String, String>,
    /// Sections named on the command line (`inbox`, `fanout`, `crypto`); empty means all.
    pub sections: Vec<String>,
}

impl Options {
    pub fn from_args() -> Options {
        let mut o = Options::default();
        for a in std::env::args().skip(1) {
            if a.starts_with('-') {
                continue; // `--bench` from cargo, and any harness flag
            }
            match a.split_once('=') {
                Some((k, v)) => {
                    o.args.insert(k.to_ascii_lowercase(), v.to_string());
                }
                None => o.sections.push(a.to_ascii_lowercase()),
            }
        }
        o
    }

    pub fn runs(&self, section: &str) -> bool {
        self.sections.is_empty() || self.sections.iter().any(|s| s == section)
    }

    pub fn get(&self, key: &str) -> Option<String> {
        self.args
            .get(key)
            .cloned()
            .or_else(|| std::env::var(format!("BENCH_{}", key.to_ascii_uppercase())).ok())
    }

    pub fn usize(&self, key: &str, default: usize) -> usize {
        match self.get(key) {
            Some(v) => v
                .parse()
                .unwrap_or_else(|_| panic!("{key}={v}: expected a number")),
            None => default,
        }
    }

    /// A comma-separated list of numbers (e.g. `inbox_concurrency=8,32,64`).
    pub fn usizes(&self, key: &str, default: &[usize]) -> Vec<usize> {
        match self.get(key) {
            Some(v) => v
                .split(',')
                .map(|x| {
                    x.trim()
                        .parse()
                        .unwrap_or_else(|_| panic!("{key}={v}: expected numbers"))
                })
                .collect(),
            None => default.to_vec(),
        }
    }
}
