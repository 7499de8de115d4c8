//! `import` and `read`: files → documents → the store, or → readings on standard output;
//! the per-document report, `--explain`, and the exit code from what failed.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use anyhow::Context;

use crate::config::Config;
use crate::import::{ImportReport, Importer, collect_files};
use crate::model::PartialDate;
use crate::reference::Reference;
use crate::store::Store;

use super::write_broken_pipe_ok;

pub(super) fn read_stdin() -> anyhow::Result<String> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("cannot read standard input")?;
    Ok(text)
}

pub(super) fn importer(config: &Config, issued: Option<PartialDate>) -> anyhow::Result<Importer> {
    let reference = Reference::load(&config.ids)?;
    Ok(Importer::new(config.ids.clone(), reference, config.limits, issued).with_suppressed(suppressed()?))
}

/// The suppression list: the file `$ESAM_KG_SUPPRESS` names, else the bundled one.
pub(super) fn suppressed() -> anyhow::Result<Vec<String>> {
    let text = match std::env::var_os("ESAM_KG_SUPPRESS") {
        Some(path) => std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read the suppression list {}", PathBuf::from(&path).display()))?,
        None => crate::reference::SUPPRESSED_PEOPLE.to_string(),
    };
    Ok(crate::extract::suppress::parse_list(&text))
}

pub(super) fn import(
    config: &Config,
    issued: Option<PartialDate>,
    explain: bool,
    paths: &[PathBuf],
) -> anyhow::Result<i32> {
    let importer = importer(config, issued)?;
    let (files, mut failures) = collect_files(paths);
    if explain {
        return explain_files(&importer, config, &files, failures);
    }
    let store = Store::open(&config.store_dir)?;
    importer.store_reference(&store)?;
    let progress = indicatif::ProgressBar::new(files.len() as u64);
    if files.len() < 20 || !std::io::stderr().is_terminal() {
        progress.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let mut report = ImportReport::default();
    let mut record = |result: Result<crate::import::DocumentReport, crate::import::ImportError>| match result {
        Ok(document) => {
            for warning in &document.warnings {
                progress.suspend(|| eprintln!("warning: {}: {warning}", document.source));
            }
            progress.suspend(|| print!("{}", document_lines(&document)));
            report.add(&document);
        }
        Err(error) => {
            progress.suspend(|| eprintln!("error: {error}"));
            failures.push(error);
        }
    };
    let mut bulk = crate::import::BulkImport::new(&importer, &store);
    for path in &files {
        let prepared = if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .context("cannot read standard input")?;
            importer.prepare_bytes(crate::import::STDIN_NAME, &bytes)
        } else {
            importer.prepare_file(path)
        };
        match prepared {
            Ok(prepared) => bulk.add(prepared).into_iter().for_each(&mut record),
            Err(error) => record(Err(error)),
        }
        progress.inc(1);
    }
    bulk.finish().into_iter().for_each(&mut record);
    progress.finish_and_clear();
    report.failures = failures;
    store.flush()?;
    print_summary(&report, &store);
    Ok(if report.failures.is_empty() { 0 } else { 1 })
}

/// What the run says of one imported document, as soon as it is stored.
pub(super) fn document_lines(document: &crate::import::DocumentReport) -> String {
    let issued = document
        .extraction
        .issued
        .map(|(d, _)| d.iso())
        .unwrap_or_else(|| "unknown".into());
    let mut out = format!(
        "imported {} as {} (issued {issued}, read as {}): {} triples, {} organisations\n",
        document.source,
        document.id,
        document.encoding.name(),
        document.triples,
        document.extraction.organisations.len()
    );
    for diagnostic in &document.extraction.diagnostics {
        out.push_str(&format!("  note: {}\n", diagnostic.message));
    }
    out
}

pub(super) fn print_summary(report: &ImportReport, store: &Store) {
    let mut out = String::new();
    out.push_str(&format!(
        "{} documents, {} triples into {}",
        report.documents,
        report.triples,
        store.path().display()
    ));
    for (kind, count) in report.entity_counts() {
        out.push_str(&format!("; {count} {kind}"));
    }
    if !report.failures.is_empty() {
        out.push_str(&format!("\n{} inputs failed:", report.failures.len()));
        for failure in &report.failures {
            out.push_str(&format!("\n  {failure}"));
        }
    }
    println!("{out}");
}

pub(super) fn explain_files(
    importer: &Importer,
    config: &Config,
    files: &[PathBuf],
    mut failures: Vec<crate::import::ImportError>,
) -> anyhow::Result<i32> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in files {
        match crate::ingest::read_file(path, config.limits) {
            Ok(document) => {
                let extraction = importer.extract(&document);
                write_broken_pipe_ok(&mut out, crate::explain::render(&document, &extraction).as_bytes())?;
            }
            Err(error) => failures.push(error.into()),
        }
    }
    Ok(report_failures(&failures))
}

/// What the importer reads in each file of `paths`, and the files it could not read.
pub(super) fn read_documents(
    config: &Config,
    issued: Option<PartialDate>,
    paths: &[PathBuf],
) -> anyhow::Result<(Vec<crate::summary::Reading>, Vec<crate::import::ImportError>)> {
    let importer = importer(config, issued)?;
    let (files, mut failures) = collect_files(paths);
    let mut readings = Vec::new();
    for path in &files {
        match crate::ingest::read_file(path, config.limits) {
            Ok(document) => readings.push(importer.read(&document)),
            Err(error) => failures.push(error.into()),
        }
    }
    Ok((readings, failures))
}

/// Prints the failures; the exit code: 1 when there were any.
pub(super) fn report_failures(failures: &[crate::import::ImportError]) -> i32 {
    for failure in failures {
        eprintln!("error: {failure}");
    }
    i32::from(!failures.is_empty())
}
