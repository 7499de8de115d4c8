//! `import --explain`: a plain-text account, per section, of what the importer
//! found and the sentence it came from, for checking the importer by eye.

use std::fmt::Write;

use crate::ingest::Document;
use crate::model::{EntityKey, Evidence, Extraction, GroupRef, IssuedBasis, Recognition};

/// Renders the report for one document.
pub fn render(document: &Document, extraction: &Extraction) -> String {
    let mut out = String::new();
    let issued = match extraction.issued {
        Some((date, basis)) => {
            let basis = match basis {
                IssuedBasis::Given => "given on the command line",
                IssuedBasis::DateLine => "from the date line",
                IssuedBasis::Content => "inferred from the dates in the text",
            };
            format!("{date} ({basis})")
        }
        None => "unknown".to_string(),
    };
    let _ = writeln!(out, "# {} → newsletter/{}", document.source, document.id);
    let _ = writeln!(out, "title:  {}", extraction.title);
    let _ = writeln!(out, "issued: {issued}");
    for diagnostic in &extraction.diagnostics {
        let _ = writeln!(out, "note:   {}", diagnostic.message);
    }
    let mut by_section: Vec<Vec<(&Evidence, String)>> = vec![Vec::new(); extraction.sections.len()];
    for (evidence, line) in facts(extraction) {
        if let Some(bucket) = by_section.get_mut(evidence.section) {
            bucket.push((evidence, line));
        }
    }
    for (index, (section, facts)) in extraction.sections.iter().zip(&by_section).enumerate() {
        let heading = if section.heading.is_empty() {
            "(opening)"
        } else {
            section.heading.as_str()
        };
        let _ = writeln!(out, "\n## {index}. {heading}");
        let mut last_quote: Option<&str> = None;
        for (evidence, line) in facts {
            if last_quote != Some(evidence.quote.as_str()) {
                let _ = writeln!(out, "  « {} » [{}..{}]", evidence.quote, evidence.start, evidence.end);
                last_quote = Some(&evidence.quote);
            }
            let _ = writeln!(out, "    {line}");
        }
    }
    out
}

/// Every fact as (evidence, one line), in text order.
fn facts(extraction: &Extraction) -> Vec<(&Evidence, String)> {
    let org = |key: &EntityKey| {
        extraction
            .organisations
            .get(key)
            .map_or_else(|| key.to_string(), |o| o.name.clone())
    };
    let person = |key: &EntityKey| {
        extraction
            .people
            .get(key)
            .map_or_else(|| key.to_string(), |p| p.name.clone())
    };
    let group = |key: &EntityKey| {
        extraction
            .groups
            .get(key)
            .map_or_else(|| key.to_string(), |g| g.name.clone())
    };
    let body = |r: &GroupRef| match r {
        GroupRef::Group(k) => group(k),
        GroupRef::Organisation(k) => org(k),
    };
    let mut facts: Vec<(&Evidence, String)> = Vec::new();
    for mention in &extraction.mentions {
        let how = match extraction.organisations.get(&mention.org).map(|o| o.recognition) {
            Some(Recognition::Pattern) => "pattern",
            _ => "reference",
        };
        facts.push((
            &mention.evidence,
            format!(
                "organisation: {} (as \"{}\", by {how})",
                org(&mention.org),
                mention.surface
            ),
        ));
    }
    for a in &extraction.affiliations {
        let at = a
            .organisation
            .as_ref()
            .map(|k| format!(" — {}", org(k)))
            .unwrap_or_default();
        let role = a.role.as_ref().map(|r| format!(", role \"{r}\"")).unwrap_or_default();
        facts.push((&a.evidence, format!("person: {}{at}{role}", person(&a.person))));
    }
    for p in &extraction.participations {
        let role = p.role.as_ref().map(|r| format!(" as {r}")).unwrap_or_default();
        let from = p.from.map(|d| format!(" from {d}")).unwrap_or_default();
        facts.push((
            &p.evidence,
            format!("member: {} in {}{role}{from}", org(&p.organisation), body(&p.group)),
        ));
    }
    for l in &extraction.leads {
        facts.push((
            &l.evidence,
            format!("lead: {} leads {}", person(&l.person), group(&l.group)),
        ));
    }
    for c in &extraction.counts {
        facts.push((
            &c.evidence,
            format!("count: {} states {} participants", group(&c.group), c.count),
        ));
    }
    for e in &extraction.events {
        let date = e.date.map(|d| d.to_string()).unwrap_or_else(|| "undated".into());
        let participants = e
            .participants
            .map(|n| format!(", {n} participants"))
            .unwrap_or_default();
        let organiser = e
            .organiser
            .as_ref()
            .map(|o| format!(", organised by {}", body(o)))
            .unwrap_or_default();
        facts.push((
            &e.evidence,
            format!("event: {} [{}] {date}{participants}{organiser}", e.label, e.kind),
        ));
    }
    for d in &extraction.decisions {
        let by = d.by.as_ref().map(body).unwrap_or_else(|| "?".into());
        let date = d.date.map(|d| format!(" on {d}")).unwrap_or_default();
        facts.push((&d.evidence, format!("decision by {by}{date}: {}", d.label)));
    }
    facts.sort_by_key(|(e, _)| e.start);
    facts
}
