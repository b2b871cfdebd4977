//! The web pages (issue 16, web-core): in headless Chromium, signing up, in and out, the front
//! page, dashboard, person page and settings (adding an SSH key), each page screenshotted and
//! checked with axe-core; over plain HTTP, every form refused with a missing or wrong CSRF token
//! (403, nothing changed), pages that need a session redirecting to /login, the cookie flags,
//! the security headers, HTML escaping of user content, and content negotiation on actor IRIs.

#[path = "../common/mod.rs"]
mod common;

mod csrf_refusals;
mod form_checks;
mod journey;
mod pages;
mod person_page;
mod visitor;
