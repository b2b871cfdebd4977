//! What an admin command runs against: the settings and the store, and, inside a running
//! server (through the admin socket), its live parts. A command takes its handles from here,
//! so it is written once for both: on a stopped instance they are opened on the store, in a
//! running server they are the server's own (its delivery queue wakes its worker; changes of
//! an actor's state go through the registry's messages).

use super::failure::Failure;
use crate::federation::blocks::Blocks;
use crate::settings::Settings;
use actors::storage::delivery_queue::DeliveryQueue;
use actors::{Accounts, Registry, Store, Urls};
use std::sync::Arc;

/// The running server's parts an admin command may use.
#[derive(Clone)]
pub struct Live {
    pub registry: Registry,
    pub blocks: Blocks,
    pub delivery: DeliveryQueue,
    pub accounts: Accounts,
}

/// What an admin command runs against.
#[derive(Clone)]
pub struct Context {
    pub settings: Arc<Settings>,
    pub store: Store,
    /// Some inside a running server.
    pub live: Option<Live>,
}

impl Context {
    /// A stopped instance: its store opened (status 2 when a running server holds it).
    pub fn stopped(settings: Settings) -> Result<Context, Failure> {
        let store = open_store(&settings)?;
        Ok(Context {
            settings: Arc::new(settings),
            store,
            live: None,
        })
    }

    pub fn urls(&self) -> Urls {
        match &self.live {
            Some(l) => l.registry.urls().clone(),
            None => Urls::new(self.settings.public_url.clone()),
        }
    }

    pub fn accounts(&self) -> Accounts {
        match &self.live {
            Some(l) => l.accounts.clone(),
            None => Accounts::with_token_days(
                self.store.clone(),
                self.settings.accounts.token_expiry_days,
            ),
        }
    }

    pub fn blocks(&self) -> Blocks {
        match &self.live {
            Some(l) => l.blocks.clone(),
            None => Blocks::new(
                self.store.clone(),
                self.settings.federation.blocked_hosts.clone(),
            ),
        }
    }

    pub fn delivery(&self) -> Result<DeliveryQueue, Failure> {
        match &self.live {
            Some(l) => Ok(l.delivery.clone()),
            None => DeliveryQueue::open(&self.store).map_err(Failure::other),
        }
    }
}

/// Opens the store named by `[storage] path`; status 2 with "stop the server first" when a
/// running server holds it (`locked`).
pub fn open_store(settings: &Settings) -> Result<Store, Failure> {
    let path = &settings.storage.path;
    std::fs::create_dir_all(path).map_err(Failure::other)?;
    Store::open(path).map_err(|e| {
        if e.to_string().contains("could not acquire lock") {
            Failure {
                status: 2,
                message: format!(
                    "the data directory {} is in use by a running Orchard server: stop the server \
                     first, or run the command through the server's admin socket",
                    path.display()
                ),
                locked: true,
            }
        } else {
            Failure::other(format!("cannot open the store at {}: {e}", path.display()))
        }
    })
}
