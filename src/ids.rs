//! The only place entity IRIs are minted: base IRI + kind + readable key.
//!
//! `http://127.0.0.1:7878/id/org/skatteverket`, `…/id/person/fia-ekelof`,
//! `…/id/newsletter/2023-12`; fact nodes of a document live under its IRI
//! (`…/id/newsletter/2023-12/mention/4`).

use oxigraph::model::NamedNode;

use crate::model::{EntityKey, EntityKind};

/// The default base IRI, matching the default bind address.
pub const DEFAULT_BASE: &str = "http://127.0.0.1:7878/id/";

/// An invalid base IRI.
#[derive(Debug, thiserror::Error)]
#[error("invalid base IRI {base:?}: {reason}")]
pub struct BaseIriError {
    base: String,
    reason: String,
}

/// Mints IRIs under a base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ids {
    base: String,
}

impl Default for Ids {
    fn default() -> Self {
        Self {
            base: DEFAULT_BASE.to_string(),
        }
    }
}

/// Kinds of fact node that live under a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactKind {
    /// A section.
    Section,
    /// An organisation mention.
    Mention,
    /// A membership (person or organisation in an organisation or group).
    Membership,
}

impl FactKind {
    fn segment(self) -> &'static str {
        match self {
            FactKind::Section => "section",
            FactKind::Mention => "mention",
            FactKind::Membership => "membership",
        }
    }
}

impl Ids {
    /// Ids under `base`, which must be an absolute IRI ending in `/` or `#`.
    pub fn new(base: &str) -> Result<Self, BaseIriError> {
        let error = |reason: &str| BaseIriError {
            base: base.to_string(),
            reason: reason.to_string(),
        };
        if !base.ends_with('/') && !base.ends_with('#') {
            return Err(error("must end with '/' or '#'"));
        }
        NamedNode::new(base).map_err(|e| error(&e.to_string()))?;
        Ok(Self { base: base.to_string() })
    }

    /// The base IRI.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn mint(&self, path: &str) -> NamedNode {
        // Keys are slugs ([a-z0-9-]) and the base was validated, so this is a valid IRI.
        NamedNode::new_unchecked(format!("{}{path}", self.base))
    }

    /// The IRI of an entity.
    pub fn entity(&self, kind: EntityKind, key: &EntityKey) -> NamedNode {
        self.mint(&format!("{}/{key}", kind.segment()))
    }

    /// The IRI of a document (also the name of its graph).
    pub fn document(&self, document_id: &str) -> NamedNode {
        self.mint(&format!("newsletter/{}", crate::model::slug(document_id)))
    }

    /// The IRI of the `n`th fact of some kind in a document.
    pub fn fact(&self, document_id: &str, kind: FactKind, n: usize) -> NamedNode {
        self.mint(&format!(
            "newsletter/{}/{}/{n}",
            crate::model::slug(document_id),
            kind.segment()
        ))
    }

    /// The IRI of a curated view (its description; the view answers at [`Ids::site`] + `views/NAME`).
    pub fn view(&self, name: &str) -> NamedNode {
        self.mint(&format!("view/{}", crate::model::slug(name)))
    }

    /// The root of the site that serves these IRIs: the base without its final
    /// `id/` (`http://127.0.0.1:7878/`), or the base itself.
    pub fn site(&self) -> &str {
        self.base.strip_suffix("id/").unwrap_or(&self.base)
    }

    /// The IRI a request path names (`/id/org/skatteverket` → `…/id/org/skatteverket`),
    /// if the path is a valid IRI path.
    pub fn from_path(&self, path: &str) -> Option<NamedNode> {
        NamedNode::new(format!("{}{}", self.site(), path.trim_start_matches('/'))).ok()
    }

    /// The path of the page describing an IRI minted here (`…/id/org/x` → `/doc/org/x`).
    pub fn document_path(&self, iri: &str) -> Option<String> {
        let rest = iri.strip_prefix(self.site())?.strip_prefix("id/")?;
        Some(format!("/doc/{rest}"))
    }

    /// A node of the dataset description (`…/id/dcat/catalog`, `…/id/dcat/dataset` …).
    pub fn publication(&self, name: &str) -> NamedNode {
        self.mint(&format!("dcat/{}", crate::model::slug(name)))
    }

    /// A node that belongs to another (`…/membership/24` → `…/membership/24/interval`).
    pub fn part_of(&self, node: &NamedNode, part: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}/{}", node.as_str(), crate::model::slug(part)))
    }

    /// The named graph holding the reference data.
    pub fn reference_graph(&self) -> NamedNode {
        self.mint("graph/reference")
    }

    /// The named graph holding what was written to the default graph (the Graph Store
    /// Protocol's `?default`, SPARQL Update): the default graph itself is the merge of all
    /// named graphs, this one among them.
    pub fn default_writes_graph(&self) -> NamedNode {
        self.mint("graph/default")
    }

    /// The named graph holding the ontology.
    pub fn ontology_graph(&self) -> NamedNode {
        self.mint("graph/ontology")
    }

    /// The concept for an event type ("temamöte" → `…/id/event-type/temamote`).
    pub fn event_type(&self, label: &str) -> NamedNode {
        self.mint(&format!("event-type/{}", crate::model::slug(label)))
    }

    /// The key of an entity IRI of `kind` under this base, if it is one.
    pub fn key_of(&self, kind: EntityKind, iri: &str) -> Option<EntityKey> {
        let rest = iri
            .strip_prefix(&self.base)?
            .strip_prefix(kind.segment())?
            .strip_prefix('/')?;
        (!rest.is_empty() && !rest.contains('/')).then(|| EntityKey::from_name(rest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mints_readable_iris() {
        let ids = Ids::default();
        assert_eq!(
            ids.entity(EntityKind::Organisation, &EntityKey::from_name("Skatteverket"))
                .as_str(),
            "http://127.0.0.1:7878/id/org/skatteverket"
        );
        assert_eq!(
            ids.entity(EntityKind::Person, &EntityKey::from_name("Fia Ekelöf"))
                .as_str(),
            "http://127.0.0.1:7878/id/person/fia-ekelof"
        );
        assert_eq!(
            ids.document("2023-12").as_str(),
            "http://127.0.0.1:7878/id/newsletter/2023-12"
        );
        assert_eq!(
            ids.fact("2023-12", FactKind::Mention, 3).as_str(),
            "http://127.0.0.1:7878/id/newsletter/2023-12/mention/3"
        );
    }

    #[test]
    fn base_must_be_absolute_and_end_with_a_separator() {
        assert!(Ids::new("https://data.esamverka.se/id/").is_ok());
        assert!(Ids::new("https://data.esamverka.se/id").is_err());
        assert!(Ids::new("not an iri/").is_err());
    }

    #[test]
    fn keys_are_read_back_from_iris() {
        let ids = Ids::default();
        let iri = ids.entity(EntityKind::Organisation, &EntityKey::from_name("Boverket"));
        assert_eq!(
            ids.key_of(EntityKind::Organisation, iri.as_str())
                .map(|k| k.to_string())
                .as_deref(),
            Some("boverket")
        );
        assert_eq!(ids.key_of(EntityKind::Person, iri.as_str()), None);
    }
}
