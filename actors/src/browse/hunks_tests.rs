use super::*;

#[test]
fn binary_is_a_nul_in_the_first_8000_bytes() {
    assert!(is_binary(b"a\0b"));
    assert!(!is_binary(b"plain text\n"));
    let mut late = vec![b'a'; 9000];
    late[8500] = 0;
    assert!(!is_binary(&late));
}

#[test]
fn headers_follow_gits_ranges_and_missing_newlines() {
    let added = line_diff(b"", b"one\ntwo\n");
    assert_eq!(added.hunks[0].text, "@@ -0,0 +1,2 @@\n+one\n+two\n");
    let single = line_diff(b"x\n", b"y");
    assert_eq!(
        single.hunks[0].text,
        "@@ -1 +1 @@\n-x\n+y\n\\ No newline at end of file\n"
    );
    assert_eq!((single.additions, single.deletions), (1, 1));
    assert!(line_diff(b"same\n", b"same\n").hunks.is_empty());
}

#[test]
fn function_line_is_the_last_identifier_line_above() {
    let old: String = (0..20)
        .map(|i| {
            if i == 2 {
                "fn first() {\n".to_string()
            } else {
                format!("  {i}\n")
            }
        })
        .collect();
    let new = old.replace("  15\n", "  fifteen\n");
    let d = line_diff(old.as_bytes(), new.as_bytes());
    assert!(
        d.hunks[0]
            .text
            .starts_with("@@ -13,7 +13,7 @@ fn first() {\n"),
        "{}",
        d.hunks[0].text
    );
}
