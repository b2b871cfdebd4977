//! A browser-like HTTP visitor for the plain-HTTP tests: keeps its cookies, does not follow
//! redirects, posts urlencoded forms, and reads a page's CSRF token.

use std::collections::BTreeMap;

/// One visitor with its cookie jar.
pub struct Visitor {
    http: reqwest::Client,
    base: String,
    pub cookies: BTreeMap<String, String>,
    /// The raw `Set-Cookie` headers of the last answer.
    pub set_cookies: Vec<String>,
}

/// An answer: status, headers, body.
pub struct Page {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }

    /// The value of the first `<input name="csrf" value="...">`.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self.body.find(marker).expect("a form with a CSRF token") + marker.len();
        let end = self.body[start..].find('"').expect("closing quote");
        self.body[start..start + end].to_string()
    }
}

impl Visitor {
    pub fn new(base: &str) -> Visitor {
        Visitor {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(std::time::Duration::from_secs(60))
                .build()
                .expect("client"),
            base: base.to_string(),
            cookies: BTreeMap::new(),
            set_cookies: Vec::new(),
        }
    }

    fn cookie_header(&self) -> String {
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        pairs.join("; ")
    }

    async fn send(&mut self, req: reqwest::RequestBuilder) -> Page {
        let req = match self.cookies.is_empty() {
            true => req,
            false => req.header("Cookie", self.cookie_header()),
        };
        let res = req
            .header("Accept", "text/html")
            .send()
            .await
            .expect("request");
        self.set_cookies = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect();
        for c in &self.set_cookies {
            let pair = c.split(';').next().unwrap_or_default();
            if let Some((k, v)) = pair.split_once('=') {
                match v.is_empty() {
                    true => self.cookies.remove(k),
                    false => self.cookies.insert(k.to_string(), v.to_string()),
                };
            }
        }
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = res.text().await.unwrap_or_default();
        Page {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let req = self.http.get(format!("{}{path}", self.base));
        self.send(req).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(req).await
    }

    /// Signs up `username` (password "correct horse") through the form; answers the session
    /// token (also a Bearer token of the API).
    pub async fn sign_up(&mut self, username: &str) -> String {
        let token = self.get("/signup").await.csrf();
        let res = self
            .post(
                "/signup",
                &[
                    ("csrf", &token),
                    ("username", username),
                    ("password", "correct horse"),
                ],
            )
            .await;
        assert_eq!(res.status, 303, "sign-up of {username}: {}", res.body);
        assert_eq!(res.header("location"), "/dashboard");
        self.session()
    }

    /// Signs in through the form.
    pub async fn sign_in(&mut self, username: &str, password: &str) -> Page {
        let token = self.get("/login").await.csrf();
        self.post(
            "/login",
            &[
                ("csrf", &token),
                ("username", username),
                ("password", password),
            ],
        )
        .await
    }

    /// The session cookie's value.
    pub fn session(&self) -> String {
        self.cookies
            .get("orchard_session")
            .cloned()
            .expect("a session cookie")
    }
}
