//! People who asked not to be published: removed from an extraction before it
//! becomes RDF — the person, their memberships and leads — and their name replaced
//! by a placeholder in every quoted sentence and label that contains it.

use crate::model::{EntityKey, Evidence, Extraction};

/// What a suppressed name is replaced with in quotes and labels.
pub const PLACEHOLDER: &str = "[namn borttaget]";

/// The names of a suppression list: one per line, `#` starts a comment.
pub fn parse_list(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

/// The key a suppressed name would have as a person.
pub fn key_of(name: &str) -> EntityKey {
    EntityKey::from_name(name)
}

/// `text` with every occurrence of each name (any case) replaced by the placeholder.
fn redact(text: &str, names: &[String]) -> String {
    let mut out = text.to_string();
    for name in names {
        let lower_name = name.to_lowercase();
        if lower_name.is_empty() {
            continue;
        }
        let mut result = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(found) = rest.to_lowercase().find(&lower_name) {
            // `to_lowercase` can change lengths; fall back to exact matching when it does.
            if rest.to_lowercase().len() != rest.len() {
                result.push_str(&rest.replace(name.as_str(), PLACEHOLDER));
                rest = "";
                break;
            }
            result.push_str(&rest[..found]);
            result.push_str(PLACEHOLDER);
            rest = &rest[found + lower_name.len()..];
        }
        result.push_str(rest);
        out = result;
    }
    out
}

fn redact_evidence(evidence: &mut Evidence, names: &[String]) {
    evidence.quote = redact(&evidence.quote, names);
}

/// Removes the people named in `names` and their name from every quote and label.
pub fn apply(extraction: &mut Extraction, names: &[String]) {
    if names.is_empty() {
        return;
    }
    let suppressed: Vec<EntityKey> = names.iter().map(|n| key_of(n)).collect();
    let gone = |key: &EntityKey| suppressed.contains(key);
    extraction.people.retain(|key, _| !gone(key));
    extraction.affiliations.retain(|a| !gone(&a.person));
    extraction.leads.retain(|l| !gone(&l.person));
    for mention in &mut extraction.mentions {
        redact_evidence(&mut mention.evidence, names);
    }
    for affiliation in &mut extraction.affiliations {
        redact_evidence(&mut affiliation.evidence, names);
    }
    for participation in &mut extraction.participations {
        redact_evidence(&mut participation.evidence, names);
    }
    for lead in &mut extraction.leads {
        redact_evidence(&mut lead.evidence, names);
    }
    for count in &mut extraction.counts {
        redact_evidence(&mut count.evidence, names);
    }
    for event in &mut extraction.events {
        event.label = redact(&event.label, names);
        redact_evidence(&mut event.evidence, names);
    }
    for decision in &mut extraction.decisions {
        decision.label = redact(&decision.label, names);
        redact_evidence(&mut decision.evidence, names);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_redacted_in_any_case() {
        let names = parse_list("# who asked\nAnna Svensson  # 2026-11\n\n");
        assert_eq!(names, ["Anna Svensson"]);
        assert_eq!(
            redact("Det berättar ANNA SVENSSON och Anna Svensson.", &names),
            "Det berättar [namn borttaget] och [namn borttaget]."
        );
        assert_eq!(redact("Åsa Ölund sa", &["åsa ölund".into()]), "[namn borttaget] sa");
    }
}
