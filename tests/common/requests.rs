//! What a test asks an instance over HTTP: register, log in, GET a document, POST to an outbox,
//! read a collection, and poll an inbox or a person's grants.

use super::client::client;
use super::instance::Instance;
use serde_json::Value;

impl Instance {
    /// Logs in with a password: (status, JSON body).
    pub async fn try_login(&self, username: &str, password: &str) -> (u16, Value) {
        let res = client()
            .post(self.at("/api/v1/login"))
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
            .await
            .expect("login");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// Registers a person and returns their actor IRI.
    pub async fn register(&self, username: &str) -> String {
        let res = client()
            .post(self.at("/api/v1/register"))
            .json(&serde_json::json!({"username": username, "password": "correct horse"}))
            .send()
            .await
            .expect("register");
        assert_eq!(res.status(), 201, "register {username}");
        let body: Value = res.json().await.expect("json");
        body["id"].as_str().expect("id").to_string()
    }

    /// Logs in and returns a bearer token.
    pub async fn login(&self, username: &str) -> String {
        let res = client()
            .post(self.at("/api/v1/login"))
            .json(&serde_json::json!({"username": username, "password": "correct horse"}))
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), 200, "login {username}");
        let body: Value = res.json().await.expect("json");
        body["token"].as_str().expect("token").to_string()
    }

    /// GETs an ActivityPub document and returns (status, JSON body).
    pub async fn get_ap(&self, url: &str) -> (u16, Value) {
        let res = client()
            .get(url)
            .header("Accept", "application/activity+json")
            .send()
            .await
            .expect("get");
        let status = res.status().as_u16();
        let body = res.json().await.unwrap_or(Value::Null);
        (status, body)
    }

    /// POSTs an activity to a person's outbox with their token: (status, JSON body).
    pub async fn post_outbox(&self, username: &str, token: &str, activity: &Value) -> (u16, Value) {
        let res = client()
            .post(self.at(&format!("/people/{username}/outbox")))
            .bearer_auth(token)
            .json(activity)
            .send()
            .await
            .expect("post outbox");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// The items of a collection (first page), read with an optional token.
    pub async fn collection(&self, url: &str, token: Option<&str>) -> Vec<Value> {
        let mut req = client()
            .get(format!("{url}?page=1"))
            .header("Accept", "application/activity+json");
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.expect("get collection");
        assert_eq!(res.status(), 200, "GET {url}");
        let body: Value = res.json().await.expect("json");
        body["orderedItems"].as_array().cloned().unwrap_or_default()
    }

    /// totalItems of a collection.
    pub async fn total(&self, url: &str, token: Option<&str>) -> u64 {
        let mut req = client()
            .get(url)
            .header("Accept", "application/activity+json");
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let body: Value = req.send().await.expect("get").json().await.expect("json");
        body["totalItems"].as_u64().expect("totalItems")
    }

    /// Polls a person's inbox (newest first, first page) for an item matching `pred`.
    pub async fn find_in_inbox<P>(
        &self,
        user: &str,
        token: &str,
        secs: u64,
        pred: P,
    ) -> Option<Value>
    where
        P: Fn(&Value) -> bool,
    {
        let url = self.at(&format!("/people/{user}/inbox"));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            let items = self.collection(&url, Some(token)).await;
            if let Some(v) = items.into_iter().find(|v| pred(v)) {
                return Some(v);
            }
            if std::time::Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// Polls a person's `grants` collection for a Grant whose context is `resource` and whose
    /// state is `state` ("active", "revoked").
    pub async fn grant_on(
        &self,
        user: &str,
        resource: &str,
        state: &str,
        secs: u64,
    ) -> Option<Value> {
        let url = self.at(&format!("/people/{user}/grants"));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            let items = self.collection(&url, None).await;
            if let Some(g) = items
                .into_iter()
                .find(|g| g["context"] == resource && g["state"] == state)
            {
                return Some(g);
            }
            if std::time::Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}
