//! What both sides of the component flow share: which kinds can be components, and the project
//! a `components` collection belongs to.

use crate::base::kind::ActorKind;
use url::Url;

/// Whether this actor kind can be a component of a project.
pub fn is_component_kind(kind: ActorKind) -> bool {
    matches!(kind, ActorKind::Repository | ActorKind::TicketTracker)
}

/// The project a `components` collection belongs to: the embedded collection's `context` when
/// given, else the collection's IRI without its last segment `components`.
pub fn project_of_collection(collection: Option<&schema::ObjectRef>) -> Option<Url> {
    let collection = collection?;
    if let Some(ctx) = collection.as_object().and_then(|o| o.context_id()) {
        return Some(ctx.clone());
    }
    let iri = collection.id()?;
    crate::urls::owner_of_collection(iri, crate::urls::Collection::Components)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collection(s: &str) -> schema::ObjectRef {
        schema::ObjectRef::from(Url::parse(s).expect("url"))
    }

    #[test]
    fn the_project_of_a_components_collection() {
        let p = project_of_collection(Some(&collection("http://a.example/projects/p/components")));
        assert_eq!(
            p.map(String::from).as_deref(),
            Some("http://a.example/projects/p")
        );
        for s in [
            "http://a.example/projects/p/followers",
            "http://a.example/components",
            "http://a.example/projects/p/components?page=1",
        ] {
            assert_eq!(project_of_collection(Some(&collection(s))), None, "{s}");
        }
        assert_eq!(project_of_collection(None), None);
    }
}
