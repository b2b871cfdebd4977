//! Content negotiation for ActivityPub documents: `application/ld+json` with the ActivityStreams
//! profile when the client asks for it, `application/activity+json` otherwise; always with `Vary: Accept`, since the same IRIs answer
//! HTML to browsers (`web::negotiate`).

use actix_web::{HttpRequest, HttpResponse};

/// An ActivityPub JSON-LD response, in the media type the client asked for.
pub fn activity_json<T: serde::Serialize>(req: &HttpRequest, body: &T) -> HttpResponse {
    let wants_ld = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.contains("application/ld+json") && !v.contains("application/activity+json"))
        .unwrap_or(false);
    let content_type = if wants_ld {
        schema::context::LD_JSON_AS
    } else {
        schema::context::ACTIVITY_JSON
    };
    // The same IRIs answer HTML to browsers (`web::negotiate`): caches must key on Accept.
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((actix_web::http::header::VARY, "Accept"))
        .json(body)
}
