//! Rows of a merge request's diff: keyed by side and line, the threads quoting them beside them.

use super::*;
use crate::web::repo::diff_view::hunk_lines;

fn thread(file: &str, key: &str) -> ThreadView {
    ThreadView {
        path: String::new(),
        anchor: format!("thread-{key}"),
        label: String::new(),
        file: file.into(),
        key: key.into(),
        resolved: false,
        resolved_by: String::new(),
        comments: Vec::new(),
    }
}

#[test]
fn rows_are_keyed_and_take_the_threads_that_quote_them() {
    let lines = hunk_lines("@@ -3,2 +3,2 @@\n a\n-b\n+c\n", 3, 3);
    let mut threads = vec![
        thread("x.c", "n4"),
        thread("x.c", "o4"),
        thread("y.c", "n3"),
    ];
    threads.push(thread("x.c", ""));
    let rows: Vec<Row> = (lines.into_iter())
        .map(|l| row(l, &mut threads, "x.c", "o4"))
        .collect();
    let keys: Vec<(&str, &str, u32)> = rows
        .iter()
        .map(|r| (r.key.as_str(), r.side, r.number))
        .collect();
    assert_eq!(
        keys,
        [
            ("", "", 0),
            ("n3", "diffSideNew", 3),
            ("o4", "diffSideOld", 4),
            ("n4", "diffSideNew", 4)
        ]
    );
    let placed: Vec<usize> = rows.iter().map(|r| r.threads.len()).collect();
    assert_eq!(placed, [0, 0, 1, 1], "y.c's thread and the file's stay out");
    assert_eq!(rows[2].threads[0].anchor, "thread-o4");
    let open: Vec<bool> = rows.iter().map(|r| r.form).collect();
    assert_eq!(open, [false, false, true, false]);
    let left: Vec<&str> = threads.iter().map(|t| t.anchor.as_str()).collect();
    assert_eq!(left, ["thread-n3", "thread-"]);
}
