//! The instance actor (type Application): its persisted key and its actor document. It signs
//! the instance's own fetches of remote documents.

use actors::storage::layout::{self, META};
use actors::{ActorError, KeyPair, Store, Urls};

/// Key of the instance actor's private key: `meta 0xFF instance-key` in the instance tree.
pub fn instance_key_key() -> Vec<u8> {
    layout::key(META, b"instance-key")
}

/// True when the instance actor's key is stored: a read `GET /readyz` makes of the store.
pub fn key_present(store: &Store) -> Result<bool, ActorError> {
    Ok(store.instance().get(instance_key_key())?.is_some())
}

/// Loads the instance actor's key, generating and persisting it on first start.
/// The secret keying this instance's derived activity ids (`actors::actor::ids::id_secret`) is
/// created here too, beside it.
pub async fn load_or_create_key(store: &Store) -> Result<KeyPair, ActorError> {
    actors::actor::ids::id_secret(store)?;
    if let Some(pem) = store.instance().get(instance_key_key())? {
        store.flush().await?;
        let pem =
            String::from_utf8(pem.to_vec()).map_err(|e| ActorError::Corrupt(e.to_string()))?;
        return KeyPair::from_pkcs8_pem(&pem);
    }
    let key = tokio::task::spawn_blocking(KeyPair::generate).await??;
    store
        .instance()
        .insert(instance_key_key(), key.private_pem()?.as_bytes())?;
    store.flush().await?;
    tracing::info!("generated the instance actor's key");
    Ok(key)
}

/// The instance actor's document.
pub fn document(urls: &Urls, key: &KeyPair) -> schema::Actor {
    let id = urls.instance_actor();
    let mut doc = schema::Actor::new(id.clone(), "Application", urls.instance_inbox());
    doc.context = Some(schema::context::default_context());
    doc.outbox = Some(urls.instance_outbox());
    doc.preferred_username = Some(urls.host().to_string());
    doc.name = Some("Orchard instance actor".into());
    doc.public_key = Some(schema::OneOrMany::One(schema::IriOrObject::Object(
        Box::new(schema::PublicKey {
            id: urls.instance_key_id(),
            owner: id,
            public_key_pem: key.public_pem().to_string(),
        }),
    )));
    doc.endpoints = Some(schema::Endpoints {
        shared_inbox: Some(urls.shared_inbox()),
        extra: Default::default(),
    });
    doc
}
