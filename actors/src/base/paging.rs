//! Paging of every served collection (an actor's, a tracker's tickets, a ticket's discussion):
//! the `OrderedCollection` document (`totalItems`, `first`, `last`) and its pages `?page=N` (from
//! 1, `PAGE_SIZE` items a page, `next`/`prev`). A collection gives its size and a reader of one
//! window of items, so a page reads only its own items (see `storage::window`).

use crate::base::error::{ActorError, Result};
use serde_json::{json, Value};
use url::Url;

/// Items per collection page.
pub const PAGE_SIZE: usize = 20;

/// The items one page holds: `len` items from position `offset` (0: the first item served).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub offset: u64,
    pub len: usize,
}

/// The collection document at `id` of `total` items, or its page `page`, whose items `read`
/// answers (called once, for the page's window only). NotFound for a page out of range.
pub fn document(
    id: &Url,
    total: u64,
    page: Option<u64>,
    read: impl FnOnce(Window) -> Result<Vec<Value>>,
) -> Result<Value> {
    let pages = total.div_ceil(PAGE_SIZE as u64).max(1);
    let page_url = |n: u64| format!("{id}?page={n}");
    let Some(n) = page else {
        return Ok(json!({
            "@context": schema::context::AS_CONTEXT,
            "id": id,
            "type": "OrderedCollection",
            "totalItems": total,
            "first": page_url(1),
            "last": page_url(pages),
        }));
    };
    if n == 0 || n > pages {
        return Err(ActorError::NotFound(format!("page {n} of {id}")));
    }
    let offset = (n - 1) * PAGE_SIZE as u64;
    let len = (total.saturating_sub(offset) as usize).min(PAGE_SIZE);
    let items = read(Window { offset, len })?;
    let mut doc = json!({
        "@context": schema::context::AS_CONTEXT,
        "id": page_url(n),
        "type": "OrderedCollectionPage",
        "partOf": id,
        "totalItems": total,
        "orderedItems": items,
    });
    if n < pages {
        doc["next"] = json!(page_url(n + 1));
    }
    if n > 1 {
        doc["prev"] = json!(page_url(n - 1));
    }
    Ok(doc)
}

/// `document` over items already in memory (small collections: a tracker's tickets, grants).
pub fn of_items(id: &Url, items: Vec<Value>, page: Option<u64>) -> Result<Value> {
    document(id, items.len() as u64, page, |w| {
        Ok(items
            .into_iter()
            .skip(w.offset as usize)
            .take(w.len)
            .collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_hold_their_window_and_link_their_neighbours() {
        let id = Url::parse("https://x.example/c").unwrap();
        let items: Vec<Value> = (0..45).map(|i| json!(i)).collect();
        let doc = of_items(&id, items.clone(), None).unwrap();
        assert_eq!(doc["totalItems"], 45);
        assert_eq!(doc["last"], "https://x.example/c?page=3");
        let page = of_items(&id, items.clone(), Some(3)).unwrap();
        assert_eq!(page["orderedItems"], json!([40, 41, 42, 43, 44]));
        assert_eq!(page["prev"], "https://x.example/c?page=2");
        assert!(page.get("next").is_none());
        assert!(of_items(&id, items, Some(4)).is_err());
        let empty = of_items(&id, Vec::new(), Some(1)).unwrap();
        assert_eq!(empty["orderedItems"], json!([]));
        assert!(empty.get("next").is_none() && empty.get("prev").is_none());
    }
}
