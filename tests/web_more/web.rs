//! A browser's side of the web pages, without a browser: a client that keeps the session
//! cookie (a token of the account's token store, as the sign-in form sets it), follows no
//! redirects, reads a page's CSRF token from its forms and posts urlencoded forms.

use crate::common::Instance;
use reqwest::header::{ACCEPT, CONTENT_TYPE, COOKIE, LOCATION};

/// One browser session on one instance.
pub struct Web {
    pub base: String,
    cookie: Option<String>,
    client: reqwest::Client,
}

/// `text` percent-encoded for a query value.
pub fn enc(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The value of the first `csrf` field of a page's forms ("" when it has none).
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    html.find(marker)
        .map(|i| &html[i + marker.len()..])
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string()
}

impl Web {
    /// A visitor without a session.
    pub fn anonymous(inst: &Instance) -> Web {
        Web {
            base: inst.url.clone(),
            cookie: None,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(std::time::Duration::from_secs(30))
                .build()
                .expect("client"),
        }
    }

    /// `user` signed in (password "correct horse").
    pub async fn signed_in(inst: &Instance, user: &str) -> Web {
        let token = inst.login(user).await;
        Web {
            cookie: Some(format!("orchard_session={token}")),
            ..Web::anonymous(inst)
        }
    }

    fn url(&self, path: &str) -> String {
        match path.starts_with("http") {
            true => path.to_string(),
            false => format!("{}{path}", self.base),
        }
    }

    /// GETs a page as a browser does: (status, body).
    pub async fn get(&self, path: &str) -> (u16, String) {
        let mut req = self.client.get(self.url(path)).header(ACCEPT, "text/html");
        if let Some(c) = &self.cookie {
            req = req.header(COOKIE, c);
        }
        let res = req.send().await.expect("GET page");
        let status = res.status().as_u16();
        (status, res.text().await.unwrap_or_default())
    }

    /// GETs a page: (status, Location or "").
    pub async fn redirect_of(&self, path: &str) -> (u16, String) {
        let mut req = self.client.get(self.url(path)).header(ACCEPT, "text/html");
        if let Some(c) = &self.cookie {
            req = req.header(COOKIE, c);
        }
        let res = req.send().await.expect("GET page");
        let location = (res.headers().get(LOCATION)).and_then(|v| v.to_str().ok());
        (
            res.status().as_u16(),
            location.unwrap_or_default().to_string(),
        )
    }

    /// GETs a page that must answer 200: its body.
    pub async fn page(&self, path: &str) -> String {
        let (s, body) = self.get(path).await;
        assert_eq!(s, 200, "GET {path}: {body}");
        body
    }

    /// The CSRF token of the forms of `path`.
    pub async fn csrf(&self, path: &str) -> String {
        let token = csrf_of(&self.page(path).await);
        assert!(!token.is_empty(), "{path} has a form with a token");
        token
    }

    /// POSTs a form: (status, Location or "", body).
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut req = (self.client.post(self.url(path)))
            .header(ACCEPT, "text/html")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body);
        if let Some(c) = &self.cookie {
            req = req.header(COOKIE, c);
        }
        let res = req.send().await.expect("POST form");
        let status = res.status().as_u16();
        let location = (res.headers().get(LOCATION))
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (status, location, res.text().await.unwrap_or_default())
    }

    /// POSTs a form with the token of `page`'s forms; it must answer 303: the Location.
    pub async fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> String {
        let token = self.csrf(page).await;
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        let (s, location, body) = self.post(action, &all).await;
        assert_eq!(s, 303, "POST {action}: {body}");
        location
    }
}
