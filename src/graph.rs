//! Model → quads of one document's named graph: the public graph contract in code.
//!
//! The document node is `a esam:Newsletter, schema:NewsArticle` with
//! `dcterms:issued/title/language/source` and `schema:mentions` for every
//! entity; each fact node (mention, membership, event, decision) has
//! `prov:wasDerivedFrom` its section and `esam:quote` the sentence, with
//! character offsets.

use std::collections::HashSet;

use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Quad, Term};

use crate::ids::{FactKind, Ids};
use crate::model::{
    EntityKey, EntityKind, Evidence, Extraction, GroupKind, GroupRef, IssuedBasis, PartialDate, Recognition,
};
use crate::vocab::{dcterms, esam, foaf, org, prov, rdf, rdfs, schema, skos, time, void, xsd};

/// What the importer knows about the source file.
#[derive(Debug, Clone)]
pub struct SourceInfo<'a> {
    /// Document id (`2021-12`).
    pub id: &'a str,
    /// File name.
    pub file_name: &'a str,
    /// SHA-256 of the document's decoded text, hex: the same newsletter under another name.
    pub text_digest: &'a str,
}

/// Accumulates the quads of one graph.
struct GraphBuilder {
    graph: NamedNode,
    quads: Vec<Quad>,
}

impl GraphBuilder {
    fn add(&mut self, subject: &NamedNode, predicate: NamedNodeRef<'_>, object: impl Into<Term>) {
        self.quads.push(Quad::new(
            subject.clone(),
            predicate.into_owned(),
            object.into(),
            self.graph.clone(),
        ));
    }
}

/// A literal in Swedish.
fn sv(text: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "sv")
}

/// A non-negative count or offset.
fn count(n: usize) -> Literal {
    Literal::new_typed_literal(n.to_string(), xsd::NON_NEGATIVE_INTEGER)
}

/// A date at its precision: xsd:date, xsd:gYearMonth or xsd:gYear.
pub fn date_literal(date: PartialDate) -> Literal {
    let datatype = match (date.month, date.day) {
        (Some(_), Some(_)) => xsd::DATE,
        (Some(_), None) => xsd::G_YEAR_MONTH,
        _ => xsd::G_YEAR,
    };
    Literal::new_typed_literal(date.iso(), datatype)
}

/// The quads of a document's graph, each once; the graph is named by the document IRI.
pub fn document_quads(ids: &Ids, source: &SourceInfo<'_>, extraction: &Extraction) -> Vec<Quad> {
    let document = ids.document(source.id);
    let mut g = GraphBuilder {
        graph: document.clone(),
        quads: Vec::new(),
    };
    g.add(&document, rdf::TYPE, esam::NEWSLETTER.into_owned());
    g.add(&document, rdf::TYPE, schema::NEWS_ARTICLE.into_owned());
    g.add(&document, dcterms::TITLE, sv(&extraction.title));
    // The language the text is in (Swedish when it could not be told).
    g.add(
        &document,
        dcterms::LANGUAGE,
        Literal::new_simple_literal(extraction.language.unwrap_or("sv")),
    );
    g.add(
        &document,
        esam::TEXT_DIGEST,
        Literal::new_simple_literal(source.text_digest),
    );
    g.add(
        &document,
        dcterms::SOURCE,
        Literal::new_simple_literal(source.file_name),
    );
    g.add(&document, dcterms::IDENTIFIER, Literal::new_simple_literal(source.id));
    if let Some((date, basis)) = extraction.issued {
        g.add(&document, dcterms::ISSUED, date_literal(date));
        let basis = match basis {
            IssuedBasis::Given => "given",
            IssuedBasis::DateLine => "date line",
            IssuedBasis::Content => "content",
        };
        g.add(&document, esam::DATE_INFERRED_FROM, Literal::new_simple_literal(basis));
    }

    let sections: Vec<NamedNode> = (0..extraction.sections.len())
        .map(|n| ids.fact(source.id, FactKind::Section, n))
        .collect();
    for (n, (node, info)) in sections.iter().zip(&extraction.sections).enumerate() {
        g.add(node, rdf::TYPE, esam::SECTION.into_owned());
        g.add(node, dcterms::IS_PART_OF, document.clone());
        g.add(&document, dcterms::HAS_PART, node.clone());
        g.add(node, schema::POSITION, count(n));
        if !info.heading.is_empty() {
            g.add(node, dcterms::TITLE, sv(&info.heading));
        }
        g.add(node, esam::CHAR_START, count(info.start));
        g.add(node, esam::CHAR_END, count(info.end));
    }
    let add_evidence = |g: &mut GraphBuilder, node: &NamedNode, evidence: &Evidence| {
        if let Some(section) = sections.get(evidence.section) {
            g.add(node, prov::WAS_DERIVED_FROM, section.clone());
        }
        g.add(node, esam::QUOTE, sv(&evidence.quote));
        g.add(node, esam::CHAR_START, count(evidence.start));
        g.add(node, esam::CHAR_END, count(evidence.end));
    };

    for organisation in extraction.organisations.values() {
        let node = ids.entity(EntityKind::Organisation, &organisation.key);
        g.add(&node, rdf::TYPE, org::ORGANIZATION.into_owned());
        g.add(&node, skos::PREF_LABEL, sv(&organisation.name));
        let method = match organisation.recognition {
            Recognition::Reference => esam::BY_REFERENCE,
            Recognition::Pattern => esam::BY_PATTERN,
        };
        g.add(&node, esam::RECOGNISED_BY, method.into_owned());
        g.add(&document, schema::MENTIONS, node);
    }
    for (n, mention) in extraction.mentions.iter().enumerate() {
        let node = ids.fact(source.id, FactKind::Mention, n);
        g.add(&node, rdf::TYPE, esam::MENTION.into_owned());
        g.add(
            &node,
            esam::MENTION_OF,
            ids.entity(EntityKind::Organisation, &mention.org),
        );
        g.add(&node, esam::SURFACE_FORM, Literal::new_simple_literal(&mention.surface));
        g.add(&node, dcterms::IS_PART_OF, document.clone());
        add_evidence(&mut g, &node, &mention.evidence);
    }

    let first_block_mention = extraction.mentions.len();
    for (n, mention) in extraction.blocks.iter().enumerate() {
        let block = ids.entity(EntityKind::BuildingBlock, &mention.block);
        let node = ids.fact(source.id, FactKind::Mention, first_block_mention + n);
        g.add(&node, rdf::TYPE, esam::MENTION.into_owned());
        g.add(&node, esam::MENTION_OF, block.clone());
        g.add(&node, esam::SURFACE_FORM, Literal::new_simple_literal(&mention.surface));
        g.add(&node, dcterms::IS_PART_OF, document.clone());
        add_evidence(&mut g, &node, &mention.evidence);
        g.add(&document, schema::MENTIONS, block.clone());
        for group in &mention.groups {
            g.add(&ids.entity(EntityKind::Group, group), dcterms::RELATION, block.clone());
        }
    }

    let entity = |kind: EntityKind, key: &EntityKey| ids.entity(kind, key);
    let group_ref = |r: &GroupRef| match r {
        GroupRef::Group(key) => entity(EntityKind::Group, key),
        GroupRef::Organisation(key) => entity(EntityKind::Organisation, key),
    };
    let add_role = |g: &mut GraphBuilder, label: &str| {
        let node = entity(EntityKind::Role, &EntityKey::from_name(label));
        g.add(&node, rdf::TYPE, org::ROLE.into_owned());
        g.add(&node, rdf::TYPE, esam::ROLE.into_owned());
        g.add(&node, skos::PREF_LABEL, sv(label));
        node
    };
    let mut memberships = 0;
    let mut next_membership = || {
        memberships += 1;
        ids.fact(source.id, FactKind::Membership, memberships - 1)
    };

    for person in extraction.people.values() {
        let node = entity(EntityKind::Person, &person.key);
        g.add(&node, rdf::TYPE, foaf::PERSON.into_owned());
        g.add(&node, foaf::NAME, Literal::new_simple_literal(&person.name));
        g.add(&document, schema::MENTIONS, node);
    }
    for affiliation in &extraction.affiliations {
        let node = next_membership();
        let person = entity(EntityKind::Person, &affiliation.person);
        g.add(&node, rdf::TYPE, org::MEMBERSHIP.into_owned());
        g.add(&node, org::MEMBER, person.clone());
        if let Some(key) = &affiliation.organisation {
            let organisation = entity(EntityKind::Organisation, key);
            g.add(&node, org::ORGANIZATION_PROP, organisation.clone());
            g.add(&person, org::MEMBER_OF, organisation);
        }
        if let Some(role) = &affiliation.role {
            let role = add_role(&mut g, role);
            g.add(&node, org::ROLE_PROP, role);
        }
        add_evidence(&mut g, &node, &affiliation.evidence);
    }
    let esam_node = entity(EntityKind::Organisation, &EntityKey::from_name("eSamverkansprogrammet"));
    for group in extraction.groups.values() {
        let node = entity(EntityKind::Group, &group.key);
        match group.kind {
            GroupKind::Project => g.add(&node, rdf::TYPE, org::ORGANIZATIONAL_COLLABORATION.into_owned()),
            GroupKind::Body => {
                g.add(&node, rdf::TYPE, org::ORGANIZATIONAL_UNIT.into_owned());
                g.add(&node, org::UNIT_OF, esam_node.clone());
                g.add(&esam_node, org::HAS_UNIT, node.clone());
            }
        }
        g.add(&node, skos::PREF_LABEL, sv(&group.name));
        for alt in &group.alt_names {
            g.add(&node, skos::ALT_LABEL, sv(alt));
        }
        g.add(&document, schema::MENTIONS, node);
    }
    for participation in &extraction.participations {
        let node = next_membership();
        let organisation = entity(EntityKind::Organisation, &participation.organisation);
        let group = group_ref(&participation.group);
        g.add(&node, rdf::TYPE, org::MEMBERSHIP.into_owned());
        g.add(&node, org::MEMBER, organisation.clone());
        g.add(&node, org::ORGANIZATION_PROP, group.clone());
        g.add(&group, org::HAS_MEMBER, organisation);
        if let Some(role) = &participation.role {
            let role = add_role(&mut g, role);
            g.add(&node, org::ROLE_PROP, role);
        }
        if let Some(from) = participation.from {
            g.add(&node, schema::START_DATE, date_literal(from));
            // ORG's own way: the membership's interval, beginning at that date (OWL-Time).
            let interval = ids.part_of(&node, "interval");
            let beginning = ids.part_of(&node, "start");
            g.add(&node, org::MEMBER_DURING, interval.clone());
            g.add(&interval, rdf::TYPE, time::INTERVAL.into_owned());
            g.add(&interval, time::HAS_BEGINNING, beginning.clone());
            g.add(&beginning, rdf::TYPE, time::INSTANT.into_owned());
            let in_xsd = match (from.month, from.day) {
                (Some(_), Some(_)) => time::IN_XSD_DATE,
                (Some(_), None) => time::IN_XSD_G_YEAR_MONTH,
                _ => time::IN_XSD_G_YEAR,
            };
            g.add(&beginning, in_xsd, date_literal(from));
        }
        add_evidence(&mut g, &node, &participation.evidence);
    }
    for lead in &extraction.leads {
        let node = next_membership();
        let group = entity(EntityKind::Group, &lead.group);
        let person = entity(EntityKind::Person, &lead.person);
        g.add(&group, esam::LED_BY, person.clone());
        g.add(&node, rdf::TYPE, org::MEMBERSHIP.into_owned());
        g.add(&node, org::MEMBER, person);
        g.add(&node, org::ORGANIZATION_PROP, group);
        let role = add_role(&mut g, "ledare");
        g.add(&node, org::ROLE_PROP, role);
        add_evidence(&mut g, &node, &lead.evidence);
    }
    for stated in &extraction.counts {
        g.add(
            &entity(EntityKind::Group, &stated.group),
            esam::STATED_MEMBER_COUNT,
            count(stated.count as usize),
        );
    }
    for (n, event) in extraction.events.iter().enumerate() {
        let node = entity(EntityKind::Event, &EntityKey::from_name(&format!("{}-{n}", source.id)));
        g.add(&node, rdf::TYPE, schema::EVENT.into_owned());
        g.add(&node, schema::NAME, sv(&event.label));
        let kind = ids.event_type(&event.kind);
        g.add(&kind, rdf::TYPE, esam::EVENT_TYPE.into_owned());
        g.add(&kind, skos::PREF_LABEL, sv(&event.kind));
        g.add(&node, esam::EVENT_TYPE_PROP, kind);
        if let Some(date) = event.date {
            g.add(&node, schema::START_DATE, date_literal(date));
        }
        if let Some(date) = event.end_date {
            g.add(&node, schema::END_DATE, date_literal(date));
        }
        if let Some(participants) = event.participants {
            g.add(&node, esam::PARTICIPANT_COUNT, count(participants as usize));
        }
        if let Some(organiser) = &event.organiser {
            g.add(&node, schema::ORGANIZER, group_ref(organiser));
        }
        if let Some(about) = &event.about {
            g.add(&node, schema::ABOUT, entity(EntityKind::Group, about));
        }
        add_evidence(&mut g, &node, &event.evidence);
        g.add(&document, schema::MENTIONS, node);
    }
    for (n, decision) in extraction.decisions.iter().enumerate() {
        let node = entity(
            EntityKind::Decision,
            &EntityKey::from_name(&format!("{}-{n}", source.id)),
        );
        g.add(&node, rdf::TYPE, esam::DECISION.into_owned());
        g.add(&node, rdfs::LABEL, sv(&decision.label));
        if let Some(date) = decision.date {
            g.add(&node, dcterms::DATE, date_literal(date));
        }
        if let Some(by) = &decision.by {
            g.add(&node, esam::DECIDED_BY, group_ref(by));
        }
        for concern in &decision.concerns {
            g.add(&node, esam::CONCERNS, group_ref(concern));
        }
        add_evidence(&mut g, &node, &decision.evidence);
        g.add(&document, schema::MENTIONS, node);
    }

    let mut quads = g.quads;
    // Duplicates (a fact stated twice) go; the order stays as built, which is deterministic.
    // Sorting by each quad's text for this cost as much as the extraction itself (callgrind).
    let mut seen: HashSet<&Quad> = HashSet::with_capacity(quads.len());
    let first_seen: Vec<bool> = quads.iter().map(|quad| seen.insert(quad)).collect();
    drop(seen);
    let mut first_seen = first_seen.into_iter();
    quads.retain(|_| first_seen.next().unwrap_or(true));
    // The triple count lets a reader check the graph is complete (it counts itself).
    let total = quads.len() + 1;
    quads.push(Quad::new(
        document.clone(),
        void::TRIPLES.into_owned(),
        count(total),
        document,
    ));
    quads
}
