//! Steps 2 to 6: accounts on the three instances (and grape's resident Factory), the Factory
//! made by fig's admin, alice's `write` Grant on it (Invite, then Accept), and the Repository,
//! TicketTracker and PatchTracker alice creates through it.

use crate::instances::Spec;
use crate::report::{ensure, same, Failure, Narrator, Outcome};
use crate::world::{id_of, Held, Person, World};
use serde_json::{json, Value};

/// The people of the demo, and grape's resident Factory with bob's `write` Grant on it.
pub struct People {
    pub admin: Person,
    pub alice: Person,
    pub bob: Person,
    pub carol: Person,
    pub grape_factory: Held,
}

/// Step 2: logs in the admins of fig and grape (created by the operator; registering the name
/// is refused), has grape's admin create grape's resident Factory, registers alice on fig, bob
/// on grape (who then holds `write` on that Factory) and carol on walnut, and checks that each
/// is a Person found through WebFinger.
pub async fn register_people(n: &mut Narrator, w: &World) -> Outcome<People> {
    let admin = account(n, w, &w.fig, "admin").await?;
    let alice = account(n, w, &w.fig, "alice").await?;
    let grape_admin = account(n, w, &w.grape, "admin").await?;
    let factory = crate::patches::resident_factory(n, w, &grape_admin).await?;
    let bob = account(n, w, &w.grape, "bob").await?;
    let grape_factory = crate::patches::resident_grant(n, w, &bob, &factory).await?;
    let carol = account(n, w, &w.walnut, "carol").await?;
    Ok(People {
        admin,
        alice,
        bob,
        carol,
        grape_factory,
    })
}

/// Logs in an admin (created by the operator) or registers `name` on `inst`; checks WebFinger.
async fn account(n: &mut Narrator, w: &World, inst: &Spec, name: &str) -> Outcome<Person> {
    let person = if name == "admin" {
        reserved_name_is_refused(n, w, inst).await?;
        n.action(format!(
            "admin (created by the operator): POST {}/api/v1/login",
            inst.url
        ));
        w.login(inst, name).await?
    } else {
        n.action(format!(
            "POST {}/api/v1/register {{\"username\": \"{name}\"}}, then /api/v1/login",
            inst.url
        ));
        w.register(inst, name).await?
    };
    is_found(n, w, inst, name, &person).await?;
    Ok(person)
}

/// `person`, named `name` on `inst`, is found through WebFinger and is a Person with an RSA key.
async fn is_found(
    n: &mut Narrator,
    w: &World,
    inst: &Spec,
    name: &str,
    person: &Person,
) -> Outcome<()> {
    let acct = format!("acct:{name}@{}", authority(inst)?);
    let url = format!("{}/.well-known/webfinger?resource={acct}", inst.url);
    let jrd = w.http.get_ok(&url, None).await?;
    let links = jrd["links"].as_array().cloned().unwrap_or_default();
    let href = links
        .iter()
        .find(|l| l["rel"] == "self")
        .map(|l| &l["href"]);
    same(
        &format!("GET {url}: self link"),
        &json!(person.iri),
        href.unwrap_or(&Value::Null),
    )?;
    let doc = w.http.get_ok(&person.iri, None).await?;
    same(
        &format!("GET {}: type", person.iri),
        &json!("Person"),
        &doc["type"],
    )?;
    let pem = doc["publicKey"]["publicKeyPem"]
        .as_str()
        .unwrap_or_default();
    ensure(
        pem.contains("BEGIN PUBLIC KEY"),
        "the Person's publicKey",
        "a PEM key",
        &doc["publicKey"],
    )?;
    n.verified(format!(
        "{} is the Person {} (WebFinger {acct}; actor document with its RSA key)",
        person.handle(),
        person.iri
    ));
    Ok(())
}

/// Registering `admin` (listed in the instance's factory_creators) over the API is refused: privileges
/// never go to whoever registers a name first.
async fn reserved_name_is_refused(n: &mut Narrator, w: &World, inst: &Spec) -> Outcome<()> {
    let url = format!("{}/api/v1/register", inst.url);
    n.action(format!(
        "a stranger tries: POST {url} {{\"username\": \"admin\"}}"
    ));
    let body = json!({"username": "admin", "password": "stranger"});
    let a = w.http.post(&url, None, &body).await?;
    let error = a.body["error"].as_str().unwrap_or_default();
    ensure(
        a.status == 403 && error.contains("reserved"),
        &format!("POST {url} admin"),
        "403: the name is reserved",
        format!("{} {}", a.status, a.body),
    )?;
    n.verified(format!("registering admin is refused: 403 \"{error}\""));
    Ok(())
}

/// `host:port` of an instance's public URL, as in `acct:` names.
fn authority(inst: &Spec) -> Outcome<String> {
    let url = url::Url::parse(&inst.url)
        .map_err(|e| Failure::new(format!("parse {}", inst.url), "a URL", e))?;
    let host = url.host_str().unwrap_or_default();
    Ok(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

/// Step 3: alice may not create a Factory; fig's admin does, and holds `admin` on it.
pub async fn create_factory(n: &mut Narrator, w: &World, p: &People) -> Outcome<Held> {
    let create = json!({"type": "Create", "object": {"type": "Factory", "name": "Demo Forge",
        "availableActorTypes": ["Repository", "TicketTracker", "PatchTracker", "Project"]}});
    let url = p.alice.url("outbox");
    n.action(format!("alice tries: POST {url} Create{{Factory}}"));
    let a = w.http.post(&url, Some(&p.alice.token), &create).await?;
    let error = a.body["error"].as_str().unwrap_or_default();
    ensure(
        a.status == 403 && error.contains("factory_creators"),
        &format!("POST {url} by alice"),
        "403 naming factory_creators",
        format!("{} {}", a.status, a.body),
    )?;
    n.verified(format!("alice is not a factory creator: 403 \"{error}\""));

    n.action(format!(
        "admin: POST {} Create{{Factory \"Demo Forge\"}}",
        p.admin.url("outbox")
    ));
    let id = w.send(&p.admin, &create).await?;
    let expected = format!("a Grant fulfilling {id}");
    let grant = w
        .grant(&p.admin, &expected, |g| g["fulfills"] == id.as_str())
        .await?;
    same(
        "the role the Factory grants its creator",
        &json!("admin"),
        &grant["object"],
    )?;
    let factory = id_of(&grant["context"]).to_string();
    n.verified(format!(
        "the new Factory {factory} granted admin@fig the role admin (GET {})",
        p.admin.url("grants")
    ));
    let doc = w.http.get_ok(&factory, None).await?;
    same("the Factory's type", &json!("Factory"), &doc["type"])?;
    let types = doc["availableActorTypes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    ensure(
        types.contains(&json!("Repository")) && types.contains(&json!("TicketTracker")),
        "the Factory's availableActorTypes",
        "Repository and TicketTracker",
        &doc["availableActorTypes"],
    )?;
    n.verified(format!(
        "GET {factory}: a Factory creating {}",
        doc["availableActorTypes"]
    ));
    Ok(Held {
        iri: factory,
        grant: id_of(&grant).to_string(),
    })
}

/// Sends an Invite of `invitee` to `role` on `resource`, waits for it in the invitee's inbox,
/// accepts it, and answers the Grant the invitee then holds.
pub async fn invite(
    n: &mut Narrator,
    w: &World,
    inviter: &Person,
    on: &Held,
    invitee: &Person,
    role: &str,
) -> Outcome<Value> {
    let invite = json!({"type": "Invite", "object": invitee.iri, "instrument": role,
                        "target": on.iri, "capability": on.grant});
    n.action(format!(
        "{}: POST {} Invite{{{}, {role}, target {}}}",
        inviter.handle(),
        inviter.url("outbox"),
        invitee.handle(),
        on.iri
    ));
    let id = w.send(inviter, &invite).await?;
    w.in_inbox(invitee, &format!("the Invite {id}"), |v| {
        v["id"] == id.as_str()
    })
    .await?;
    n.verified(format!(
        "{}'s inbox received the Invite {id}",
        invitee.handle()
    ));
    n.action(format!(
        "{}: POST {} Accept{{{id}}} to the resource and the inviter",
        invitee.handle(),
        invitee.url("outbox")
    ));
    // Addressed as a C2S client addresses it: the inbox shows the Invite as soon as it is
    // durable, possibly before the invitee's actor has processed it (and learnt whom an Accept
    // without `to` goes to).
    let accept = json!({"type": "Accept", "object": id, "to": [on.iri, inviter.iri]});
    w.send(invitee, &accept).await?;
    let expected = format!("a Grant fulfilling {id}");
    let grant = w
        .grant(invitee, &expected, |g| g["fulfills"] == id.as_str())
        .await?;
    same("the granted role", &json!(role), &grant["object"])?;
    same("the Grant's context", &json!(on.iri), &grant["context"])?;
    same("the Grant's target", &json!(invitee.iri), &grant["target"])?;
    n.verified(format!(
        "{} holds the Grant {} of {role} on {} (GET {})",
        invitee.handle(),
        id_of(&grant),
        on.iri,
        invitee.url("grants")
    ));
    Ok(grant)
}

/// Steps 5 and 6: `who` asks the Factory to create a `kind` named `name`; answers the new
/// actor and the admin Grant its creator receives.
pub async fn create_through(
    n: &mut Narrator,
    w: &World,
    who: &Person,
    factory: &str,
    grant: &str,
    kind: &str,
    name: &str,
) -> Outcome<(Held, Value)> {
    let create = json!({"type": "Create", "to": [factory], "capability": grant,
        "object": {"type": kind, "name": name, "summary": format!("{name}, made for the demo")}});
    n.action(format!(
        "{}: POST {} Create{{{kind} \"{name}\"}} to the Factory",
        who.handle(),
        who.url("outbox")
    ));
    let id = w.send(who, &create).await?;
    let accept = w.accepted(who, factory, &id).await?;
    let iri = accept["result"].as_str().unwrap_or_default().to_string();
    ensure(
        !iri.is_empty(),
        "the Accept's result",
        "the new actor's IRI",
        &accept,
    )?;
    n.verified(format!("the Factory answered Accept with result {iri}"));
    let doc = w.http.get_ok(&iri, None).await?;
    same(&format!("GET {iri}: type"), &json!(kind), &doc["type"])?;
    same(&format!("GET {iri}: name"), &json!(name), &doc["name"])?;
    n.verified(format!("GET {iri}: a {kind} named \"{name}\""));
    let expected = format!("an admin Grant on {iri}");
    let admin = w
        .grant(who, &expected, |g| {
            g["context"] == iri.as_str() && g["object"] == "admin"
        })
        .await?;
    n.verified(format!(
        "{iri} granted {} admin (Grant {})",
        who.handle(),
        id_of(&admin)
    ));
    Ok((
        Held {
            iri,
            grant: id_of(&admin).to_string(),
        },
        doc,
    ))
}
