use super::*;

fn urls() -> Urls {
    Urls::new(Url::parse("http://orchard.test").unwrap())
}

fn iri(s: &str) -> Url {
    Url::parse(s).unwrap()
}

#[test]
fn review_iris_are_built_and_parsed_back() {
    let (u, p) = (urls(), ActorRef::new(ActorKind::PatchTracker, "pt"));
    let id = ThreadId { n: 3, r: 2, t: 1 };
    let thread = u.mr_thread(&p, id);
    let mr = "http://orchard.test/patch-trackers/pt/merge-requests/3";
    assert_eq!(thread.as_str(), format!("{mr}/reviews/2/threads/1"));
    assert_eq!(u.parse_mr_thread(&thread), Some((p.clone(), id)));
    let review = u.mr_review(&p, 3, 2);
    assert_eq!(u.parse_mr_review(&review), Some((p.clone(), 3, 2)));
    let approval = u.mr_approval(&p, 3, 7);
    assert_eq!(approval.as_str(), format!("{mr}/approvals/7"));
    assert_eq!(u.parse_mr_approval(&approval), Some((p.clone(), 3, 7)));
    let replies = u.mr_thread_replies(&p, id);
    assert_eq!(
        replies.as_str(),
        format!("{mr}/reviews/2/threads/1/replies")
    );
    let comment = u.mr_thread_comment(&p, id, 4);
    assert_eq!(
        comment.as_str(),
        format!("{mr}/reviews/2/threads/1/comments/4")
    );
    assert_eq!(u.mr_reviews(&p, 3).as_str(), format!("{mr}/reviews"));
    assert_eq!(u.mr_approvals(&p, 3).as_str(), format!("{mr}/approvals"));
}

#[test]
fn other_iris_are_no_review_iris() {
    let u = urls();
    let mr = "http://orchard.test/patch-trackers/pt/merge-requests/3";
    for bad in [
        format!("{mr}/reviews/0/threads/1"),
        format!("{mr}/reviews/2/threads/01"),
        format!("{mr}/reviews/2/threads/x"),
        format!("{mr}/reviews/2/threads/1?x"),
        format!("{mr}/reviews/2/threads/1/replies"),
        "http://other.test/patch-trackers/pt/merge-requests/3/reviews/2/threads/1".into(),
        "http://orchard.test/patch-trackers/P/merge-requests/3/reviews/2/threads/1".into(),
    ] {
        assert_eq!(u.parse_mr_thread(&iri(&bad)), None, "{bad}");
    }
    assert_eq!(
        u.parse_mr_approval(&iri(&format!("{mr}/approvals/a"))),
        None
    );
    assert_eq!(u.parse_mr_review(&iri(&format!("{mr}/reviews"))), None);
}

#[test]
fn the_shape_of_review_parts_on_any_instance() {
    let t = "https://far.example/x/patch-trackers/pt";
    let thread = iri(&format!("{t}/merge-requests/1/reviews/2/threads/3"));
    let found = tracker_of_review_part(&thread);
    assert_eq!(found, Some((iri(t), ReviewPart::Thread)));
    let approval = iri(&format!("{t}/merge-requests/1/approvals/2"));
    assert_eq!(
        tracker_of_review_part(&approval),
        Some((iri(t), ReviewPart::Approval))
    );
    for other in [
        format!("{t}/merge-requests/1"),
        format!("{t}/merge-requests/1/reviews/2"),
        format!("{t}/merge-requests/1/reviews/2/threads/x"),
        format!("{t}/merge-requests/1/approvals"),
        "https://far.example/merge-requests/1/approvals/2".into(),
    ] {
        assert_eq!(tracker_of_review_part(&iri(&other)), None, "{other}");
    }
}
