// SPDX-License-Identifier: AGPL-3.0-or-later
//! Ordered collections (outboxes, followers, a Push's commits, a merge request's patches) and
//! their pages.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

use crate::reference::{HasId, IriOrObject};

/// An `OrderedCollection` (the struct also reads a plain `Collection`, which has `items`).
///
/// `id` is optional because collections embedded in a `Push` or an `Offer` have none.
/// Keys not modelled here (`context`, `previousVersions`, `earlyItems`...) stay in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollection {
    /// The JSON-LD `@context`.
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context_ld: Option<Value>,
    /// The collection's IRI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Url>,
    /// `"OrderedCollection"` (or `"Collection"`).
    #[serde(rename = "type")]
    pub kind: String,
    /// How many items the whole collection has.
    pub total_items: u64,
    /// The first page, by IRI or embedded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<IriOrObject<OrderedCollectionPage>>,
    /// The last page, by IRI or embedded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<IriOrObject<OrderedCollectionPage>>,
    /// The items, when inlined (IRIs or objects), in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered_items: Option<Vec<Value>>,
    /// Unordered `items` (a `Collection`, or a collection written with the wrong key, as in
    /// the ForgeFed `Push` vocabulary example).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Value>>,
    /// Every other key of the document.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl OrderedCollection {
    /// An empty `OrderedCollection` with the given id and total, without pages or items.
    pub fn new(id: Option<Url>, total_items: u64) -> Self {
        OrderedCollection {
            context_ld: None,
            id,
            kind: "OrderedCollection".to_owned(),
            total_items,
            first: None,
            last: None,
            ordered_items: None,
            items: None,
            extra: Map::new(),
        }
    }

    /// The inlined items: `orderedItems` if present, else `items`, else nothing.
    pub fn all_items(&self) -> &[Value] {
        self.ordered_items
            .as_deref()
            .or(self.items.as_deref())
            .unwrap_or_default()
    }
}

impl HasId for OrderedCollection {
    fn id(&self) -> Option<&Url> {
        self.id.as_ref()
    }
}

/// One page of an `OrderedCollection`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollectionPage {
    /// The JSON-LD `@context`.
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context_ld: Option<Value>,
    /// The page's IRI.
    pub id: Url,
    /// `"OrderedCollectionPage"`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The collection this page belongs to.
    pub part_of: Url,
    /// How many items the whole collection has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_items: Option<u64>,
    /// The next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Url>,
    /// The previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<Url>,
    /// The items of this page (IRIs or objects), in order; empty if the key is absent.
    #[serde(default)]
    pub ordered_items: Vec<Value>,
    /// Every other key of the document.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl OrderedCollectionPage {
    /// A page with the given items and no links.
    pub fn new(id: Url, part_of: Url, ordered_items: Vec<Value>) -> Self {
        OrderedCollectionPage {
            context_ld: None,
            id,
            kind: "OrderedCollectionPage".to_owned(),
            part_of,
            total_items: None,
            next: None,
            prev: None,
            ordered_items,
            extra: Map::new(),
        }
    }
}

impl HasId for OrderedCollectionPage {
    fn id(&self) -> Option<&Url> {
        Some(&self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn collection_with_embedded_first_page() {
        let doc = json!({
            "id": "https://a.example/u/1/outbox",
            "type": "OrderedCollection",
            "totalItems": 2,
            "first": {
                "id": "https://a.example/u/1/outbox?page=1",
                "type": "OrderedCollectionPage",
                "partOf": "https://a.example/u/1/outbox",
                "next": "https://a.example/u/1/outbox?page=2",
                "orderedItems": ["https://a.example/a/2"]
            },
            "last": "https://a.example/u/1/outbox?page=2"
        });
        let c: OrderedCollection = serde_json::from_value(doc.clone()).unwrap();
        assert_eq!(c.total_items, 2);
        let first = c.first.as_ref().and_then(IriOrObject::as_object).unwrap();
        assert_eq!(first.ordered_items.len(), 1);
        assert_eq!(c.first.as_ref().and_then(IriOrObject::id), Some(&first.id));
        assert!(c.last.as_ref().and_then(IriOrObject::as_iri).is_some());
        assert!(c.all_items().is_empty());
        assert_eq!(serde_json::to_value(&c).unwrap(), doc);
    }

    #[test]
    fn items_fallback() {
        let c: OrderedCollection = serde_json::from_value(json!({
            "type": "OrderedCollection", "totalItems": 1, "items": [{"type": "Commit"}]
        }))
        .unwrap();
        assert_eq!(c.all_items().len(), 1);
        assert!(c.id.is_none());
    }

    #[test]
    fn constructors_serialize_minimally() {
        let c = OrderedCollection::new(None, 0);
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            json!({"type": "OrderedCollection", "totalItems": 0})
        );
        let id = Url::parse("https://a.example/c?page=1").unwrap();
        let part_of = Url::parse("https://a.example/c").unwrap();
        let p = OrderedCollectionPage::new(id, part_of, vec![]);
        assert_eq!(serde_json::to_value(&p).unwrap()["orderedItems"], json!([]));
    }
}
