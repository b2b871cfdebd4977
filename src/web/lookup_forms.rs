//! The forms of the look-up page, each the activity a C2S client would post, sent from the
//! signed-in person's actor through `act::submit` (signed on delivery): `POST /lookup/follow`
//! (`Follow`), `POST /lookup/star` (`Like`), both with the field `object` (the IRI), and
//! `POST /lookup/ticket` (fields `tracker`, `summary`, `content`: the `Offer{Ticket}` of
//! `ticket_forms::offer`, with the person's Grant on the tracker when they hold one) and
//! `POST /lookup/comment` (fields `ticket`, `content`: `Create{Note}` on a remote ticket,
//! addressed to its tracker, the ticket's `context`, read from the fetched ticket) and
//! `POST /lookup/create` (`factory` and the fields of `create_forms`: the `Create` sent to
//! another instance's Factory with the person's `write` Grant on it; 403 without one). Then
//! `303 See Other` back to the look-up page (`&sent=` shows the answer), or to the new
//! ticket once the tracker accepted the Offer.

use super::act::submit;
use super::answers::{answer_to, CREATE_WAIT, WAIT};
use super::create_forms::{create_activity, CreateForm};
use super::error_page::PageResult;
use super::form_guard::{enc, poster};
use super::grant_of;
use super::page::redirect_see_other;
use super::ticket_forms::{note, offer, report_capability};
use crate::error::{Error, Result};
use crate::http::state::AppState;
use actix_web::{web, HttpRequest};
use schema::Role;
use serde::Deserialize;
use serde_json::json;
use url::Url;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/lookup/follow", web::post().to(follow))
        .route("/lookup/star", web::post().to(star))
        .route("/lookup/ticket", web::post().to(open_ticket))
        .route("/lookup/comment", web::post().to(comment))
        .route("/lookup/create", web::post().to(create));
}

#[derive(Deserialize)]
struct ObjectForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    object: String,
}

#[derive(Deserialize)]
struct OfferForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    tracker: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    content: String,
}

#[derive(Deserialize)]
struct CommentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    ticket: String,
    #[serde(default)]
    content: String,
}

/// The IRI a form's field names (400 when it is none).
pub fn iri(text: &str) -> Result<Url> {
    Url::parse(text.trim()).map_err(|e| Error::BadRequest(format!("not an IRI: {e}")))
}

/// The look-up page of `object`, showing the answer to `sent`.
pub fn back_to(object: &Url, sent: &Url) -> String {
    format!(
        "/lookup?q={}&sent={}",
        enc(object.as_str()),
        enc(sent.as_str())
    )
}

async fn follow(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<ObjectForm>,
) -> PageResult {
    to_object(&req, &state, &form, "Follow", true).await
}

async fn star(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<ObjectForm>,
) -> PageResult {
    to_object(&req, &state, &form, "Like", false).await
}

/// Sends `{type: kind, object, to: [object]}` to the form's object (waiting briefly for its
/// answer when `wait`), then back to its look-up page.
async fn to_object(
    req: &HttpRequest,
    state: &AppState,
    form: &ObjectForm,
    kind: &str,
    wait: bool,
) -> PageResult {
    let user = poster(state, req, &form.csrf)?;
    let object = iri(&form.object)?;
    let activity = json!({"type": kind, "object": object, "to": [object]});
    let id = submit(state, &user, activity).await?;
    if wait {
        answer_to(state, &user, &id, WAIT).await?;
    }
    Ok(redirect_see_other(&back_to(&object, &id)))
}

async fn open_ticket(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<OfferForm>,
) -> PageResult {
    let user = poster(&state, &req, &form.csrf)?;
    let tracker = iri(&form.tracker)?;
    let cap = report_capability(&state, &user, &tracker).await?;
    let activity = offer(&tracker, &form.summary, &form.content, cap.as_ref())?;
    let id = submit(&state, &user, activity).await?;
    let answer = answer_to(&state, &user, &id, WAIT).await?;
    let ticket = answer
        .filter(|a| a["type"] == "Accept")
        .and_then(|a| a["result"].as_str().and_then(|r| Url::parse(r).ok()));
    Ok(redirect_see_other(&back_to(
        ticket.as_ref().unwrap_or(&tracker),
        &id,
    )))
}

async fn comment(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<CommentForm>,
) -> PageResult {
    let user = poster(&state, &req, &form.csrf)?;
    let ticket = iri(&form.ticket)?;
    let doc = state.federation.fetcher.fetch_json(&ticket).await?;
    let tracker = doc["context"].as_str().map(iri).transpose()?;
    let tracker = tracker.ok_or_else(|| Error::BadRequest(format!("{ticket} names no tracker")))?;
    let cap = report_capability(&state, &user, &tracker).await?;
    let mut create = note(&tracker, &ticket, &form.content)?;
    if let Some(c) = cap {
        create["capability"] = json!(c);
    }
    let id = submit(&state, &user, create).await?;
    answer_to(&state, &user, &id, WAIT).await?;
    Ok(redirect_see_other(&back_to(&ticket, &id)))
}

async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<CreateForm>,
) -> PageResult {
    let user = poster(&state, &req, &form.csrf)?;
    let factory = iri(&form.factory)?;
    let grant = grant_of::require(&state, &user, &factory, Role::Write).await?;
    let id = submit(
        &state,
        &user,
        create_activity(&factory, &form, &grant.grant)?,
    )
    .await?;
    let answer = answer_to(&state, &user, &id, CREATE_WAIT).await?;
    let made = answer
        .filter(|a| a["type"] == "Accept")
        .and_then(|a| a["result"].as_str().and_then(|r| Url::parse(r).ok()));
    Ok(redirect_see_other(&back_to(
        made.as_ref().unwrap_or(&factory),
        &id,
    )))
}
