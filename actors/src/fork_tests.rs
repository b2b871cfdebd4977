//! Unit tests of the origin's side of a fork (`activities::forks`), on a `TestActor`: the
//! Factory's Accept arriving before the person's Create is kept, and lists the fork once the
//! Create comes; an Accept by an actor the Create was not sent to lists nothing.

use crate::activities::forks;
use crate::base::kind::ActorKind;
use crate::testing::TestActor;
use serde_json::{json, Value};

const PHILIP: &str = "https://b.example/people/philip";
const FACTORY: &str = "https://b.example/factories/main";
const FORK: &str = "https://b.example/repos/fork";

fn create(id: &str, origin: &str) -> Value {
    json!({"id": id, "type": "Create", "actor": PHILIP, "to": [FACTORY], "cc": [origin],
           "object": {"type": "Repository", "name": "Fork", "origin": origin}})
}

fn accept(id: &str, actor: &str, create: &Value) -> Value {
    json!({"id": id, "type": "Accept", "actor": actor, "object": create, "result": FORK})
}

fn forks_of(repo: &TestActor) -> Value {
    repo.collection("forks", Some(1))["orderedItems"].clone()
}

#[test]
fn an_accept_before_its_create_lists_the_fork_once_the_create_comes() {
    let mut repo = TestActor::new(ActorKind::Repository, "tree");
    let c = create("https://b.example/people/philip/activities/c1", &repo.iri());
    let a = accept(
        "https://b.example/factories/main/activities/a1",
        FACTORY,
        &c,
    );
    assert!(forks::forks(&c, &repo.core.iri()));
    assert!(!forks::forks(
        &create("https://b.example/c2", FORK),
        &repo.core.iri()
    ));
    repo.receive(a, |core, a, raw| {
        assert!(forks::is_fork_accept(core, a, raw));
        forks::accepted(core, a)
    })
    .unwrap();
    assert_eq!(forks_of(&repo), json!([]), "not before the Create");
    repo.receive(c.clone(), |core, a, _| forks::created(core, a))
        .unwrap();
    assert_eq!(forks_of(&repo), json!([FORK]));
    repo.receive(c, |core, a, _| forks::created(core, a))
        .unwrap();
    assert_eq!(forks_of(&repo), json!([FORK]), "listed once");
}

#[test]
fn an_accept_by_another_actor_lists_nothing() {
    let mut repo = TestActor::new(ActorKind::Repository, "tree");
    let c = create("https://b.example/people/philip/activities/c1", &repo.iri());
    let a = accept(
        "https://evil.example/a1",
        "https://evil.example/factory",
        &c,
    );
    repo.receive(a, |core, a, _| forks::accepted(core, a))
        .unwrap();
    repo.receive(c, |core, a, _| forks::created(core, a))
        .unwrap();
    assert_eq!(forks_of(&repo), json!([]));
}
