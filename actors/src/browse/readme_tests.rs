use super::*;
use crate::browse::revision::open;
use crate::browse::test_repo::TestRepo;

const HOSTILE: &str = r#"# Title

Some *text* with `code` and a [link](https://example.org/x).

| a | b |
|---|---|
| 1 | 2 |

```
fn main() {}
```

<script>alert(1)</script>
<img src="x.png" onerror="alert(2)">
<a href="javascript:alert(3)">click</a>

[md link](javascript:alert(4)) and [upper](JavaScript:alert(7)) and [ent](&#106;avascript:alert(8))

<iframe src="https://evil.example/"></iframe>
<p style="position:fixed">styled</p>
<div onclick="alert(5)">div</div>
<svg onload="alert(6)"></svg>
<style>body { display: none }</style>
<form action="https://evil.example/"><input name="p"></form>
"#;

#[test]
fn markdown_keeps_formatting_and_drops_everything_active() {
    let html = markdown(HOSTILE);
    for kept in [
        "<h1>Title</h1>",
        "<em>text</em>",
        "<code>code</code>",
        "<a href=\"https://example.org/x\" rel=\"noopener noreferrer\">link</a>",
        "<table>",
        "<td>1</td>",
        "<pre><code>fn main() {}",
        "<img src=\"x.png\">",
        "styled",
        "md link",
    ] {
        assert!(html.contains(kept), "{kept} missing from {html}");
    }
    let lower = html.to_lowercase();
    for gone in [
        "<script",
        "alert(1)",
        "onerror",
        "javascript:",
        "<iframe",
        "style=",
        "onclick",
        "<svg",
        "onload",
        "<style",
        "display: none",
        "<form",
        "<input",
    ] {
        assert!(!lower.contains(gone), "{gone} got through: {html}");
    }
}

#[test]
fn plain_readmes_are_escaped_in_pre() {
    assert_eq!(
        preformatted("<b>&\"'</b>"),
        "<pre>&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;</pre>"
    );
}

#[test]
fn the_preferred_readme_of_the_ref_or_the_default_branch() {
    let t = TestRepo::new();
    let first = t.commit(
        &[
            ("README", Some(b"plain <b>\n")),
            ("docs/README.md", Some(b"# not root\n")),
        ],
        "plain",
    );
    let r = readme(&open(&t.git_dir()).unwrap(), None).unwrap();
    assert_eq!((r.path.as_str(), r.rev.as_str()), ("README", "main"));
    assert_eq!(r.html, "<pre>plain &lt;b&gt;\n</pre>");
    assert_eq!(r.commit, first);
    t.git(&["checkout", "-q", "-b", "feature/docs"]);
    t.commit(&[("readme.md", Some(b"# Hello\n"))], "markdown");
    let md = readme(&open(&t.git_dir()).unwrap(), Some("feature/docs")).unwrap();
    assert_eq!(
        (md.path.as_str(), md.html.as_str()),
        ("readme.md", "<h1>Hello</h1>\n")
    );
    assert!(matches!(
        readme(&open(&t.git_dir()).unwrap(), Some("nope")),
        Err(ActorError::NotFound(_))
    ));
    assert!(matches!(
        readme(&open(&t.git_dir()).unwrap(), Some("a..b")),
        Err(ActorError::Invalid(_))
    ));
    t.git(&["checkout", "-q", "main"]);
    assert_eq!(
        readme(&open(&t.git_dir()).unwrap(), None).unwrap().path,
        "README"
    );
    t.commit(&[("README", None)], "no readme");
    match readme(&open(&t.git_dir()).unwrap(), None) {
        Err(ActorError::NotFound(m)) => assert!(m.contains("README"), "{m}"),
        other => panic!("{other:?}"),
    }
}
