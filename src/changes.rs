//! What changed at each import, for people and harvesters following the dataset:
//! one JSON line per imported document (time, document, the entities it now
//! mentions that it did not before, those it no longer mentions), kept in
//! `changes.jsonl` in the store directory — outside the RDF, so that the same
//! files always give the same graphs and dumps — and published as an Atom feed.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::html::escape;
use crate::store::Store;

/// One import of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// When (UTC, RFC 3339).
    pub time: String,
    /// The document's IRI (also its graph's name).
    pub document: String,
    /// Its title.
    pub title: String,
    /// The file it was read from.
    pub source: String,
    /// Triples in its graph now.
    pub triples: usize,
    /// Entities it mentions now and did not before (all of them on a first import).
    pub added: Vec<String>,
    /// Entities it mentioned before and no longer does.
    pub removed: Vec<String>,
    /// Whether it was imported before.
    pub replaced: bool,
}

impl Change {
    /// The change from the entities mentioned `before` (`None`: not imported before) to `after`.
    pub fn between(
        document: &str,
        title: &str,
        source: &str,
        triples: usize,
        before: Option<BTreeSet<String>>,
        after: &BTreeSet<String>,
    ) -> Self {
        let empty = BTreeSet::new();
        let old = before.as_ref().unwrap_or(&empty);
        Self {
            time: now_rfc3339(),
            document: document.to_string(),
            title: title.to_string(),
            source: source.to_string(),
            triples,
            added: after.difference(old).cloned().collect(),
            removed: old.difference(after).cloned().collect(),
            replaced: before.is_some(),
        }
    }
}

/// The log file of an on-disk store (an in-memory store keeps none).
fn log_path(store: &Store) -> Option<PathBuf> {
    store.path().is_dir().then(|| store.path().join("changes.jsonl"))
}

/// Appends a change to the store's log.
pub fn append(store: &Store, change: &Change) -> std::io::Result<()> {
    let Some(path) = log_path(store) else {
        return Ok(());
    };
    let mut line = serde_json::to_string(change).map_err(std::io::Error::other)?;
    line.push('\n');
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    file.write_all(line.as_bytes())
}

/// The latest `limit` changes, newest first (unreadable lines are skipped).
pub fn latest(store: &Store, limit: usize) -> Vec<Change> {
    let Some(file) = log_path(store).and_then(|p| std::fs::File::open(p).ok()) else {
        return Vec::new();
    };
    let mut changes: Vec<Change> = std::io::BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .filter_map(|line| serde_json::from_str(&line).ok())
        .collect();
    changes.reverse();
    changes.truncate(limit);
    changes
}

/// Now, UTC, as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_rfc3339() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (year, month, day) = crate::views::params::civil_from_days((seconds / 86_400) as i64);
    let time = seconds % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        time / 3600,
        time % 3600 / 60,
        time % 60
    )
}

/// The Atom feed of `changes` (newest first) for the site at `site`.
pub fn atom(changes: &[Change], site: &str) -> String {
    let updated = changes.first().map_or_else(now_rfc3339, |c| c.time.clone());
    let mut feed = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"sv\">\
         <id>{site}changes.atom</id><title>eSam-grafen: importer</title><updated>{updated}</updated>\
         <link rel=\"self\" href=\"{site}changes.atom\"/><link href=\"{site}\"/><author><name>esam-kg</name></author>",
        site = escape(site),
        updated = escape(&updated)
    );
    for (n, change) in changes.iter().enumerate() {
        let mut summary = format!(
            "{} {} ({} tripler). ",
            if change.replaced {
                "Importerat på nytt:"
            } else {
                "Nytt:"
            },
            change.source,
            change.triples
        );
        if change.added.is_empty() && change.removed.is_empty() {
            summary.push_str("Inga entiteter tillkom eller försvann.");
        } else {
            let _ = write!(summary, "Tillkom: {}. ", change.added.len());
            let _ = write!(summary, "Försvann: {}.", change.removed.len());
        }
        let list = |title: &str, iris: &[String]| -> String {
            if iris.is_empty() {
                return String::new();
            }
            let items: String = iris
                .iter()
                .map(|iri| format!("<li><a href=\"{0}\">{0}</a></li>", escape(iri)))
                .collect();
            format!("<h4>{title}</h4><ul>{items}</ul>")
        };
        let content = format!(
            "<p>{}</p>{}{}",
            escape(&summary),
            list("Tillkom", &change.added),
            list("Försvann", &change.removed)
        );
        let _ = write!(
            feed,
            "<entry><id>{id}</id><title>{title}</title><updated>{time}</updated><link href=\"{doc}\"/>\
             <summary>{summary}</summary><content type=\"html\">{content}</content></entry>",
            id = escape(&format!("{}#{}-{}", change.document, change.time, changes.len() - n)),
            title = escape(&change.title),
            time = escape(&change.time),
            doc = escape(&change.document),
            summary = escape(&summary),
            content = escape(&content),
        );
    }
    feed.push_str("</feed>\n");
    feed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_lists_what_came_and_went() {
        let before: BTreeSet<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
        let after: BTreeSet<String> = ["b", "c"].iter().map(|s| s.to_string()).collect();
        let change = Change::between("http://x/d", "T", "d.txt", 10, Some(before), &after);
        assert_eq!(
            (change.added.as_slice(), change.removed.as_slice()),
            (&["c".to_string()][..], &["a".to_string()][..])
        );
        assert!(change.replaced);
        let feed = atom(&[change], "http://x/");
        assert!(feed.starts_with("<?xml") && feed.contains("<entry>") && feed.contains("Tillkom: 1."));
        assert_eq!(now_rfc3339().len(), 20);
    }
}
