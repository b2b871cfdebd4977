//! The view models: links (encoded), breadcrumbs, rows, sizes and days.

use super::*;

#[test]
fn links_encode_what_a_path_may_not_hold() {
    assert_eq!(link("/repos/r", "tree", "main", ""), "/repos/r/tree/main");
    assert_eq!(
        link("/repos/r", "blob", "feature/x", "a b/c#d.rs"),
        "/repos/r/blob/feature/x/a%20b/c%23d.rs"
    );
    assert_eq!(encode("<é>"), "%3C%C3%A9%3E");
}

#[test]
fn crumbs_link_every_directory_from_the_root() {
    let c = crumbs("/repos/r", "main", "src/web");
    let names: Vec<&str> = c.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["(root)", "src", "web"]);
    assert_eq!(c[2].href, "/repos/r/tree/main/src/web");
    assert_eq!(crumbs("/repos/r", "main", "").len(), 1);
}

#[test]
fn sizes_and_days_read_as_people_read_them() {
    assert_eq!(human_size(812), "812 B");
    assert_eq!(human_size(4300), "4.2 KiB");
    assert_eq!(human_size(1572864), "1.5 MiB");
    assert_eq!(day("2026-12-02T18:40:00+01:00"), "2026-12-02");
    assert_eq!(day("short"), "short");
}

#[test]
fn rows_link_trees_and_blobs_but_not_submodules() {
    let entry = |name: &str, kind: Kind, size| Entry {
        name: name.into(),
        path: format!("d/{name}"),
        kind,
        mode: String::new(),
        size,
        id: String::new(),
    };
    let rows = entry_rows(
        "/repos/r",
        "main",
        &[
            entry("src", Kind::Tree, None),
            entry("a.rs", Kind::Blob, Some(10)),
            entry("vendor", Kind::Submodule, None),
        ],
    );
    assert_eq!(rows[0].href.as_deref(), Some("/repos/r/tree/main/d/src"));
    assert_eq!(rows[1].href.as_deref(), Some("/repos/r/blob/main/d/a.rs"));
    assert_eq!((rows[1].kind, rows[1].size.as_str()), ("blob", "10 B"));
    assert_eq!(rows[2].href, None);
}

#[test]
fn the_ref_is_what_is_left_of_the_spec_without_its_path() {
    assert_eq!(rev_of("main", ""), "main");
    assert_eq!(rev_of("main/", ""), "main");
    assert_eq!(rev_of("feature/x/src/lib.rs", "src/lib.rs"), "feature/x");
    assert_eq!(rev_of("main/src/", "src"), "main");
}
