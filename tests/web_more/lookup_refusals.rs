//! The look-up page's refusals: a pasted IRI of this instance whose path a browser would read
//! as another host (`//evil.example/...`, also written with a backslash) goes to `/`, never off
//! the instance; a blocked host is neither fetched nor shown.

use crate::common::forge::B_SETTINGS;
use crate::common::Instance;
use crate::web::{enc, Web};
use crate::world::two;

#[tokio::test]
async fn look_up_never_redirects_off_site() {
    let t = two().await;
    let a = &t.w.a.url;
    for pasted in [
        format!("{a}//evil.example/login"),
        format!("{a}/\\evil.example/login"),
    ] {
        let (status, location) = t
            .admin
            .redirect_of(&format!("/lookup?q={}", enc(&pasted)))
            .await;
        assert_eq!((status, location.as_str()), (303, "/"), "{pasted}");
    }
}

#[tokio::test]
async fn a_blocked_host_is_not_looked_up() {
    let b = Instance::start("b", B_SETTINGS).await;
    b.register("bob").await;
    let bob = format!("{}/people/bob", b.url);
    let follow = "action=\"/lookup/follow\"";
    let open = Instance::start("open", B_SETTINGS).await;
    open.register("carol").await;
    let page = Web::signed_in(&open, "carol")
        .await
        .page(&format!("/lookup?q={}", enc(&bob)))
        .await;
    assert!(
        page.contains(follow),
        "looked up where B is not blocked: {page}"
    );
    let blocking = Instance::start(
        "blocking",
        "[federation]\nallow_private_addresses = true\nblocked_hosts = [\"127.0.0.1\"]\n",
    )
    .await;
    blocking.register("carol").await;
    let web = Web::signed_in(&blocking, "carol").await;
    let page = web.page(&format!("/lookup?q={}", enc(&bob))).await;
    assert!(page.contains("is blocked on this instance"), "{page}");
    assert!(!page.contains(follow), "{page}");
    let page = web
        .page(&format!("/lookup?q={}", enc("bob@127.0.0.1")))
        .await;
    assert!(page.contains("is blocked on this instance"), "{page}");
}

/// Look-ups are limited per person (`lookups_per_minute_per_person`): past the limit, 429 with
/// Retry-After and nothing fetched; another person still looks up.
#[tokio::test]
async fn look_ups_are_limited_per_person() {
    let settings =
        "[federation]\nallow_private_addresses = true\nlookups_per_minute_per_person = 2\n";
    let a = Instance::start("a", settings).await;
    a.register("carol").await;
    a.register("dave").await;
    let carol = Web::signed_in(&a, "carol").await;
    let q = format!("/lookup?q={}", enc("nobody@127.0.0.1:9"));
    for _ in 0..2 {
        assert_eq!(carol.get(&q).await.0, 200);
    }
    let (status, body) = carol.get(&q).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(
        carol.get("/lookup").await.0,
        200,
        "the empty page is not a look-up"
    );
    let dave = Web::signed_in(&a, "dave").await;
    assert_eq!(dave.get(&q).await.0, 200, "another person is not limited");
}
