//! Tests of `accounts`: hashing on every login path, roles, and password changes.
use super::*;

fn accounts() -> (tempfile::TempDir, Accounts) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    (dir, Accounts::new(store))
}

#[tokio::test]
async fn unknown_user_and_wrong_password_both_hash() {
    let (_d, a) = accounts();
    a.register("alice", "correct horse", ()).await.unwrap();
    let n = a.hash_count();
    assert!(matches!(
        a.login("nobody", "correct horse", ()).await,
        Err(ActorError::Unauthorized)
    ));
    assert_eq!(
        a.hash_count(),
        n + 1,
        "an unknown user is hashed against a dummy"
    );
    assert!(matches!(
        a.login("alice", "wrong", ()).await,
        Err(ActorError::Unauthorized)
    ));
    assert_eq!(a.hash_count(), n + 2);
    let token = a.login("alice", "correct horse", ()).await.unwrap().0;
    assert_eq!(a.authenticate(&token).unwrap(), "alice");
}

#[tokio::test]
async fn roles_are_set_and_cleared_on_existing_accounts_only() {
    let (_d, a) = accounts();
    assert!(matches!(
        a.set_role("admin", Role::Admin, true).await,
        Err(ActorError::NotFound(_))
    ));
    a.register("admin", "pw", ()).await.unwrap();
    assert!(!a.has_role("admin", Role::Admin).unwrap());
    assert!(a.set_role("admin", Role::Admin, true).await.unwrap());
    assert!(!a.set_role("admin", Role::Admin, true).await.unwrap());
    assert!(a.has_role("admin", Role::Admin).unwrap());
    assert!(!a.has_role("admin", Role::FactoryCreator).unwrap());
    assert!(a.set_role("admin", Role::Admin, false).await.unwrap());
    assert!(!a.has_role("admin", Role::Admin).unwrap());
}

#[tokio::test]
async fn changing_the_password_keeps_only_the_current_token() {
    let (_d, a) = accounts();
    a.register("alice", "old", ()).await.unwrap();
    let t1 = a.login("alice", "old", ()).await.unwrap().0;
    let t2 = a.login("alice", "old", ()).await.unwrap().0;
    let keep = a.tokens().authenticate(&t1).unwrap().token_hash;
    assert!(matches!(
        a.change_password("alice", "bad", "new", Some(&keep), ())
            .await,
        Err(ActorError::Forbidden(_))
    ));
    assert_eq!(
        a.authenticate(&t2).unwrap(),
        "alice",
        "a refused change revokes nothing"
    );
    let revoked = a
        .change_password("alice", "old", "new", Some(&keep), ())
        .await
        .unwrap();
    assert_eq!(revoked, 1);
    assert_eq!(a.authenticate(&t1).unwrap(), "alice");
    assert!(a.authenticate(&t2).is_err());
    assert!(a.login("alice", "old", ()).await.is_err());
    assert!(a.login("alice", "new", ()).await.is_ok());
}

#[tokio::test]
async fn tokens_expire_are_listed_and_revoked_by_id() {
    let (_d, a) = accounts();
    a.register("alice", "pw", ()).await.unwrap();
    a.register("bob", "pw", ()).await.unwrap();
    let t = a.login("alice", "pw", ()).await.unwrap().0;
    let b = a.login("bob", "pw", ()).await.unwrap().0;
    let list = a.tokens().list("alice").unwrap();
    assert_eq!(list.len(), 1);
    let id = list[0].0.id.clone();
    assert_eq!(id.len(), crate::data::tokens::ID_LEN);
    assert!(
        !a.tokens().revoke_id("bob", &id).await.unwrap(),
        "not bob's"
    );
    assert_eq!(a.authenticate(&t).unwrap(), "alice");
    assert!(a.tokens().revoke_id("alice", &id).await.unwrap());
    assert!(a.authenticate(&t).is_err());
    assert_eq!(a.authenticate(&b).unwrap(), "bob");
    // A token whose expiry passed is refused and removed.
    let expired = Accounts::with_token_days(a.store.clone(), 0);
    let e = expired.login("alice", "pw", ()).await.unwrap().0;
    assert!(expired.authenticate(&e).is_err());
    assert!(a.tokens().list("alice").unwrap().is_empty());
}
