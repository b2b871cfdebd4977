//! The web tests' world: A, whose admin holds the Factory "Main", and B with bob; resources
//! made through the Factory's web form; reading what changed through the JSON documents.

use crate::common::forge::{world, World, B_SETTINGS};
use crate::common::{eventually, Instance};
use crate::web::Web;
use serde_json::Value;

/// A (admin with the Factory "Main", signed in on the web) and B (bob).
pub struct Two {
    pub w: World,
    pub b: Instance,
    pub admin: Web,
}

pub async fn two() -> Two {
    let w = world().await;
    let b = Instance::start("b", B_SETTINGS).await;
    b.register("bob").await;
    let admin = Web::signed_in(&w.a, "admin").await;
    Two { w, b, admin }
}

impl Two {
    /// The admin creates a `kind` named `name` through the Factory's form on /create; answers
    /// the page it went to (the new resource's path).
    pub async fn create(&self, kind: &str, name: &str, extra: &[(&str, &str)]) -> String {
        let mut fields = vec![("type", kind), ("name", name)];
        fields.extend_from_slice(extra);
        let action = "/factories/main/create";
        self.admin.submit("/create", action, &fields).await
    }

    /// The `totalItems` of a collection on A.
    pub async fn total(&self, path: &str) -> u64 {
        self.w.a.total(&self.w.a.at(path), None).await
    }

    /// A's JSON document at `path`.
    pub async fn doc(&self, path: &str) -> Value {
        let (s, doc) = self.w.a.get_ap(&self.w.a.at(path)).await;
        assert_eq!(s, 200, "{path}: {doc}");
        doc
    }

    /// Waits until the collection at `path` on A holds `n` items.
    pub async fn total_becomes(&self, path: &str, n: u64) -> bool {
        eventually(15, || async { self.total(path).await == n }).await
    }

    /// The number of activities in `user`'s outbox on `inst`.
    pub async fn outbox(inst: &Instance, user: &str) -> u64 {
        let token = inst.login(user).await;
        let url = inst.at(&format!("/people/{user}/outbox"));
        inst.total(&url, Some(&token)).await
    }
}
