//! The passes that read a document's analysed sentences into an
//! [`Extraction`]: organisations, people, groups (with members, counts and
//! leads), events and decisions. Each pass only adds; none can fail.

use std::collections::BTreeMap;

use super::{Analysed, Lexicon, decisions, events, groups, numbers, people};
use crate::ingest::BlockKind;
use crate::model::{
    Affiliation, Decision, EntityKey, Event, Extraction, Group, GroupKind, GroupRef, Lead, OrgMention, Organisation,
    PartialDate, Participation, Person, StatedCount,
};

/// The organisation key of eSam itself.
fn esam() -> EntityKey {
    EntityKey::from_name("eSamverkansprogrammet")
}

/// The sentences of a section: a contiguous run, since sentences come in text order.
fn section_range(sentences: &[Analysed<'_>], section: usize) -> std::ops::Range<usize> {
    let start = sentences.partition_point(|s| s.sentence.section < section);
    let end = sentences.partition_point(|s| s.sentence.section <= section);
    start..end
}

/// Runs every pass.
pub fn read(sentences: &[Analysed<'_>], lexicon: &Lexicon, extraction: &mut Extraction) {
    organisations(sentences, extraction);
    persons(sentences, lexicon, extraction);
    // The groups each sentence names: three passes ask.
    let named: Vec<Vec<groups::GroupFound>> = sentences.iter().map(groups::find).collect();
    let topics = group_pass(sentences, &named, extraction);
    super::blocks::find(sentences, &lexicon.building_blocks, &topics, extraction);
    participation_pass(sentences, &named, &topics, extraction);
    lead_roles(sentences, extraction);
    event_pass(sentences, &named, extraction);
    decision_pass(sentences, &named, extraction);
}

fn organisations(sentences: &[Analysed<'_>], extraction: &mut Extraction) {
    for sentence in sentences {
        for found in &sentence.orgs {
            extraction
                .organisations
                .entry(found.key.clone())
                .or_insert_with(|| Organisation {
                    key: found.key.clone(),
                    name: found.name.clone(),
                    recognition: found.recognition,
                });
            extraction.mentions.push(OrgMention {
                org: found.key.clone(),
                surface: found.surface.clone(),
                evidence: sentence.sentence.evidence(),
            });
        }
    }
}

fn persons(sentences: &[Analysed<'_>], lexicon: &Lexicon, extraction: &mut Extraction) {
    let mut speakers_without_org: Vec<(usize, EntityKey)> = Vec::new();
    for (index, sentence) in sentences.iter().enumerate() {
        for name in people::find(sentence, &lexicon.given_names) {
            let key = name.key();
            extraction.people.entry(key.clone()).or_insert_with(|| Person {
                key: key.clone(),
                name: name.name.clone(),
            });
            let tie = people::tie(sentence, &name);
            if tie.organisation.is_none() && tie.speaks {
                speakers_without_org.push((index, key.clone()));
            }
            if tie.organisation.is_some() || tie.role.is_some() {
                add_affiliation(extraction, key, tie.organisation, tie.role, sentence);
            }
        }
    }
    // A speaker the text ties to no organisation speaks for the one organisation
    // (other than eSam) that the paragraph, or the one before it, is about.
    for (index, person) in speakers_without_org {
        let already = extraction
            .affiliations
            .iter()
            .any(|a| a.person == person && a.organisation.is_some());
        if already {
            continue;
        }
        if let Some(org) = paragraph_organisation(sentences, index) {
            add_affiliation(extraction, person, Some(org), None, &sentences[index]);
        }
    }
}

fn add_affiliation(
    extraction: &mut Extraction,
    person: EntityKey,
    organisation: Option<EntityKey>,
    role: Option<String>,
    sentence: &Analysed<'_>,
) {
    let duplicate = extraction.affiliations.iter_mut().find(|a| {
        a.person == person && (a.organisation == organisation || a.organisation.is_none() || organisation.is_none())
    });
    match duplicate {
        Some(existing) => {
            if existing.organisation.is_none() {
                existing.organisation = organisation;
            }
            if existing.role.is_none() {
                existing.role = role;
            }
        }
        None => extraction.affiliations.push(Affiliation {
            person,
            organisation,
            role,
            evidence: sentence.sentence.evidence(),
        }),
    }
}

/// The single organisation (not eSam) named in the paragraph of sentence `index`, or the paragraph before it.
fn paragraph_organisation(sentences: &[Analysed<'_>], index: usize) -> Option<EntityKey> {
    let here = &sentences[index];
    let block = here.sentence.block as *const _;
    let mut previous_block = None;
    for s in sentences[..index].iter().rev() {
        if s.sentence.section != here.sentence.section {
            break;
        }
        if !std::ptr::eq(s.sentence.block, block) {
            previous_block = Some(s.sentence.block as *const _);
            break;
        }
    }
    for candidate in [Some(block), previous_block].into_iter().flatten() {
        let mut orgs: Vec<EntityKey> = sentences[section_range(sentences, here.sentence.section)]
            .iter()
            .filter(|s| std::ptr::eq(s.sentence.block, candidate))
            .flat_map(|s| s.orgs.iter().map(|o| o.key.clone()))
            .filter(|k| *k != esam())
            .collect();
        orgs.sort();
        orgs.dedup();
        if orgs.len() == 1 {
            return orgs.pop();
        }
        if !orgs.is_empty() {
            return None;
        }
    }
    None
}

/// Finds groups; returns each section's topic group (the first project it names).
fn group_pass(
    sentences: &[Analysed<'_>],
    named: &[Vec<groups::GroupFound>],
    extraction: &mut Extraction,
) -> BTreeMap<usize, EntityKey> {
    let mut topics: BTreeMap<usize, EntityKey> = BTreeMap::new();
    for (sentence, named) in sentences.iter().zip(named) {
        for found in named {
            let key = found.key();
            extraction.groups.entry(key.clone()).or_insert_with(|| Group {
                key: key.clone(),
                name: found.name.clone(),
                kind: found.kind,
                alt_names: Vec::new(),
            });
            if found.kind == GroupKind::Project {
                topics.entry(sentence.sentence.section).or_insert(key);
            }
        }
    }
    // A section that speaks of "projektet"/"arbetsgruppen" without naming it, and
    // links to a page with a descriptive title, is about that page's project.
    let mut sections: Vec<usize> = sentences.iter().map(|s| s.sentence.section).collect();
    sections.dedup();
    for section in sections {
        if topics.contains_key(&section) {
            continue;
        }
        let range = section_range(sentences, section);
        let in_section = || sentences[range.clone()].iter();
        let unnamed_reference = in_section().any(|s| {
            s.tokens.iter().any(|t| {
                let w = &*t.lower;
                w.starts_with("projekt") || w == "arbetsgruppen" || w == "projektets"
            })
        });
        let link = in_section().find(|s| {
            let words = s.tokens.len();
            s.sentence.block.kind == BlockKind::Link
                && (3..=10).contains(&words)
                && !["till", "läs", "här", "mer", "pdf"].contains(&s.tokens[0].lower.as_ref())
                && s.orgs.is_empty()
        });
        if let (true, Some(link)) = (unnamed_reference, link) {
            let name = link.text();
            let key = EntityKey::from_name(&name);
            extraction.groups.entry(key.clone()).or_insert_with(|| Group {
                key: key.clone(),
                name,
                kind: GroupKind::Project,
                alt_names: Vec::new(),
            });
            topics.insert(section, key);
        }
    }
    topics
}

/// Words after which the organisations listed take part in a group.
fn membership_cue(lower: &[&str]) -> Option<usize> {
    let pairs: &[(&str, &str)] = &[
        ("samarbete", "mellan"),
        ("representanter", "från"),
        ("bestått", "av"),
        ("består", "av"),
        ("bestående", "av"),
    ];
    for (i, window) in lower.windows(2).enumerate() {
        if pairs.iter().any(|(a, b)| window[0] == *a && window[1] == *b) {
            return Some(i + 2);
        }
    }
    lower
        .iter()
        .position(|w| ["deltar", "deltog", "medverkar", "medverkade", "ingår"].contains(w))
        .map(|i| i + 1)
}

fn participation_pass(
    sentences: &[Analysed<'_>],
    named: &[Vec<groups::GroupFound>],
    topics: &BTreeMap<usize, EntityKey>,
    extraction: &mut Extraction,
) {
    for (sentence, named) in sentences.iter().zip(named) {
        let lower = sentence.lower_words();
        let named = named.iter().find(|g| g.kind == GroupKind::Project).map(|g| g.key());
        let Some(group) = named.or_else(|| topics.get(&sentence.sentence.section).cloned()) else {
            continue;
        };
        if lower.iter().any(|w| w.starts_with("referensgrupp")) {
            continue;
        }
        if let Some(cue) = membership_cue(&lower) {
            let cue_start = sentence.tokens.get(cue).map_or(usize::MAX, |t| t.start);
            let mut seen = Vec::new();
            for org in sentence.orgs.iter().filter(|o| o.start >= cue_start && o.key != esam()) {
                if seen.contains(&org.key) {
                    continue;
                }
                seen.push(org.key.clone());
                let exists = extraction
                    .participations
                    .iter()
                    .any(|p| p.group == GroupRef::Group(group.clone()) && p.organisation == org.key);
                if !exists {
                    extraction.participations.push(Participation {
                        group: GroupRef::Group(group.clone()),
                        organisation: org.key.clone(),
                        role: None,
                        from: None,
                        evidence: sentence.sentence.evidence(),
                    });
                }
            }
        }
        // "11 myndigheter deltagit", "sammanlagt 11 myndigheter", "från i dagsläget elva medlemmar".
        for (i, word) in lower.iter().enumerate() {
            let counted = lower
                .get(i + 1)
                .is_some_and(|w| ["myndigheter", "medlemmar", "organisationer", "medlemsmyndigheter"].contains(w));
            let new_members = i > 0 && lower[i - 1] == "nya" || lower.get(i + 1).is_some_and(|w| *w == "nya");
            if counted
                && !new_members
                && let Some(count) = numbers::parse_lower(word)
                && !extraction.counts.iter().any(|c| c.group == group)
            {
                extraction.counts.push(StatedCount {
                    group: group.clone(),
                    count,
                    evidence: sentence.sentence.evidence(),
                });
            }
        }
        // Leads: "leds av X", "X … har lett arbetet i G", "X leder G".
        // What is led must not be an event ("Webbinariet leds av …" leads no group).
        let led_thing_is_event = lower
            .iter()
            .position(|w| *w == "leds" || *w == "leddes")
            .and_then(|k| k.checked_sub(1))
            .is_some_and(|k| events::event_type(lower[k]).is_some());
        let leads = !led_thing_is_event
            && (lower.windows(2).any(|w| w[0] == "leds" && w[1] == "av")
                || lower.iter().any(|w| *w == "lett" || *w == "leder" || *w == "ledde"));
        if leads
            && let Some(person) = people_in(sentence, extraction).first()
            && !extraction.leads.iter().any(|l| l.group == group && &l.person == person)
        {
            extraction.leads.push(Lead {
                group: group.clone(),
                person: person.clone(),
                evidence: sentence.sentence.evidence(),
            });
        }
    }
}

/// Leads without a role take it from the plural that introduces them earlier: in their
/// section, or in a paragraph that names their group ("Arbetet har pågått under namnen hSam
/// och KomSam … Vi har pratat med färdledarna för de båda grupperna" makes the leads of
/// hSam and KomSam "färdledare", under whatever subheading they are quoted).
fn lead_roles(sentences: &[Analysed<'_>], extraction: &mut Extraction) {
    let leads: Vec<(EntityKey, usize, String)> = extraction
        .leads
        .iter()
        .map(|l| {
            let group = extraction
                .groups
                .get(&l.group)
                .map(|g| g.name.clone())
                .unwrap_or_default();
            (l.person.clone(), l.evidence.start, group)
        })
        .collect();
    for (person, start, group) in leads {
        let has_role = extraction
            .affiliations
            .iter()
            .any(|a| a.person == person && a.role.is_some());
        let Some(index) = sentences
            .iter()
            .position(|s| s.sentence.block.source_offset(s.sentence.block_start) == start)
        else {
            continue;
        };
        if has_role {
            continue;
        }
        let section = sentences[index].sentence.section;
        let introduces = |s: &Analysed<'_>| {
            s.sentence.section == section || !group.is_empty() && s.sentence.block.text.contains(&group)
        };
        let role = sentences[..index]
            .iter()
            .rev()
            .filter(|s| introduces(s))
            .find_map(|s| s.tokens.iter().find_map(|t| people::singular_role(&t.lower)));
        if let Some(role) = role {
            add_affiliation(extraction, person, None, Some(role), &sentences[index]);
        }
    }
}

/// People of the extraction named in this sentence, in order.
fn people_in(sentence: &Analysed<'_>, extraction: &Extraction) -> Vec<EntityKey> {
    let text = sentence.text();
    let mut found: Vec<(usize, EntityKey)> = extraction
        .people
        .values()
        .filter_map(|p| text.find(&p.name).map(|at| (at, p.key.clone())))
        .collect();
    found.sort();
    found.into_iter().map(|(_, k)| k).collect()
}

fn issued_of(extraction: &Extraction) -> Option<PartialDate> {
    extraction.issued.map(|(d, _)| d)
}

fn event_pass(sentences: &[Analysed<'_>], named: &[Vec<groups::GroupFound>], extraction: &mut Extraction) {
    let issued = issued_of(extraction);
    let mut found: Vec<events::EventFound> = Vec::new();
    // Each sentence's event word and stated participant count, read once.
    let words: Vec<Option<(usize, &'static str)>> = sentences.iter().map(events::event_word).collect();
    let counts: Vec<Option<u32>> = sentences.iter().map(events::participant_count).collect();
    for (section_index, section) in extraction.sections.iter().enumerate() {
        let indices: Vec<usize> = section_range(sentences, section_index).collect();
        if events::is_calendar_heading(&section.heading) {
            for &i in &indices {
                if sentences[i].sentence.block.kind == BlockKind::ListItem
                    && let Some(event) = events::calendar_entry(&sentences[i], i, issued)
                {
                    found.push(event);
                }
            }
            continue;
        }
        let heading_kind = indices
            .first()
            .filter(|&&i| matches!(sentences[i].sentence.block.kind, BlockKind::Heading(_)))
            .and_then(|&i| words[i].map(|(token, kind)| (i, token, kind)))
            // "Temamöten": a section about several events, each read from its own sentence.
            .filter(|&(i, token, kind)| !events::is_plural(&sentences[i].tokens[token].lower, kind))
            .map(|(i, _, kind)| (i, kind));
        if let Some((heading_sentence, kind)) = heading_kind {
            let body = || indices.iter().copied().filter(move |&i| i != heading_sentence);
            let date = body().filter(|&i| words[i].is_some()).find_map(|i| {
                sentences[i]
                    .dates
                    .iter()
                    .find(|d| d.day.is_some())
                    .and_then(|d| d.resolve(issued))
            });
            let participants = body().find_map(|i| counts[i]);
            let organiser = body()
                .find_map(|i| events::organiser(&sentences[i]))
                .map(GroupRef::Organisation);
            let about = extraction
                .groups
                .values()
                .find(|g| g.kind == GroupKind::Project && section.heading.contains(&g.name))
                .map(|g| g.key.clone());
            found.push(events::EventFound {
                label: section.heading.clone(),
                kind,
                date,
                end_date: None,
                participants,
                organiser,
                about,
                sentence: heading_sentence,
            });
        }
        for &i in &indices {
            let sentence = &sentences[i];
            if matches!(sentence.sentence.block.kind, BlockKind::Heading(_) | BlockKind::Link) {
                continue;
            }
            let Some((token, kind)) = words[i] else {
                continue;
            };
            if heading_kind.is_some_and(|(_, k)| k == kind) {
                continue;
            }
            // "ca 8 välbesökta temamöten": several events reported together, not one.
            let several = sentence.tokens[token.saturating_sub(3)..token]
                .iter()
                .any(|t| numbers::parse_lower(&t.lower).is_some_and(|n| n > 1));
            if several {
                continue;
            }
            // "styrgruppens möte i början av oktober": a group's meeting, dated at any precision.
            let group_meeting = token.checked_sub(1).and_then(|k| {
                named[i]
                    .iter()
                    .find(|g| g.last == k && sentence.tokens[k].lower.ends_with('s'))
            });
            let date = sentence
                .dates
                .iter()
                .find(|d| d.day.is_some())
                .or_else(|| group_meeting.and_then(|_| sentence.dates.first()))
                .and_then(|d| d.resolve(issued));
            let participants = counts[i].or_else(|| {
                indices
                    .iter()
                    .filter(|&&j| words[j].is_some_and(|(_, k)| k == kind))
                    .find_map(|&j| counts[j])
            });
            if date.is_none() && counts[i].is_none() {
                continue;
            }
            let word = &sentence.tokens[token].lower;
            let about = if word.starts_with("styrgruppsmöte") {
                Some(EntityKey::from_name(groups::STEERING_GROUP))
            } else {
                group_meeting.or(named[i].first()).map(|g| g.key())
            };
            let label = if word.starts_with("styrgruppsmöte")
                || group_meeting.is_some_and(|g| g.name == groups::STEERING_GROUP)
            {
                "Styrgruppsmöte".to_string()
            } else if section.heading.is_empty() {
                events::capitalise(kind)
            } else {
                format!("{} – {}", events::capitalise(kind), section.heading)
            };
            found.push(events::EventFound {
                label,
                kind,
                date,
                end_date: None,
                participants,
                organiser: events::organiser(sentence).map(GroupRef::Organisation),
                about,
                sentence: i,
            });
        }
    }
    // One event per type and date; an undated report of a type is the section's event of that type.
    for event in found {
        let section = sentences[event.sentence].sentence.section;
        let duplicate = extraction.events.iter_mut().find(|e| {
            let same_date =
                e.date.is_some() && e.date == event.date && (e.about == event.about || e.label == event.label);
            e.kind == event.kind && (same_date || event.date.is_none() && e.evidence.section == section)
        });
        match duplicate {
            Some(existing) => {
                existing.participants = existing.participants.or(event.participants);
                existing.organiser = existing.organiser.clone().or(event.organiser);
            }
            None => extraction.events.push(Event {
                label: event.label,
                kind: event.kind.to_string(),
                date: event.date,
                end_date: event.end_date,
                participants: event.participants,
                organiser: event.organiser,
                about: event.about,
                evidence: sentences[event.sentence].sentence.evidence(),
            }),
        }
    }
}

fn decision_pass(sentences: &[Analysed<'_>], named: &[Vec<groups::GroupFound>], extraction: &mut Extraction) {
    let issued = issued_of(extraction);
    let steering = EntityKey::from_name(groups::STEERING_GROUP);
    let mut found: Vec<(Decision, decisions::Cue, std::collections::BTreeSet<String>)> = Vec::new();
    for (index, sentence) in sentences.iter().enumerate() {
        let Some((cue, verb)) = decisions::cue_and_verb(sentence) else {
            continue;
        };
        let lower = sentence.lower_words();
        let text = sentence.text();
        let by_steering_group = lower.iter().any(|w| w.starts_with("styrgrupp"));
        let not_genitive = |o: &&crate::extract::orgs::Found| !o.surface.ends_with('s');
        let subject_org = sentence
            .orgs
            .iter()
            .find(|o| o.start == 0 && !o.surface.ends_with('s'))
            // "… samtidigt som regeringen beslutade om …": the organisation right before the verb.
            .or_else(|| {
                verb.checked_sub(1)
                    .and_then(|k| sentence.org_at(k))
                    .filter(not_genitive)
            })
            .or_else(|| {
                let noun_decision = lower
                    .windows(2)
                    .any(|w| w[1] == "beslut" && ["efter", "fattat", "fattade"].contains(&w[0]));
                let others: Vec<_> = sentence.orgs.iter().filter(|o| o.key != esam()).collect();
                (noun_decision && others.len() == 1).then(|| others[0])
            })
            .map(|o| o.key.clone());
        let by = if by_steering_group {
            extraction.groups.entry(steering.clone()).or_insert_with(|| Group {
                key: steering.clone(),
                name: groups::STEERING_GROUP.to_string(),
                kind: GroupKind::Body,
                alt_names: Vec::new(),
            });
            Some(GroupRef::Group(steering.clone()))
        } else {
            subject_org.map(GroupRef::Organisation)
        };
        // A day anywhere in the sentence; a coarser date only when it comes before the verb
        // ("I slutet av februari välkomnade styrgruppen …"): after it, it is more often
        // when the decided thing happens ("beslutade att starta i januari").
        let verb_start = sentence.tokens.get(verb).map_or(0, |t| t.start);
        let date = sentence
            .dates
            .iter()
            .find(|d| d.day.is_some())
            .or_else(|| sentence.dates.iter().find(|d| d.start < verb_start))
            .and_then(|d| d.resolve(issued));
        // What it concerns: the organisations named (for "… nya medlemmar:" the list that follows).
        let mut concerned: Vec<EntityKey> = sentence
            .orgs
            .iter()
            .map(|o| o.key.clone())
            .filter(|k| *k != esam())
            .collect();
        if concerned.is_empty()
            && text.trim_end().ends_with(':')
            && let Some(next) = sentences.get(index + 1)
        {
            concerned = next
                .orgs
                .iter()
                .map(|o| o.key.clone())
                .filter(|k| *k != esam())
                .collect();
        }
        if let Some(GroupRef::Organisation(by)) = &by {
            concerned.retain(|k| k != by);
        }
        concerned.dedup();
        let mut concerns: Vec<GroupRef> = concerned.iter().cloned().map(GroupRef::Organisation).collect();
        concerns.extend(
            named[index]
                .iter()
                .filter(|g| g.kind == GroupKind::Project)
                .map(|g| GroupRef::Group(g.key())),
        );
        membership_changes(sentences, index, cue, &concerned, extraction);
        let label = text.trim().trim_end_matches(':').trim().to_string();
        let decision = Decision {
            label,
            by,
            date,
            concerns,
            evidence: sentence.sentence.evidence(),
        };
        let stems = decisions::stems(&decision.label);
        let same = found.iter_mut().find(|(d, c, s)| {
            let compatible_by = d.by.is_none() || decision.by.is_none() || d.by == decision.by;
            let compatible_date = d.date.is_none() || decision.date.is_none() || d.date == decision.date;
            *c == cue
                && compatible_by
                && compatible_date
                && decisions::similarity(s, &stems) >= decisions::SAME_DECISION
        });
        match same {
            Some((existing, _, existing_stems)) => {
                existing.date = existing.date.or(decision.date);
                existing.by = existing.by.clone().or(decision.by);
                for concern in decision.concerns {
                    if !existing.concerns.contains(&concern) {
                        existing.concerns.push(concern);
                    }
                }
                existing_stems.extend(stems);
            }
            None => found.push((decision, cue, stems)),
        }
    }
    extraction.decisions = found.into_iter().map(|(d, _, _)| d).collect();
}

/// Membership of eSam that a decision changes: welcomed new members, and
/// members becoming adjunct ("adjungerade") from a stated date.
fn membership_changes(
    sentences: &[Analysed<'_>],
    index: usize,
    cue: decisions::Cue,
    organisations: &[EntityKey],
    extraction: &mut Extraction,
) {
    let sentence = &sentences[index];
    let lower = sentence.lower_words();
    let adjunct = lower.iter().any(|t| t.starts_with("adjunger"));
    // "blir medlemmar", "nya medlemmar", "ansluter till eSam", "går med i eSam".
    let joins = lower.windows(2).any(|w| {
        matches!(w[0], "blir" | "bli" | "nya" | "ny") && w[1].starts_with("medlem")
            || w[0] == "ansluter" && w[1] == "till"
            || w[0] == "går" && w[1] == "med"
    });
    let role = match (cue, adjunct, joins) {
        (decisions::Cue::WelcomedMembers, _, _) | (_, false, true) => "medlem",
        (_, true, _) => "adjungerad",
        _ => return,
    };
    // From when: "från (den) 1 mars" in the sentence, else in the section
    // ("Förändringen gäller från 1 januari 2022").
    let issued = extraction.issued.map(|(i, _)| i);
    let from_date = |s: &Analysed<'_>| {
        s.dates
            .iter()
            .find(|d| {
                d.day.is_some()
                    && s.tokens.iter().position(|t| t.start == d.start).is_some_and(|k| {
                        k > 0
                            && (s.tokens[k - 1].text == "från"
                                || k > 1 && s.tokens[k - 1].text == "den" && s.tokens[k - 2].text == "från")
                    })
            })
            .and_then(|d| d.resolve(issued))
    };
    let from = from_date(sentence).or_else(|| {
        sentences[section_range(sentences, sentence.sentence.section)]
            .iter()
            .find_map(from_date)
    });
    for organisation in organisations {
        let exists = extraction.participations.iter().any(|p| {
            p.group == GroupRef::Organisation(esam())
                && &p.organisation == organisation
                && p.role.as_deref() == Some(role)
        });
        if !exists {
            extraction.participations.push(Participation {
                group: GroupRef::Organisation(esam()),
                organisation: organisation.clone(),
                role: Some(role.to_string()),
                from,
                evidence: sentence.sentence.evidence(),
            });
        }
    }
}
