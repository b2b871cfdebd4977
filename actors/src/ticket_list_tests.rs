//! Unit tests of the tracker's ticket listing (`kinds::ticket_list::list`) on a `TestActor`:
//! the open, closed and all states, pages of 20 newest first, a page past the last.

use crate::base::kind::ActorKind;
use crate::data::tickets;
use crate::data::tickets::{Resolution, TicketRecord};
use crate::kinds::ticket_list::{list, TicketList, TicketState};
use crate::testing::TestActor;
use serde_json::Value;

/// A tracker with 25 tickets, every fifth one resolved.
fn tracker() -> TestActor {
    let t = TestActor::new(ActorKind::TicketTracker, "bugs");
    for number in 1..=25 {
        let resolution = (number % 5 == 0).then(|| Resolution {
            by: "http://orchard.test/people/a".into(),
            at: "2026-01-01T00:00:00Z".into(),
            activity: format!("http://orchard.test/people/a/activities/{number}"),
        });
        let record = TicketRecord {
            number,
            author: "http://orchard.test/people/a".into(),
            summary: format!("ticket {number}"),
            content: None,
            media_type: None,
            source: None,
            published: "2026-01-01T00:00:00Z".into(),
            offer: format!("http://orchard.test/people/a/activities/o{number}"),
            resolution,
        };
        tickets::save(&t.core, &record).expect("saved");
    }
    t
}

fn numbers(list: &TicketList) -> Vec<u64> {
    let n = |v: &Value| {
        v["id"]
            .as_str()
            .and_then(|i| i.rsplit('/').next()?.parse().ok())
    };
    list.items.iter().filter_map(n).collect()
}

#[test]
fn lists_page_by_page_newest_first_by_state() {
    let t = tracker();
    let open = list(&t.core, TicketState::Open, 1).unwrap();
    assert_eq!(
        (open.matching, open.open, open.resolved, open.pages),
        (20, 20, 5, 1)
    );
    assert_eq!(numbers(&open)[..3], [24, 23, 22]);
    let closed = list(&t.core, TicketState::Resolved, 1).unwrap();
    assert_eq!(numbers(&closed), vec![25, 20, 15, 10, 5]);
    let all = list(&t.core, TicketState::All, 2).unwrap();
    assert_eq!((all.pages, numbers(&all)), (2, vec![5, 4, 3, 2, 1]));
    let past = list(&t.core, TicketState::All, 9).unwrap();
    assert_eq!(
        numbers(&past),
        numbers(&all),
        "past the last page: the last"
    );
    assert_eq!(TicketState::parse(Some("closed")), TicketState::Resolved);
    assert_eq!(TicketState::parse(Some("bogus")), TicketState::Open);
}
