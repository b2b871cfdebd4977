//! Who may hold an SSH connection before authenticating: at most `max_unauthenticated`
//! connections in all and `max_unauthenticated_per_ip` from one client (an IPv4 address, or an
//! IPv6 /64, which one machine usually holds whole). A connection beyond either cap is closed
//! at once. Authenticated connections have their own budget (`AUTHENTICATED` slots), taken when
//! the key is accepted, so a flood of silent connections never takes a git user's place.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Authenticated connections served at once.
pub const AUTHENTICATED: usize = 512;

/// The caps, with the connections counted against them.
#[derive(Clone)]
pub struct Admission {
    counts: Arc<Mutex<Counts>>,
    max_total: usize,
    max_per_client: usize,
    authenticated: Arc<Semaphore>,
}

#[derive(Default)]
struct Counts {
    total: usize,
    per_client: HashMap<IpAddr, usize>,
}

/// One unauthenticated connection, counted until dropped.
pub struct PreAuth {
    counts: Arc<Mutex<Counts>>,
    client: IpAddr,
}

/// Why a connection was closed at once.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// `max_unauthenticated` connections are waiting to authenticate.
    Total,
    /// This client already has `max_unauthenticated_per_ip` of them.
    Client,
}

/// The client a peer address is counted as: IPv4 (also IPv4-mapped IPv6) whole, IPv6 by /64.
pub fn client_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

impl Admission {
    pub fn new(max_total: usize, max_per_client: usize) -> Admission {
        Admission {
            counts: Arc::default(),
            max_total,
            max_per_client,
            authenticated: Arc::new(Semaphore::new(AUTHENTICATED)),
        }
    }

    /// Counts a new connection from `peer`, or says which cap it is over.
    pub fn admit(&self, peer: IpAddr) -> Result<PreAuth, Refused> {
        let client = client_of(peer);
        let mut counts = self.lock();
        if counts.total >= self.max_total {
            return Err(Refused::Total);
        }
        let mine = counts.per_client.entry(client).or_insert(0);
        if *mine >= self.max_per_client {
            return Err(Refused::Client);
        }
        *mine += 1;
        counts.total += 1;
        Ok(PreAuth {
            counts: self.counts.clone(),
            client,
        })
    }

    /// A slot for an authenticated connection, None when all are taken.
    pub fn authenticated(&self) -> Option<OwnedSemaphorePermit> {
        self.authenticated.clone().try_acquire_owned().ok()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Counts> {
        lock(&self.counts)
    }
}

/// The counts survive a panic elsewhere: they are plain integers, always consistent.
fn lock(counts: &Mutex<Counts>) -> std::sync::MutexGuard<'_, Counts> {
    counts
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Drop for PreAuth {
    fn drop(&mut self) {
        let mut counts = lock(&self.counts);
        counts.total = counts.total.saturating_sub(1);
        if let Some(n) = counts.per_client.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                counts.per_client.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn caps_per_client_and_in_all_and_releases_on_drop() {
        let a = Admission::new(3, 2);
        let one = a.admit(ip("10.0.0.1")).unwrap();
        let two = a.admit(ip("10.0.0.1")).unwrap();
        assert_eq!(a.admit(ip("10.0.0.1")).err(), Some(Refused::Client));
        let other = a.admit(ip("10.0.0.2")).unwrap();
        assert_eq!(a.admit(ip("10.0.0.3")).err(), Some(Refused::Total));
        drop(one);
        assert_eq!(a.admit(ip("10.0.0.3")).err(), None);
        drop((two, other));
        assert!(a.lock().total == 0 && a.lock().per_client.is_empty());
        let _three: Vec<PreAuth> = (1..=3)
            .map(|i| a.admit(ip(&format!("10.0.1.{i}"))).unwrap())
            .collect();
    }

    #[test]
    fn ipv6_counts_by_slash_64_and_mapped_ipv4_as_ipv4() {
        let a = Admission::new(10, 1);
        let _held = a.admit(ip("2001:db8:1:2::1")).unwrap();
        assert_eq!(
            a.admit(ip("2001:db8:1:2:ffff::9")).err(),
            Some(Refused::Client)
        );
        assert!(a.admit(ip("2001:db8:1:3::1")).is_ok());
        let _v4 = a.admit(ip("192.0.2.7")).unwrap();
        assert_eq!(a.admit(ip("::ffff:192.0.2.7")).err(), Some(Refused::Client));
    }

    #[test]
    fn authenticated_slots_are_their_own_budget() {
        let a = Admission::new(1, 1);
        let _pre = a.admit(ip("10.0.0.1")).unwrap();
        let slots: Vec<_> = (0..AUTHENTICATED)
            .map(|_| a.authenticated().unwrap())
            .collect();
        assert!(a.authenticated().is_none());
        drop(slots);
        assert!(a.authenticated().is_some());
    }
}
