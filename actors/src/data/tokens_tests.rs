//! Tests of `tokens`: a revoke racing a `last_used` update.
use super::*;

#[tokio::test]
async fn a_revoke_between_reading_and_touching_a_token_wins() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = Tokens::new(Store::open(&dir.path().join("db")).unwrap(), 30);
    let (token, _) = tokens.issue("alice").await.unwrap();
    let hash = hash_token(&token);
    let key = layout::key(TOKEN, hash.as_bytes());
    // What `authenticate` read, before the revoke lands.
    let bytes = tokens.store.instance().get(&key).unwrap().unwrap();
    let record: TokenRecord = codec::decode(&bytes).unwrap();
    assert!(record.last_used.is_none(), "a fresh token is due a touch");
    tokens.revoke_hash("alice", &hash).await.unwrap();
    tokens
        .touch(&hash, &bytes, record, OffsetDateTime::now_utc())
        .unwrap();
    assert!(tokens.store.instance().get(&key).unwrap().is_none());
    assert!(matches!(
        tokens.authenticate(&token),
        Err(ActorError::Unauthorized)
    ));
    assert!(tokens.list("alice").unwrap().is_empty());

    // Without a revoke, the touch is written.
    let (token, _) = tokens.issue("alice").await.unwrap();
    tokens.authenticate(&token).unwrap();
    let listed = tokens.list("alice").unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].0.last_used.is_some());
}
