//! Narration and checks: a numbered line per step, an indented line per action and one
//! `verified:` line per check, and the [`Failure`] that ends the demo, which says what was
//! checked, what was expected and what was seen.

use serde_json::Value;
use std::fmt::Display;
use std::time::{Duration, Instant};

/// A check that did not hold, or something the demo could not do.
#[derive(Debug)]
pub struct Failure {
    pub what: String,
    pub expected: String,
    pub seen: String,
    pub hint: Option<String>,
}

/// The result of a step or a check.
pub type Outcome<T> = Result<T, Failure>;

impl Failure {
    pub fn new(what: impl Display, expected: impl Display, seen: impl Display) -> Failure {
        Failure {
            what: what.to_string(),
            expected: expected.to_string(),
            seen: seen.to_string(),
            hint: None,
        }
    }

    /// Adds a line telling the reader where to look or what to do.
    pub fn hint(mut self, hint: impl Display) -> Failure {
        self.hint = Some(hint.to_string());
        self
    }
}

/// Fails with `what`, `expected` and `seen` unless `holds`.
pub fn ensure(holds: bool, what: &str, expected: impl Display, seen: impl Display) -> Outcome<()> {
    if holds {
        Ok(())
    } else {
        Err(Failure::new(what, expected, seen))
    }
}

/// Fails unless the JSON value `seen` equals `expected`.
pub fn same(what: &str, expected: &Value, seen: &Value) -> Outcome<()> {
    ensure(expected == seen, what, expected, seen)
}

/// A JSON value shortened for a message (documents can be long).
pub fn brief(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 600 {
        let head: String = text.chars().take(600).collect();
        format!("{head}... ({} characters)", text.len())
    } else {
        text
    }
}

/// Prints the scenario as it runs and keeps count of steps, checks and time.
pub struct Narrator {
    total: usize,
    step: usize,
    checks: usize,
    started: Instant,
    current: Option<(String, Instant)>,
    timings: Vec<(String, Duration)>,
}

impl Narrator {
    pub fn new(total: usize) -> Narrator {
        Narrator {
            total,
            step: 0,
            checks: 0,
            started: Instant::now(),
            current: None,
            timings: Vec::new(),
        }
    }

    /// Starts the next numbered step.
    pub fn step(&mut self, title: &str) {
        self.end_step();
        self.step += 1;
        println!();
        println!("[{:>2}/{}] {title}", self.step, self.total);
        self.current = Some((title.to_string(), Instant::now()));
    }

    /// Something the demo does: a request, a git command.
    pub fn action(&self, text: impl Display) {
        println!("  > {text}");
    }

    /// A check that held.
    pub fn verified(&mut self, text: impl Display) {
        self.checks += 1;
        println!("  verified: {text}");
    }

    fn end_step(&mut self) {
        if let Some((title, at)) = self.current.take() {
            self.timings.push((title, at.elapsed()));
        }
    }

    /// Prints the summary of a successful run.
    pub fn summary(&mut self) {
        self.end_step();
        println!();
        println!(
            "== All {} steps passed: {} checks verified in {:.1} s",
            self.timings.len(),
            self.checks,
            self.started.elapsed().as_secs_f64()
        );
        for (i, (title, took)) in self.timings.iter().enumerate() {
            println!("  {:>2}. {title:<64} {:>5.2} s", i + 1, took.as_secs_f64());
        }
    }

    /// Prints a failure of the current step.
    pub fn failed(&mut self, failure: &Failure) {
        let title = self.current.as_ref().map(|c| c.0.clone());
        self.end_step();
        let done = self.timings.len().saturating_sub(1);
        println!();
        println!(
            "== FAILED at step {}/{}{}",
            self.step,
            self.total,
            title.map(|t| format!(": {t}")).unwrap_or_default()
        );
        println!("  check:    {}", failure.what);
        println!("  expected: {}", failure.expected);
        println!("  seen:     {}", failure.seen);
        if let Some(hint) = &failure.hint {
            println!("  hint:     {hint}");
        }
        println!(
            "  ({done} steps and {} checks had passed, after {:.1} s)",
            self.checks,
            self.started.elapsed().as_secs_f64()
        );
    }
}
