//! Diff lines: classes and numbering from the hunk's starts.

use super::*;

#[test]
fn hunk_lines_are_classed_and_numbered() {
    let text = "@@ -3,3 +3,3 @@ fn f()\n a\n-b\n+c\n d\n\\ No newline at end of file\n";
    let lines = hunk_lines(text, 3, 3);
    let got: Vec<(&str, Option<u32>, Option<u32>)> =
        lines.iter().map(|l| (l.class, l.old, l.new)).collect();
    assert_eq!(
        got,
        [
            ("hunk", None, None),
            ("ctx", Some(3), Some(3)),
            ("del", Some(4), None),
            ("add", None, Some(4)),
            ("ctx", Some(5), Some(5)),
            ("note", None, None),
        ]
    );
    assert_eq!(lines[2].text, "-b");
}
