// SPDX-License-Identifier: AGPL-3.0-or-later
//! `OneOrMany`, a JSON-LD value given as one item or as an array, and `Types`, the `type` field.

use serde::{Deserialize, Serialize};

/// A JSON-LD value that may be one item or an array of items.
///
/// `One` serializes as the bare item and `Many` as an array, so a document round-trips in the
/// shape it came in (a one-element array stays an array).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// A single item, written without brackets.
    One(T),
    /// An array of items (possibly empty).
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The items as a slice, whatever the shape.
    pub fn as_slice(&self) -> &[T] {
        match self {
            Self::One(item) => std::slice::from_ref(item),
            Self::Many(items) => items,
        }
    }

    /// Iterates over the items.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.as_slice().iter()
    }

    /// The first item, if any.
    pub fn first(&self) -> Option<&T> {
        self.as_slice().first()
    }

    /// The items as a vector.
    pub fn into_vec(self) -> Vec<T> {
        match self {
            Self::One(item) => vec![item],
            Self::Many(items) => items,
        }
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// Whether there is no item (only possible as an empty array).
    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    /// Appends an item; a `One` becomes a `Many`.
    pub fn push(&mut self, item: T) {
        let old = std::mem::replace(self, Self::Many(Vec::new()));
        let mut items = old.into_vec();
        items.push(item);
        *self = Self::Many(items);
    }
}

impl<T> From<T> for OneOrMany<T> {
    fn from(item: T) -> Self {
        Self::One(item)
    }
}

impl<T> From<Vec<T>> for OneOrMany<T> {
    fn from(items: Vec<T>) -> Self {
        Self::Many(items)
    }
}

impl<T> IntoIterator for OneOrMany<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

impl<'a, T> IntoIterator for &'a OneOrMany<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The `type` field of a document: one type name or several (e.g. `["Repository", "TicketTracker"]`).
pub type Types = OneOrMany<String>;

impl OneOrMany<String> {
    /// Whether `t` is one of the types (exact, case-sensitive comparison).
    pub fn has_type(&self, t: &str) -> bool {
        self.iter().any(|candidate| candidate == t)
    }

    /// The first type name, if any.
    pub fn primary(&self) -> Option<&str> {
        self.first().map(String::as_str)
    }
}

impl From<&str> for OneOrMany<String> {
    fn from(t: &str) -> Self {
        Self::One(t.to_owned())
    }
}

/// Whether `t` is one of `types` (exact, case-sensitive comparison).
pub fn has_type(types: &Types, t: &str) -> bool {
    types.has_type(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_serializes_bare_and_many_as_array() {
        let one: OneOrMany<u32> = 7.into();
        assert_eq!(serde_json::to_value(&one).unwrap(), json!(7));
        let many: OneOrMany<u32> = vec![7].into();
        assert_eq!(serde_json::to_value(&many).unwrap(), json!([7]));
    }

    #[test]
    fn parses_both_shapes() {
        let one: OneOrMany<String> = serde_json::from_value(json!("a")).unwrap();
        assert_eq!(one, OneOrMany::One("a".to_owned()));
        let many: OneOrMany<String> = serde_json::from_value(json!(["a", "b"])).unwrap();
        assert_eq!(many.len(), 2);
        assert_eq!(many.first().map(String::as_str), Some("a"));
        let empty: OneOrMany<String> = serde_json::from_value(json!([])).unwrap();
        assert!(empty.is_empty());
        assert!(serde_json::from_value::<OneOrMany<String>>(json!(3)).is_err());
    }

    #[test]
    fn iteration_and_push() {
        let mut v: OneOrMany<u8> = 1.into();
        assert_eq!(v.iter().copied().collect::<Vec<_>>(), vec![1]);
        v.push(2);
        assert_eq!(v, OneOrMany::Many(vec![1, 2]));
        assert_eq!((&v).into_iter().count(), 2);
        assert_eq!(v.into_vec(), vec![1, 2]);
    }

    #[test]
    fn types_lookup() {
        let types: Types = serde_json::from_value(json!(["Repository", "TicketTracker"])).unwrap();
        assert!(types.has_type("TicketTracker"));
        assert!(has_type(&types, "Repository"));
        assert!(!types.has_type("repository"));
        assert_eq!(types.primary(), Some("Repository"));
        let single: Types = "Person".into();
        assert!(single.has_type("Person"));
    }
}
