//! Who may hold an SSH connection before authenticating: at most `max_unauthenticated`
//! connections in all and `max_unauthenticated_per_ip` from one client (an IPv4 address, or an
//! IPv6 /64, which one machine usually holds whole). A connection beyond the per-client cap is
//! closed at once. When the total is full, a newcomer from a client holding fewer connections
//! than the biggest holder takes the place of that holder's oldest connection, which is told to
//! close (its `Eviction` fires) and stops counting at once; a newcomer from a biggest holder is
//! closed at once. So clients flooding from many addresses cannot lock out a git user from
//! another one. Authenticated connections have their own budget (`sessions::Sessions`).

use super::sessions::{Full, Sessions, Slot};
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::net::{IpAddr, Ipv6Addr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::sync::oneshot;

/// The caps, with the connections counted against them.
#[derive(Clone)]
pub struct Admission {
    counts: Arc<Mutex<Counts>>,
    max_total: usize,
    max_per_client: usize,
    sessions: Sessions,
}

/// Each client's unauthenticated connections, oldest first (by admission number), each with
/// the sender that tells it to close.
#[derive(Default)]
struct Counts {
    total: usize,
    next: u64,
    per_client: HashMap<IpAddr, BTreeMap<u64, oneshot::Sender<()>>>,
}

/// One unauthenticated connection, counted until dropped or evicted.
pub struct PreAuth {
    counts: Arc<Mutex<Counts>>,
    client: IpAddr,
    number: u64,
}

/// Fires when the connection was closed to make room for a smaller client.
pub struct Eviction(State);

enum State {
    Waiting(oneshot::Receiver<()>),
    Evicted,
    /// The connection stopped counting in the usual way (authenticated or ended).
    Released,
}

/// An admitted connection: its count, its eviction signal, and the client whose oldest
/// connection was closed to make room, if any.
pub struct Admitted {
    pub pre_auth: PreAuth,
    pub eviction: Eviction,
    pub made_room: Option<IpAddr>,
}

/// Why a connection was closed at once.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// `max_unauthenticated` connections are waiting and this client holds as many as any.
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

/// With the total full, the client that gives up its oldest connection for a newcomer holding
/// `mine`: among `(client, held, oldest)` the one holding the most (ties: the oldest
/// connection), if it holds more than `mine`; None means the newcomer is refused.
fn victim(holders: impl Iterator<Item = (IpAddr, usize, u64)>, mine: usize) -> Option<IpAddr> {
    holders
        .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
        .filter(|&(_, held, _)| held > mine)
        .map(|(client, _, _)| client)
}

impl Admission {
    pub fn new(max_total: usize, max_per_client: usize, sessions: Sessions) -> Admission {
        Admission {
            counts: Arc::default(),
            max_total,
            max_per_client,
            sessions,
        }
    }

    /// Counts a new connection from `peer` (closing another client's oldest when the total is
    /// full), or says which cap it is over.
    pub fn admit(&self, peer: IpAddr) -> Result<Admitted, Refused> {
        let client = client_of(peer);
        let mut counts = self.lock();
        let mine = counts.per_client.get(&client).map_or(0, BTreeMap::len);
        if mine >= self.max_per_client {
            return Err(Refused::Client);
        }
        let mut made_room = None;
        if counts.total >= self.max_total {
            let holders = counts.per_client.iter().map(|(c, held)| {
                let oldest = held.keys().next().copied().unwrap_or(u64::MAX);
                (*c, held.len(), oldest)
            });
            let victim = victim(holders, mine).ok_or(Refused::Total)?;
            counts.evict_oldest(victim);
            made_room = Some(victim);
        }
        let (tell, told) = oneshot::channel();
        let number = counts.next;
        counts.next += 1;
        counts.total += 1;
        counts
            .per_client
            .entry(client)
            .or_default()
            .insert(number, tell);
        let pre_auth = PreAuth {
            counts: self.counts.clone(),
            client,
            number,
        };
        Ok(Admitted {
            pre_auth,
            eviction: Eviction(State::Waiting(told)),
            made_room,
        })
    }

    /// A slot for an authenticated connection of `user`, or which budget is full.
    pub fn authenticated(&self, user: &str) -> Result<Slot, Full> {
        self.sessions.take(user)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Counts> {
        lock(&self.counts)
    }
}

impl Counts {
    /// Stops counting `client`'s oldest connection and tells it to close.
    fn evict_oldest(&mut self, client: IpAddr) {
        if let Some(tell) = self.remove(client, None) {
            let _ = tell.send(());
        }
    }

    /// Stops counting connection `number` of `client` (its oldest when None), if counted.
    fn remove(&mut self, client: IpAddr, number: Option<u64>) -> Option<oneshot::Sender<()>> {
        let held = self.per_client.get_mut(&client)?;
        let number = number.or_else(|| held.keys().next().copied())?;
        let tell = held.remove(&number)?;
        if held.is_empty() {
            self.per_client.remove(&client);
        }
        self.total = self.total.saturating_sub(1);
        Some(tell)
    }
}

/// The counts survive a panic elsewhere: every change is made whole under the lock.
fn lock(counts: &Mutex<Counts>) -> std::sync::MutexGuard<'_, Counts> {
    counts
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Drop for PreAuth {
    fn drop(&mut self) {
        // Nothing to do when it was evicted: the eviction already stopped counting it.
        lock(&self.counts).remove(self.client, Some(self.number));
    }
}

impl Eviction {
    /// True once the connection was evicted; polling registers the waker, so a task waiting on
    /// the client is woken when it happens.
    pub fn poll_evicted(&mut self, cx: &mut Context<'_>) -> bool {
        if let State::Waiting(told) = &mut self.0 {
            self.0 = match Pin::new(told).poll(cx) {
                Poll::Ready(Ok(())) => State::Evicted,
                Poll::Ready(Err(_)) => State::Released,
                Poll::Pending => return false,
            };
        }
        matches!(self.0, State::Evicted)
    }
}

#[cfg(test)]
#[path = "admission_tests.rs"]
mod tests;
