use super::*;
use std::task::Waker;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn admission(total: usize, per_client: usize) -> Admission {
    Admission::new(total, per_client, Sessions::new(16))
}

fn evicted(e: &mut Eviction) -> bool {
    e.poll_evicted(&mut Context::from_waker(Waker::noop()))
}

#[test]
fn caps_per_client_and_releases_on_drop() {
    let a = admission(3, 2);
    let one = a.admit(ip("10.0.0.1")).unwrap();
    let two = a.admit(ip("10.0.0.1")).unwrap();
    assert_eq!(a.admit(ip("10.0.0.1")).err(), Some(Refused::Client));
    let other = a.admit(ip("10.0.0.2")).unwrap();
    assert!(one.made_room.is_none() && other.made_room.is_none());
    drop(one);
    assert!(a.admit(ip("10.0.0.3")).unwrap().made_room.is_none());
    drop((two, other));
    assert!(a.lock().total == 0 && a.lock().per_client.is_empty());
}

#[test]
fn a_full_total_makes_room_by_closing_the_biggest_holders_oldest() {
    let a = admission(4, 3);
    let mut first = a.admit(ip("10.0.0.1")).unwrap();
    let mut second = a.admit(ip("10.0.0.1")).unwrap();
    let mut other = a.admit(ip("10.0.0.2")).unwrap();
    let _third = a.admit(ip("10.0.0.1")).unwrap();
    // Full: 10.0.0.1 holds 3, 10.0.0.2 holds 1. A fresh client takes 10.0.0.1's oldest place.
    let mut fresh = a.admit(ip("10.0.0.9")).unwrap();
    assert_eq!(fresh.made_room, Some(ip("10.0.0.1")));
    assert!(evicted(&mut first.eviction));
    assert!(!evicted(&mut second.eviction) && !evicted(&mut other.eviction));
    assert!(!evicted(&mut fresh.eviction));
    assert_eq!(a.lock().total, 4);
    assert_eq!(a.lock().per_client[&ip("10.0.0.1")].len(), 2);
    // The evicted connection ending later does not count it twice.
    drop(first);
    assert_eq!(a.lock().total, 4);
    // 10.0.0.2 (1 held) still makes room, again from 10.0.0.1 (2 held).
    let _more = a.admit(ip("10.0.0.2")).unwrap();
    assert!(evicted(&mut second.eviction));
    // Now 10.0.0.2 holds the most (2): a newcomer from it is refused.
    assert_eq!(a.admit(ip("10.0.0.2")).err(), Some(Refused::Total));
    assert!(!evicted(&mut other.eviction));
}

#[test]
fn ties_between_biggest_holders_give_up_the_oldest_connection() {
    let holders = [
        (ip("10.0.0.1"), 2, 7),
        (ip("10.0.0.2"), 2, 3),
        (ip("10.0.0.3"), 1, 1),
    ];
    assert_eq!(victim(holders.into_iter(), 0), Some(ip("10.0.0.2")));
    assert_eq!(victim(holders.into_iter(), 1), Some(ip("10.0.0.2")));
    assert_eq!(victim(holders.into_iter(), 2), None);
    assert_eq!(victim(std::iter::empty(), 0), None);
}

#[test]
fn many_flooding_addresses_cannot_keep_a_fresh_client_out() {
    // 8 addresses holding the per-client cap each fill the total, as in the review's attack.
    let a = admission(64, 8);
    let flood: Vec<Admitted> = (0..64)
        .map(|i| a.admit(ip(&format!("10.0.0.{}", i % 8))).unwrap())
        .collect();
    for i in 0..8 {
        assert!(a.admit(ip(&format!("10.0.0.{i}"))).is_err());
    }
    let git_user = a.admit(ip("192.0.2.1")).unwrap();
    assert!(git_user.made_room.is_some());
    // 50 more flooding addresses (59 clients for 64 places, so some client always holds 2)
    // only displace each other, never the git user's one connection.
    for i in 0..100 {
        let from = ip(&format!("10.0.1.{}", i % 50));
        let _ = a.admit(from).map(std::mem::forget);
    }
    assert_eq!(a.lock().per_client[&ip("192.0.2.1")].len(), 1);
    drop((flood, git_user));
}

#[test]
fn a_connection_that_ends_normally_is_not_reported_evicted() {
    let a = admission(2, 2);
    let mut one = a.admit(ip("10.0.0.1")).unwrap();
    assert!(!evicted(&mut one.eviction));
    drop(one.pre_auth);
    assert!(!evicted(&mut one.eviction));
    assert!(a.lock().per_client.is_empty());
}

#[test]
fn ipv6_counts_by_slash_64_and_mapped_ipv4_as_ipv4() {
    let a = admission(10, 1);
    let _held = a.admit(ip("2001:db8:1:2::1")).unwrap();
    assert_eq!(
        a.admit(ip("2001:db8:1:2:ffff::9")).err(),
        Some(Refused::Client)
    );
    assert!(a.admit(ip("2001:db8:1:3::1")).is_ok());
    let _v4 = a.admit(ip("192.0.2.7")).unwrap();
    assert_eq!(a.admit(ip("::ffff:192.0.2.7")).err(), Some(Refused::Client));
}
