use super::*;
use serde_json::json;

fn anchor(v: Value) -> Result<Anchor, String> {
    CodeQuote::parse(&v)?.anchor()
}

#[test]
fn the_three_options_of_the_spec() {
    let file = json!({"type": "CodeQuote", "cqFile": "src/main.c"});
    assert_eq!(anchor(file), Ok(Anchor::File));
    let line = json!({"type": "CodeQuote", "cqFile": "src/main.c", "cqLine": 12,
                      "cqSide": "diffSideNew"});
    let side = DiffSide::New;
    assert_eq!(anchor(line), Ok(Anchor::Line { line: 12, side }));
    let range = json!({"type": "CodeQuote", "cqFile": "a/b.rs", "cqStart": 3,
        "cqStartSide": "https://forgefed.org/ns#diffSideOld", "cqEnd": 5,
        "cqEndSide": "forge:diffSideNew"});
    let expected = Anchor::Range {
        start: 3,
        start_side: DiffSide::Old,
        end: 5,
        end_side: DiffSide::New,
    };
    assert_eq!(anchor(range), Ok(expected));
}

#[test]
fn malformed_quotes_say_what_is_wrong() {
    let q = |extra: Value| {
        let mut v = json!({"type": "CodeQuote", "cqFile": "src/main.c"});
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        anchor(v).unwrap_err()
    };
    let cases = [
        (json!({"type": "Note"}), "of type CodeQuote"),
        (json!({"cqFile": null}), "no cqFile"),
        (
            json!({"cqFile": "/etc/passwd"}),
            "relative to the repository",
        ),
        (json!({"cqFile": "a/../b"}), "relative to the repository"),
        (json!({"cqFile": ""}), "relative to the repository"),
        (json!({"cqLine": 3}), "go together"),
        (json!({"cqSide": "diffSideNew"}), "go together"),
        (
            json!({"cqLine": 0, "cqSide": "diffSideNew"}),
            "counts from 1",
        ),
        (
            json!({"cqLine": "3", "cqSide": "diffSideNew"}),
            "malformed CodeQuote",
        ),
        (
            json!({"cqLine": -1, "cqSide": "diffSideNew"}),
            "malformed CodeQuote",
        ),
        (json!({"cqLine": 3, "cqSide": "left"}), "not a DiffSide"),
        (
            json!({"cqLine": 3, "cqSide": "diffSideNew", "cqStart": 1}),
            "not both",
        ),
        (json!({"cqStart": 1, "cqEnd": 2}), "needs cqStart, cqEnd"),
        (
            json!({"cqStart": 5, "cqEnd": 2, "cqStartSide": "diffSideOld",
                   "cqEndSide": "diffSideOld"}),
            "is after cqEnd",
        ),
    ];
    for (extra, reason) in cases {
        let why = q(extra.clone());
        assert!(
            why.contains(reason),
            "{extra}: {why:?} should say {reason:?}"
        );
    }
}

#[test]
fn a_quote_round_trips() {
    let v = json!({"type": "CodeQuote", "cqFile": "x", "cqLine": 1, "cqSide": "diffSideOld",
                   "cqHunk": "@@ -1 +1 @@", "cqOutdated": false, "other": 1});
    let q = CodeQuote::parse(&v).unwrap();
    assert_eq!(serde_json::to_value(&q).unwrap(), v);
}
