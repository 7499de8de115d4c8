//! What a newsletter says of its own issue: the issue date (a date line near the top, else
//! inferred from the dates the content states; a note when the two disagree) and the title.

use super::{Analysed, dates};
use crate::ingest::{BlockKind, Document};
use crate::model::{Diagnostic, IssuedBasis, PartialDate};

/// The title: a heading that opens the document, else one made from the issue date.
pub(super) fn title(document: &Document, issued: Option<PartialDate>) -> String {
    if let Some(first) = document.blocks.first()
        && matches!(first.kind, BlockKind::Heading(_))
    {
        return first.text.clone();
    }
    match issued.and_then(|d| Some((d.year, d.month?))) {
        Some((year, month)) => format!("Nyhetsbrev från eSam, {} {year}", MONTH_NAMES[usize::from(month) - 1]),
        None => document.source.clone(),
    }
}

const MONTH_NAMES: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// The issue date: a date line near the top ("December 2023", "Nyhetsbrev december 2023"),
/// else inferred from the dates the content states.
pub(super) fn issue_date(document: &Document, sentences: &[Analysed<'_>]) -> Option<(PartialDate, IssuedBasis)> {
    date_line(document)
        .map(|d| (d, IssuedBasis::DateLine))
        .or_else(|| date_from_content(sentences).map(|d| (d, IssuedBasis::Content)))
}

/// A note when the date line and the dates of the content disagree by more than two months
/// (a template reused with an old date line, or a wrong date line): the date line is kept.
pub(super) fn conflicting_dates(
    sentences: &[Analysed<'_>],
    issued: Option<(PartialDate, IssuedBasis)>,
) -> Option<Diagnostic> {
    let (stated, IssuedBasis::DateLine) = issued? else {
        return None;
    };
    let from_content = date_from_content(sentences)?;
    ((stated.month_index() - from_content.month_index()).abs() > 2).then(|| Diagnostic {
        at: None,
        message: format!(
            "the date line says {stated} but the dates in the text point to {from_content}; \
             {stated} is used (give --issued to choose)"
        ),
    })
}

/// A short block among the first few that is only a date, or a heading with a month and year.
fn date_line(document: &Document) -> Option<PartialDate> {
    document.blocks.iter().take(6).find_map(|block| {
        let chars = &block.chars;
        let words = block.text.split_whitespace().count();
        let is_heading = matches!(block.kind, BlockKind::Heading(_));
        if words > 6 && !is_heading {
            return None;
        }
        let found = dates::find(chars, &block.text);
        let only = found.first().filter(|_| found.len() == 1)?;
        let covers_block = is_heading || only.end - only.start + 15 >= chars.len();
        (covers_block && only.year.is_some() && only.month.is_some())
            .then(|| only.resolve(None))
            .flatten()
    })
}

/// Infers the issue month from the content: the month most often named in
/// dates without a year (reports of the past weeks and the coming calendar),
/// and the year that puts the dates that do state a year closest to it.
fn date_from_content(sentences: &[Analysed<'_>]) -> Option<PartialDate> {
    let mentions: Vec<dates::DateMention> = sentences.iter().flat_map(|s| s.dates.iter().copied()).collect();
    let mut month_counts = [0usize; 13];
    for mention in mentions.iter().filter(|m| m.year.is_none() && m.day.is_some()) {
        if let Some(month) = mention.month {
            month_counts[usize::from(month)] += 1;
        }
    }
    let explicit: Vec<PartialDate> = mentions
        .iter()
        .filter(|m| m.year.is_some())
        .filter_map(|m| m.resolve(None))
        .collect();
    let best_month = (1..=12u8)
        .rev()
        .max_by_key(|m| month_counts[usize::from(*m)])
        .filter(|m| month_counts[usize::from(*m)] > 0);
    match best_month {
        Some(month) => {
            let candidate_years: Vec<i32> = explicit.iter().flat_map(|d| [d.year - 1, d.year, d.year + 1]).collect();
            let cost = |year: i32| -> i64 {
                let here = PartialDate {
                    year,
                    month: Some(month),
                    day: None,
                }
                .month_index();
                explicit.iter().map(|d| (d.month_index() - here).abs()).sum()
            };
            let year = candidate_years.into_iter().min_by_key(|y| (cost(*y), *y))?;
            PartialDate::ym(year, month)
        }
        None => {
            let mut sorted: Vec<PartialDate> = explicit.into_iter().filter(|d| d.month.is_some()).collect();
            sorted.sort();
            let median = *sorted.get(sorted.len() / 2)?;
            PartialDate::ym(median.year, median.month?)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::{Lexicon, extract};
    use crate::ingest::{Document, IngestLimits, parse_bytes};
    use crate::model::{IssuedBasis, PartialDate};

    fn document(text: &str) -> Document {
        parse_bytes("test.txt", text.as_bytes(), IngestLimits::default()).unwrap()
    }

    #[test]
    fn issue_date_from_a_date_line() {
        let doc = document("Nyhetsbrev från eSam\n\nDecember 2023\n\nRubrik\n\nText den 3 maj 2021.\n");
        let extraction = extract(&doc, &Lexicon::default(), None);
        assert_eq!(
            extraction.issued,
            Some((PartialDate::ym(2023, 12).unwrap(), IssuedBasis::DateLine))
        );
        assert_eq!(extraction.title, "Nyhetsbrev från eSam");
    }

    #[test]
    fn issue_date_from_content_prefers_the_month_of_yearless_dates() {
        let doc = document(
            "Intro text.\n\nMöte\n\nPå mötet den 1 december beslutades det. Temamötet den 19 november 2021 var bra. Gäller från 1 januari 2022 och under våren 2022 till 30 juni 2022.\n\nKalendarium\n\n- 3 december, möte\n- 8 december, möte\n",
        );
        let extraction = extract(&doc, &Lexicon::default(), None);
        assert_eq!(
            extraction.issued,
            Some((PartialDate::ym(2021, 12).unwrap(), IssuedBasis::Content))
        );
        assert_eq!(extraction.title, "Nyhetsbrev från eSam, december 2021");
    }

    #[test]
    fn given_issue_date_wins_and_missing_dates_are_diagnosed() {
        let doc = document("Rubrik\n\nInga datum här.\n");
        let given = PartialDate::ym(2020, 5);
        assert_eq!(
            extract(&doc, &Lexicon::default(), given).issued,
            given.map(|d| (d, IssuedBasis::Given))
        );
        let extraction = extract(&doc, &Lexicon::default(), None);
        assert_eq!(extraction.issued, None);
        assert_eq!(extraction.diagnostics.len(), 1);
    }
}
