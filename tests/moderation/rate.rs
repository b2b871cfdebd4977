//! The per-address and per-host inbox rate: runs of signed POSTs to an inbox, and the check
//! that a verified host's budget is shared by all its addresses.

use crate::calls::follow;
use crate::common::remote::{FakeRemote, Sign};

/// POSTs `n` Follows to `inbox`, each signed as `sign(i)` says; answers the statuses.
pub async fn statuses(
    remote: &FakeRemote,
    inbox: &str,
    bob: &str,
    n: u32,
    first: u32,
    sign: impl Fn(u32) -> Sign,
) -> Vec<u16> {
    let mut out = Vec::new();
    for i in 0..n {
        let body = follow(remote, "eve", bob, first + i);
        out.push(remote.post(inbox, &body, &sign(i)).await.0);
    }
    out
}

/// The verified host's budget is shared by all its addresses: from a fresh address (whose own
/// burst of 10 is not spent by 9 POSTs), eve's host is soon refused.
pub async fn the_host_budget_is_shared(remote: &FakeRemote, inbox: &str, bob: &str) {
    let mut refused_for_host = None;
    for i in 0..9 {
        let mut s = Sign::by("eve");
        s.from = Some("127.0.0.4".parse().unwrap());
        let (status, body) = remote
            .post(inbox, &follow(remote, "eve", bob, 300 + i), &s)
            .await;
        if status == 429 {
            refused_for_host = Some(body);
            break;
        }
    }
    let body = refused_for_host.expect("eve's host runs out of budget");
    assert!(
        body["error"].as_str().unwrap().contains("from host"),
        "{body}"
    );
}
