//! The registry of active actors. Actors are virtual: the registry activates one from storage on
//! its first message and passivates it once it has been idle for `idle_timeout`, so stored actors
//! cost disk, not memory. At most one live actor exists per stored actor: a request for an actor
//! that is stopping waits until it has stopped, then activates it afresh.

use crate::actor::env::Env;
use crate::actor::state::ActorCore;
use crate::base::error::{ActorError, Result};
use crate::base::kind::{ActorKind, ActorRef};
use crate::kinds::{factory, patch_tracker, person, project, repository, ticket_tracker};
use crate::passivate::send_passivate;
use crate::runtime::messages::GetDocument;
use crate::runtime::resource::Resource;
use crate::storage::delivery_queue::DeliveryQueue;
use crate::storage::store::Store;
use crate::urls::Urls;
use actix::prelude::*;
use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

struct Entry {
    /// An `Addr<A>` for the entry's actor type.
    addr: Box<dyn Any + Send>,
    last_used: Instant,
    /// Set once Passivate was sent; woken when the actor has stopped.
    stopping: Option<Arc<Notify>>,
}

struct Inner {
    env: Env,
    arbiters: Vec<ArbiterHandle>,
    next_arbiter: AtomicUsize,
    idle_timeout: Duration,
    entries: Mutex<HashMap<ActorRef, Entry>>,
    activations: AtomicU64,
    passivations: AtomicU64,
}

/// Activates and passivates actors. Cheap to clone; pass it explicitly.
#[derive(Clone)]
pub struct Registry {
    inner: Arc<Inner>,
}

/// Removes the registry entry when the actor it belongs to is dropped (after it stopped).
/// Held in the actor's `ActorCore`.
pub struct ActivationGuard {
    registry: Weak<Inner>,
    r: ActorRef,
}

impl Drop for ActivationGuard {
    fn drop(&mut self) {
        if let Some(inner) = self.registry.upgrade() {
            inner.passivations.fetch_add(1, Ordering::Relaxed);
            let removed = match inner.entries.lock() {
                Ok(mut entries) => entries.remove(&self.r),
                Err(poisoned) => poisoned.into_inner().remove(&self.r),
            };
            if let Some(Entry {
                stopping: Some(n), ..
            }) = removed
            {
                n.notify_waiters();
            }
        }
    }
}

impl Registry {
    /// A registry whose actors run on `arbiters` (round robin) and stop after `idle_timeout`.
    pub fn new(env: Env, arbiters: Vec<ArbiterHandle>, idle_timeout: Duration) -> Registry {
        Registry {
            inner: Arc::new(Inner {
                env,
                arbiters,
                next_arbiter: AtomicUsize::new(0),
                idle_timeout,
                entries: Mutex::new(HashMap::new()),
                activations: AtomicU64::new(0),
                passivations: AtomicU64::new(0),
            }),
        }
    }

    pub fn store(&self) -> &Store {
        &self.inner.env.store
    }

    pub fn urls(&self) -> &Urls {
        &self.inner.env.urls
    }

    /// What actors are given.
    pub fn env(&self) -> &Env {
        &self.inner.env
    }

    /// The delivery queue.
    pub fn delivery_queue(&self) -> &DeliveryQueue {
        &self.inner.env.delivery
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<ActorRef, Entry>> {
        match self.inner.entries.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The address of a stored actor, activating it if needed. NotFound if it is not stored.
    pub async fn get<A: Resource>(&self, id: &str) -> Result<Addr<A>> {
        let r = ActorRef::new(A::KIND, id);
        loop {
            let waiter = {
                let mut entries = self.entries();
                match entries.get_mut(&r) {
                    Some(entry) => match &entry.stopping {
                        None => {
                            entry.last_used = Instant::now();
                            let addr = entry.addr.downcast_ref::<Addr<A>>().ok_or_else(|| {
                                ActorError::Task(format!("registry type mismatch for {r}"))
                            })?;
                            return Ok(addr.clone());
                        }
                        Some(n) => {
                            // Created (so registered for `notify_waiters`) before the lock
                            // is released, so no wake-up is missed.
                            let notified = Box::pin(n.clone().notified_owned());
                            Some(notified)
                        }
                    },
                    None => {
                        let addr = self.activate::<A>(&r)?;
                        entries.insert(
                            r.clone(),
                            Entry {
                                addr: Box::new(addr.clone()),
                                last_used: Instant::now(),
                                stopping: None,
                            },
                        );
                        return Ok(addr);
                    }
                }
            };
            if let Some(w) = waiter {
                // Bounded so a lost notification can never hang a request.
                let _ = tokio::time::timeout(Duration::from_secs(5), w).await;
            }
        }
    }

    fn activate<A: Resource>(&self, r: &ActorRef) -> Result<Addr<A>> {
        let mut core = ActorCore::load(&self.inner.env, r)?;
        core.activation = Some(Box::new(ActivationGuard {
            registry: Arc::downgrade(&self.inner),
            r: r.clone(),
        }));
        let actor = A::activate(core)?;
        self.inner.activations.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(actor = %r, "activating actor");
        let i = self.inner.next_arbiter.fetch_add(1, Ordering::Relaxed);
        let addr = match self
            .inner
            .arbiters
            .get(i % self.inner.arbiters.len().max(1))
        {
            Some(arbiter) => A::start_in_arbiter(arbiter, move |_| actor),
            None => actor.start(),
        };
        Ok(addr)
    }

    /// Sends Passivate to every actor idle for longer than the idle timeout. Call periodically.
    pub fn passivate_idle(&self) {
        let now = Instant::now();
        let mut entries = self.entries();
        for (r, entry) in entries.iter_mut() {
            if entry.stopping.is_none()
                && now.duration_since(entry.last_used) >= self.inner.idle_timeout
            {
                entry.stopping = Some(Arc::new(Notify::new()));
                if !send_passivate(r.kind, entry.addr.as_ref()) {
                    tracing::warn!(actor = %r, "could not passivate actor");
                }
            }
        }
    }

    /// Number of actors currently activated (including ones that are stopping).
    pub fn active_count(&self) -> usize {
        self.entries().len()
    }

    /// True when the actor is activated and not stopping.
    pub fn is_active(&self, r: &ActorRef) -> bool {
        self.entries()
            .get(r)
            .map(|e| e.stopping.is_none())
            .unwrap_or(false)
    }

    /// How many activations and passivations happened since start.
    pub fn stats(&self) -> (u64, u64) {
        (
            self.inner.activations.load(Ordering::Relaxed),
            self.inner.passivations.load(Ordering::Relaxed),
        )
    }

    /// The configured idle timeout.
    pub fn idle_timeout(&self) -> Duration {
        self.inner.idle_timeout
    }

    /// Stops every actor (at shutdown): drops the registry's addresses and asks each to stop.
    pub fn passivate_all(&self) {
        let mut entries = self.entries();
        for (r, entry) in entries.iter_mut() {
            if entry.stopping.is_none() {
                entry.stopping = Some(Arc::new(Notify::new()));
                send_passivate(r.kind, entry.addr.as_ref());
            }
        }
    }

    /// Sends a message to any local actor, whatever its kind, and awaits the answer.
    pub async fn send<M, R>(&self, r: &ActorRef, msg: M) -> Result<R>
    where
        M: Message<Result = Result<R>> + Send + 'static,
        R: Send + 'static,
        person::Person: Handler<M>,
        factory::Factory: Handler<M>,
        repository::Repository: Handler<M>,
        ticket_tracker::TicketTracker: Handler<M>,
        patch_tracker::PatchTracker: Handler<M>,
        project::Project: Handler<M>,
    {
        use patch_tracker::PatchTracker as P;
        use repository::Repository as Repo;
        use ticket_tracker::TicketTracker as T;
        match r.kind {
            ActorKind::Person => self.get::<person::Person>(&r.id).await?.send(msg).await?,
            ActorKind::Factory => self.get::<factory::Factory>(&r.id).await?.send(msg).await?,
            ActorKind::Repository => self.get::<Repo>(&r.id).await?.send(msg).await?,
            ActorKind::TicketTracker => self.get::<T>(&r.id).await?.send(msg).await?,
            ActorKind::PatchTracker => self.get::<P>(&r.id).await?.send(msg).await?,
            ActorKind::Project => self.get::<project::Project>(&r.id).await?.send(msg).await?,
        }
    }

    /// Processes inbox items that were stored but not processed before the last stop (answers
    /// how many). Call once at start-up.
    pub async fn resume_pending(&self) -> usize {
        // Deletions a crash interrupted are finished first (their actors are not resumed).
        crate::kinds::deletion::finish_at_start(self.inner.env.clone()).await;
        let pending = match crate::actor::inbox_progress::actors_with_pending(self.store()) {
            Ok(p) => p,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the pending-inbox index");
                return 0;
            }
        };
        let mut total = 0;
        for r in pending {
            match self.send(&r, crate::runtime::messages::ProcessInbox).await {
                Ok(n) => {
                    tracing::info!(actor = %r, items = n, "resumed unprocessed inbox items");
                    total += n;
                }
                Err(e) => tracing::warn!(actor = %r, error = %e, "cannot resume inbox"),
            }
        }
        total
    }

    /// The actor document of any local actor.
    pub async fn document(&self, r: &ActorRef) -> Result<schema::Actor> {
        self.send(r, GetDocument).await
    }
}

#[cfg(test)]
#[path = "registry_tests.rs"]
mod tests;
