//! The verbs that read the store: `query`, `view` (and the list of views), `export`, `stats`,
//! `check`, `reference check`, `corpus` and `push`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use oxigraph::model::NamedNode;

use crate::config::Config;
use crate::import::collect_files;
use crate::reference::Reference;
use crate::sparql::{self, ResultFormat};
use crate::store::{ExportFormat, Store};
use crate::views::Views;

use super::import::importer;
use super::{ExportChoice, QueryFormat, ViewChoice, write_broken_pipe_ok};

pub(super) fn run_query(config: &Config, text: &str, format: Option<QueryFormat>) -> anyhow::Result<i32> {
    let store = Store::open_read_only(&config.store_dir)?;
    let format = format.map(|f| {
        let name = match f {
            QueryFormat::Json => "json",
            QueryFormat::Csv => "csv",
            QueryFormat::Tsv => "tsv",
            QueryFormat::Xml => "xml",
            QueryFormat::Ttl => "ttl",
            QueryFormat::Nt => "nt",
            QueryFormat::Jsonld => "jsonld",
            QueryFormat::Rdfxml => "rdfxml",
        };
        ResultFormat::from_name(name)
    });
    let mut buffer = Vec::new();
    sparql::run(&store, text, format.flatten(), &mut buffer)?;
    write_broken_pipe_ok(&mut std::io::stdout().lock(), &buffer)?;
    Ok(0)
}

pub(super) fn reference_check(config: &Config, paths: &[PathBuf]) -> anyhow::Result<i32> {
    let importer = importer(config, None)?;
    let paths = if paths.is_empty() {
        vec![PathBuf::from("data/newsletters")]
    } else {
        paths.to_vec()
    };
    let (files, failures) = collect_files(&paths);
    for failure in &failures {
        eprintln!("error: {failure}");
    }
    let mut unlisted: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    for file in &files {
        let document = crate::ingest::read_file(file, config.limits)?;
        let extraction = importer.extract(&document);
        for organisation in extraction.organisations.values() {
            if organisation.recognition == crate::model::Recognition::Pattern {
                unlisted
                    .entry(organisation.name.clone())
                    .or_default()
                    .push(document.source.clone());
            }
        }
    }
    let mut out = std::io::stdout().lock();
    for (name, sources) in &unlisted {
        writeln!(out, "{name}\t(by pattern in {})", sources.join(", "))?;
    }
    writeln!(
        out,
        "{} name(s) recognised only by pattern in {} file(s)",
        unlisted.len(),
        files.len()
    )?;
    Ok(i32::from(!unlisted.is_empty() || !failures.is_empty()))
}

pub(super) fn views_dir(given: Option<PathBuf>) -> PathBuf {
    given.unwrap_or_else(crate::views::default_dir)
}

pub(super) fn run_view(
    config: &Config,
    views: &Views,
    name: &str,
    params: &[(String, String)],
    format: ViewChoice,
) -> anyhow::Result<i32> {
    use crate::views::render::{self, CsvDialect};
    let store = Store::open_read_only(&config.store_dir)?;
    let view = views.get(name)?;
    let bound = crate::views::params::bind(
        &store,
        view,
        params,
        &crate::views::params::today(),
        crate::views::params::MAX_PAGE,
    )?;
    let table = crate::views::run(&store, view, &bound, sparql::QueryPolicy::LOCAL)?;
    let output = match format {
        ViewChoice::Table => render::text(&table),
        ViewChoice::Json => render::json(view, &table),
        ViewChoice::Csv => render::csv(&table, CsvDialect::Standard),
        ViewChoice::CsvSv => render::csv(&table, CsvDialect::Swedish),
        ViewChoice::Srj => render::sparql_json(&table)?,
        ViewChoice::Html => render::html(view, &table, &bound, params, crate::html::Lang::Sv),
        ViewChoice::Svg => crate::views::svg::draw(view, &table)?.into_bytes(),
    };
    std::io::stdout().lock().write_all(&output)?;
    Ok(0)
}

pub(super) fn list_views(views: &Views) -> anyhow::Result<i32> {
    let mut out = std::io::stdout().lock();
    for view in views.iter() {
        writeln!(out, "{:<20} {}", view.name, view.title)?;
        for param in &view.params {
            writeln!(
                out,
                "    --param {}=<{}>{}  {}",
                param.name,
                param.kind.name(),
                if param.required { " (required)" } else { "" },
                param.description
            )?;
        }
    }
    Ok(0)
}

pub(super) fn export_canonical(config: &Config, format: ExportChoice, graph: Option<&str>) -> anyhow::Result<i32> {
    if graph.is_some() {
        bail!("--canonical dumps the whole store; leave out --graph");
    }
    let store = Store::open_read_only(&config.store_dir)?;
    let dump = crate::dump::canonical(&store)?;
    let bytes = match format {
        ExportChoice::Nq => dump.nquads,
        ExportChoice::Ttl => dump.turtle,
        ExportChoice::Trig => bail!("--canonical writes nq (every graph) or ttl (their union), not trig"),
    };
    std::io::stdout().lock().write_all(&bytes)?;
    eprintln!("sha256 {}", crate::dump::sha256_hex(&bytes));
    Ok(0)
}

pub(super) fn export(config: &Config, format: ExportChoice, graph: Option<&str>) -> anyhow::Result<i32> {
    let store = Store::open_read_only(&config.store_dir)?;
    let graph = graph
        .map(NamedNode::new)
        .transpose()
        .context("--graph is not a valid IRI")?;
    let format = match format {
        ExportChoice::Nq => ExportFormat::NQuads,
        ExportChoice::Trig => ExportFormat::TriG,
        ExportChoice::Ttl => ExportFormat::Turtle,
    };
    let mut buffer = Vec::new();
    store.export(format, graph.as_ref(), &mut buffer)?;
    write_broken_pipe_ok(&mut std::io::stdout().lock(), &buffer)?;
    Ok(0)
}

pub(super) fn corpus(config: &Config, count: usize, seed: u64, out: &std::path::Path) -> anyhow::Result<i32> {
    let reference = Reference::load(&config.ids)?;
    let material = crate::corpus::Material::bundled(&reference.lexicon);
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut bytes = 0;
    for n in 0..count {
        let (name, text) = material.newsletter(seed, n);
        bytes += text.len();
        std::fs::write(out.join(&name), text).with_context(|| format!("cannot write {name}"))?;
    }
    println!("wrote {count} newsletters ({bytes} bytes) to {}", out.display());
    Ok(0)
}

pub(super) fn push(config: &Config, target: &crate::push::Target, dry_run: bool) -> anyhow::Result<i32> {
    use crate::push::Outcome;
    let store = Store::open_read_only(&config.store_dir)?;
    let report = crate::push::push(&store, target, dry_run, |graph| {
        let outcome = match &graph.outcome {
            Outcome::NotSent => "would send".to_string(),
            Outcome::Stored { status, attempts: 1 } => format!("stored ({status})"),
            Outcome::Stored { status, attempts } => format!("stored ({status}) after {attempts} attempts"),
            Outcome::Failed { reason, attempts } => format!("FAILED after {attempts} attempts: {reason}"),
        };
        println!(
            "{}: {} triples, {} bytes: {outcome}",
            graph.graph, graph.triples, graph.bytes
        );
    })?;
    let failed = report
        .iter()
        .filter(|g| matches!(g.outcome, Outcome::Failed { .. }))
        .count();
    let triples: usize = report.iter().map(|g| g.triples).sum();
    println!(
        "{} {} graphs ({triples} triples) to {}{}",
        if dry_run { "would push" } else { "pushed" },
        report.len() - failed,
        target.url,
        if failed > 0 {
            format!("; {failed} failed")
        } else {
            String::new()
        }
    );
    Ok(if failed > 0 { 1 } else { 0 })
}

pub(super) fn check(config: &Config) -> anyhow::Result<i32> {
    let store = Store::open_read_only(&config.store_dir)?;
    let report = crate::check::check(&store)?;
    let mut out = String::new();
    for problem in &report.problems {
        out.push_str(&format!("{problem}\n"));
    }
    let crate::check::Counts {
        not_stated,
        not_merged,
        wrong_size,
        no_provenance,
    } = report.counts;
    out.push_str(&format!(
        "{}: {} graphs, {} facts checked; {not_stated} triples of the default graph no graph states, {not_merged} stated triples missing from it, {wrong_size} graphs of the wrong size, {no_provenance} missing pieces of provenance\n",
        if report.is_sound() { "sound" } else { "NOT SOUND" },
        report.graphs,
        report.facts,
    ));
    write_broken_pipe_ok(&mut std::io::stdout().lock(), out.as_bytes())?;
    Ok(if report.is_sound() { 0 } else { 1 })
}

pub(super) fn stats(config: &Config) -> anyhow::Result<i32> {
    let store = Store::open_read_only(&config.store_dir)?;
    let mut out = format!(
        "store: {}\nquads: {}\ngraphs: {}\n",
        store.path().display(),
        store.len()?,
        store.graphs()?.len()
    );
    for (label, query) in crate::stats::COUNTS {
        out.push_str(&format!("{label}: {}\n", sparql::count(&store, query)?));
    }
    write_broken_pipe_ok(&mut std::io::stdout().lock(), out.as_bytes())?;
    Ok(0)
}
