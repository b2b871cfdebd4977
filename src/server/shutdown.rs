//! Stopping an instance once its HTTP server has stopped: background tasks aborted, every actor
//! passivated (bounded wait), the arbiters joined, the store flushed and its clean stop
//! recorded.

use actors::{Registry, Store};
use std::time::Duration;

/// What runs beside the HTTP server and stops with it.
pub struct Background {
    pub tasks: Vec<actix_rt::task::JoinHandle<()>>,
    pub arbiters: Vec<actix::Arbiter>,
}

impl Background {
    pub fn new(tasks: Vec<actix_rt::task::JoinHandle<()>>, arbiters: Vec<actix::Arbiter>) -> Self {
        Background { tasks, arbiters }
    }
}

/// Stops the background tasks and the actors, then flushes and closes the store.
pub async fn stop(
    background: Background,
    registry: &Registry,
    store: &Store,
) -> crate::error::Result<()> {
    for task in background.tasks {
        task.abort();
    }
    shutdown_actors(registry).await;
    for a in background.arbiters {
        a.stop();
        let _ = a.join();
    }
    store.flush().await?;
    // The next start then checks the whole content; failing that, it checks less (logged).
    let closing = store.clone();
    match tokio::task::spawn_blocking(move || closing.close_clean()).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            tracing::error!(error = %e, "recording the clean stop of the database failed")
        }
        Err(e) => tracing::error!(error = %e, "recording the clean stop of the database failed"),
    }
    Ok(())
}

/// Passivates every actor and waits (bounded) until all have stopped.
async fn shutdown_actors(registry: &Registry) {
    registry.passivate_all();
    for _ in 0..100 {
        if registry.active_count() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tracing::warn!(
        remaining = registry.active_count(),
        "actors still running at shutdown"
    );
}
