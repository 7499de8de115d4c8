//! The command line: clap types and one function per verb. clap never leaves
//! this module; errors become `anyhow` here, at the binary's edge.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use oxigraph::model::NamedNode;

use crate::config::{BASE_ENV, Config, STORE_ENV};
use crate::import::{ImportReport, Importer, collect_files};
use crate::model::PartialDate;
use crate::reference::{BUNDLED_NEWSLETTERS, Reference};
use crate::sparql::{self, ResultFormat};
use crate::store::{ExportFormat, Store};
use crate::views::Views;

/// esam-kg: a linked-data knowledge graph of the eSam newsletters.
#[derive(Debug, Parser)]
#[command(name = "esam-kg", version, about)]
pub struct Cli {
    /// Store directory (default: $XDG_DATA_HOME/esam-kg/store or ~/.local/share/esam-kg/store).
    #[arg(long, global = true, env = STORE_ENV, value_name = "DIR")]
    store: Option<PathBuf>,
    /// Base IRI under which entity IRIs are minted.
    #[arg(long, global = true, env = BASE_ENV, value_name = "IRI")]
    base: Option<String>,
    /// Folder of curated view files (`*.rq`; default: $ESAM_KG_VIEWS, else ./queries).
    #[arg(long, global = true, value_name = "DIR")]
    views: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import newsletters (files or folders; `-` for standard input).
    Import {
        /// Issue date of the documents, when the text does not state it (YYYY-MM or YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM[-DD]", value_parser = parse_issued)]
        issued: Option<PartialDate>,
        /// Print, per section, what was found and the sentence it came from; store nothing.
        #[arg(long)]
        explain: bool,
        /// Largest accepted input file in bytes.
        #[arg(long, value_name = "BYTES")]
        max_bytes: Option<u64>,
        /// Files or folders.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Print what the importer reads in newsletters, by name, as JSON: organisations, people,
    /// groups, events and decisions (the shape of the careful readings `score` compares
    /// with); store nothing.
    Read {
        /// Issue date of the documents, when the text does not state it (YYYY-MM or YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM[-DD]", value_parser = parse_issued)]
        issued: Option<PartialDate>,
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Compare what the importer reads with careful readings (a folder of JSON files in the
    /// shape `read` prints, one per document, named by `doc`) and print precision, recall
    /// and F1 per kind of fact.
    Score {
        /// Folder of the careful readings.
        #[arg(long, value_name = "DIR")]
        gold: PathBuf,
        /// The scores as JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// The newsletters read (files or folders).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Run a SPARQL query and print the results.
    Query {
        /// Output format (default: json for SELECT/ASK, ttl for CONSTRUCT/DESCRIBE).
        #[arg(long, value_enum)]
        format: Option<QueryFormat>,
        /// Read the query from a file (`-` for standard input).
        #[arg(short = 'f', long = "file", value_name = "FILE", conflicts_with = "query")]
        file: Option<PathBuf>,
        /// The query.
        #[arg(required_unless_present = "file")]
        query: Option<String>,
    },
    /// Serve the SPARQL endpoint; an empty store first gets the bundled newsletters.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:7878", value_name = "ADDR")]
        bind: String,
        /// Time limit of one query, in seconds (a query running longer is stopped: 503).
        #[arg(long, default_value_t = 10, value_name = "SECONDS")]
        query_timeout: u64,
        /// Most result rows returned to one query (the response says when it cut).
        #[arg(long, default_value_t = 10_000, value_name = "ROWS")]
        max_rows: usize,
        /// Memory one query may hold while it is evaluated, in bytes, or with a unit (KiB, MiB,
        /// GiB); past it the query is stopped (507). 0: no budget.
        #[arg(long, default_value = "1GiB", value_name = "BYTES", value_parser = parse_bytes)]
        query_memory: u64,
        /// Allow writes (/update, Graph Store PUT/POST/DELETE, /import) with
        /// `Authorization: Bearer TOKEN`; without it the server is read-only.
        #[arg(long, env = "ESAM_KG_UPDATE_TOKEN", value_name = "TOKEN", hide_env_values = true)]
        update_token: Option<String>,
        /// Publisher of the dataset description (DCAT-AP-SE).
        #[arg(long, env = "ESAM_KG_PUBLISHER_NAME", value_name = "NAME")]
        publisher_name: Option<String>,
        /// The publisher's organisation number (ten digits; gives the portal's publisher IRI).
        #[arg(long, env = "ESAM_KG_PUBLISHER_ORGNR", value_name = "NNNNNN-NNNN")]
        publisher_orgnr: Option<String>,
        /// Contact e-mail of the dataset description.
        #[arg(long, env = "ESAM_KG_CONTACT_EMAIL", value_name = "ADDRESS")]
        contact_email: Option<String>,
        /// Licence of the data, as an IRI (default CC BY 4.0).
        #[arg(long, env = "ESAM_KG_LICENCE", value_name = "IRI")]
        licence: Option<String>,
        /// Request logs on standard error: one line of text or one JSON object per event
        /// (filter with RUST_LOG, default info).
        #[arg(long, value_enum, default_value = "text")]
        log_format: LogFormat,
        /// Do not keep answers by data version (to measure the query engine itself).
        #[arg(long)]
        no_cache: bool,
        /// Connections served on a thread of their own, evaluating their queries there; more
        /// share the async runtime's workers (0: all do)
        #[arg(long, value_name = "N", default_value_t = crate::server::CONNECTION_THREADS)]
        connection_threads: usize,
    },
    /// Run a curated view (a file in queries/) and print its result.
    View {
        /// The view's name (`esam-kg view --list` shows them).
        #[arg(required_unless_present = "list")]
        name: Option<String>,
        /// A parameter, as NAME=VALUE (repeatable).
        #[arg(long = "param", short = 'p', value_name = "NAME=VALUE", value_parser = parse_param)]
        params: Vec<(String, String)>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: ViewChoice,
        /// List the views and their parameters.
        #[arg(long, conflicts_with = "name")]
        list: bool,
    },
    /// Write the store (or one graph) as RDF to standard output.
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value = "nq")]
        format: ExportChoice,
        /// Only this named graph.
        #[arg(long, value_name = "IRI")]
        graph: Option<String>,
        /// The canonical dump the server publishes (RDFC-1.0 blank nodes, sorted statements;
        /// nq: every graph, ttl: their union), with its SHA-256 on standard error.
        #[arg(long, conflicts_with = "graph")]
        canonical: bool,
    },
    /// Counts of graphs, documents, triples and entities.
    Stats,
    /// Verify the store's invariants: the default graph is exactly the merge of the named
    /// graphs, every graph's `void:triples` is its size, every fact has its provenance.
    /// Exit status 1, with what is wrong, when one does not hold.
    Check,
    /// Write N synthetic newsletters (the bundled ones' sections recombined, with other dates,
    /// organisations and people; the same seed gives the same files), for benchmarks.
    Corpus {
        /// How many newsletters.
        #[arg(long)]
        count: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Folder to write them to (created if needed).
        #[arg(long)]
        out: PathBuf,
    },
    /// Copy every graph (documents, reference data, ontology) into another triple store with
    /// the SPARQL 1.1 Graph Store HTTP Protocol: one PUT per graph, so pushing again replaces.
    Push {
        /// The store's Graph Store endpoint, e.g. http://HOST:8890/sparql-graph-crud (Virtuoso)
        /// or http://HOST:7878/store (oxigraph serve, esam-kg serve).
        #[arg(long, value_name = "URL")]
        to: String,
        /// Sent as `Authorization: Bearer TOKEN`.
        #[arg(long, env = "ESAM_KG_PUSH_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// Retries of a graph after a failure that may pass (no connection, 5xx, 429).
        #[arg(long, default_value_t = 3)]
        retries: u32,
        /// Time limit of one request, in seconds.
        #[arg(long, default_value_t = 120)]
        timeout: u64,
        /// List what would be sent; send nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Checks on the reference data.
    Reference {
        #[command(subcommand)]
        command: ReferenceCommand,
    },
}

#[derive(Debug, Subcommand)]
enum ReferenceCommand {
    /// Names in these newsletters recognised only by a naming pattern, not by the reference
    /// list — candidates to add to it. Exit code 1 when there are any.
    Check {
        /// Files or folders (default: data/newsletters).
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum QueryFormat {
    Json,
    Csv,
    Tsv,
    Xml,
    Ttl,
    Nt,
    Jsonld,
    Rdfxml,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

/// A size in bytes: a number, optionally with KiB, MiB or GiB (also KB/MB/GB, read as the same).
fn parse_bytes(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size (say 1GiB, 512MiB or 1073741824)"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("unknown unit {other:?} (use KiB, MiB or GiB)")),
    };
    number
        .checked_mul(factor)
        .ok_or_else(|| format!("{text:?} is too large"))
}

/// Structured logs for the server: RUST_LOG filters (default `info`). Lines go to standard
/// error through a background thread (never dropped: a full queue makes the logger wait);
/// the returned guard writes what is queued when it is dropped.
fn init_logs(format: LogFormat) -> anyhow::Result<crate::server::logs::LogGuard> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let (writer, guard) =
        crate::server::logs::batched(std::io::stderr()).context("cannot start the thread that writes the logs")?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(writer);
    let _ = match format {
        LogFormat::Text => builder
            .event_format(crate::server::request_line::RequestLines::default())
            .try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    Ok(guard)
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ViewChoice {
    Table,
    Json,
    Csv,
    /// CSV for Swedish spreadsheets: `;` and a byte order mark.
    CsvSv,
    Srj,
    Html,
    Svg,
}

fn parse_param(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("{text:?} is not NAME=VALUE"))
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportChoice {
    Nq,
    Trig,
    Ttl,
}

fn parse_issued(text: &str) -> Result<PartialDate, String> {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str| s.parse::<u32>().ok();
    let date = match parts.as_slice() {
        [y, m] if y.len() == 4 && m.len() == 2 => number(y)
            .zip(number(m))
            .and_then(|(y, m)| PartialDate::ym(y as i32, m as u8)),
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => number(y)
            .zip(number(m))
            .zip(number(d))
            .and_then(|((y, m), d)| PartialDate::ymd(y as i32, m as u8, d as u8)),
        _ => None,
    };
    date.ok_or_else(|| format!("{text:?} is not a date of the form YYYY-MM or YYYY-MM-DD"))
}

/// Runs the command line; the exit code is 0 on success, 1 when some input failed.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    let max_bytes = match &cli.command {
        Command::Import { max_bytes, .. } => *max_bytes,
        _ => None,
    };
    let config = Config::new(cli.store, cli.base, max_bytes)?;
    match cli.command {
        Command::Import {
            issued, explain, paths, ..
        } => import(&config, issued, explain, &paths),
        Command::Read { issued, paths } => {
            let (readings, failures) = read_documents(&config, issued, &paths)?;
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            let mut json = serde_json::to_string_pretty(&readings)?;
            json.push('\n');
            write_broken_pipe_ok(&mut out, json.as_bytes())?;
            Ok(report_failures(&failures))
        }
        Command::Score { gold, json, paths } => {
            let gold = crate::summary::read_readings(&gold)?;
            let (readings, failures) = read_documents(&config, None, &paths)?;
            let scores = crate::score::score(&gold, &readings);
            if json {
                println!("{}", serde_json::to_string_pretty(&scores.to_json())?);
            } else {
                print!("{}", scores.table());
            }
            Ok(report_failures(&failures))
        }
        Command::Query { format, file, query } => {
            let text = match (file, query) {
                (Some(path), _) if path.as_os_str() == "-" => read_stdin()?,
                (Some(path), _) => std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read query file {}", path.display()))?,
                (None, Some(query)) => query,
                (None, None) => bail!("give a query or -f FILE"),
            };
            run_query(&config, &text, format)
        }
        Command::Serve {
            bind,
            query_timeout,
            max_rows,
            query_memory,
            update_token,
            log_format,
            publisher_name,
            publisher_orgnr,
            contact_email,
            licence,
            no_cache,
            connection_threads,
        } => {
            let _logs = init_logs(log_format)?;
            let defaults = crate::linked::dataset::Publication::default();
            if let Some(orgnr) = &publisher_orgnr
                && orgnr.chars().filter(char::is_ascii_digit).count() != 10
            {
                bail!("--publisher-orgnr {orgnr:?} is not a ten-digit organisation number");
            }
            if let Some(licence) = &licence {
                NamedNode::new(licence).with_context(|| format!("--licence {licence:?} is not an IRI"))?;
            }
            let publication = crate::linked::dataset::Publication {
                publisher_name: publisher_name.unwrap_or(defaults.publisher_name),
                publisher_orgnr: publisher_orgnr.map(|n| n.chars().filter(char::is_ascii_digit).collect()),
                contact_email: contact_email.unwrap_or(defaults.contact_email),
                licence: licence.unwrap_or(defaults.licence),
            };
            let placeholders = publication.placeholders();
            if !placeholders.is_empty() {
                tracing::warn!(
                    "the dataset description (/dataset) has placeholder values; set {}",
                    placeholders.join(", ")
                );
            }
            let policy = crate::sparql::QueryPolicy {
                time_limit: std::time::Duration::from_secs(query_timeout.max(1)),
                max_rows: Some(max_rows),
                memory_limit: (query_memory > 0).then_some(query_memory),
            };
            if update_token.as_deref().is_some_and(|t| t.trim().len() < 16) {
                bail!("--update-token must be at least 16 characters");
            }
            serve(
                &config,
                &bind,
                policy,
                &views_dir(cli.views),
                update_token,
                publication,
                Tuning {
                    cache: !no_cache,
                    connection_threads,
                },
            )
        }
        Command::View {
            name,
            params,
            format,
            list,
        } => {
            let views = Views::load(&views_dir(cli.views))?;
            match name {
                Some(name) if !list => run_view(&config, &views, &name, &params, format),
                _ => list_views(&views),
            }
        }
        Command::Export {
            format,
            graph,
            canonical: true,
        } => export_canonical(&config, format, graph.as_deref()),
        Command::Export { format, graph, .. } => export(&config, format, graph.as_deref()),
        Command::Stats => stats(&config),
        Command::Check => check(&config),
        Command::Corpus { count, seed, out } => corpus(&config, count, seed, &out),
        Command::Push {
            to,
            token,
            retries,
            timeout,
            dry_run,
        } => {
            let mut target = crate::push::Target::new(&to)?;
            target.token = token;
            target.retries = retries;
            target.timeout = std::time::Duration::from_secs(timeout.max(1));
            push(&config, &target, dry_run)
        }
        Command::Reference {
            command: ReferenceCommand::Check { paths },
        } => reference_check(&config, &paths),
    }
}

fn read_stdin() -> anyhow::Result<String> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("cannot read standard input")?;
    Ok(text)
}

fn importer(config: &Config, issued: Option<PartialDate>) -> anyhow::Result<Importer> {
    let reference = Reference::load(&config.ids)?;
    Ok(Importer::new(config.ids.clone(), reference, config.limits, issued).with_suppressed(suppressed()?))
}

/// The suppression list: the file `$ESAM_KG_SUPPRESS` names, else the bundled one.
fn suppressed() -> anyhow::Result<Vec<String>> {
    let text = match std::env::var_os("ESAM_KG_SUPPRESS") {
        Some(path) => std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read the suppression list {}", PathBuf::from(&path).display()))?,
        None => crate::reference::SUPPRESSED_PEOPLE.to_string(),
    };
    Ok(crate::extract::suppress::parse_list(&text))
}

fn import(config: &Config, issued: Option<PartialDate>, explain: bool, paths: &[PathBuf]) -> anyhow::Result<i32> {
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
fn document_lines(document: &crate::import::DocumentReport) -> String {
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

fn print_summary(report: &ImportReport, store: &Store) {
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

fn explain_files(
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
fn read_documents(
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
fn report_failures(failures: &[crate::import::ImportError]) -> i32 {
    for failure in failures {
        eprintln!("error: {failure}");
    }
    i32::from(!failures.is_empty())
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
fn write_broken_pipe_ok(out: &mut impl Write, bytes: &[u8]) -> anyhow::Result<()> {
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => Ok(other?),
    }
}

fn run_query(config: &Config, text: &str, format: Option<QueryFormat>) -> anyhow::Result<i32> {
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

fn reference_check(config: &Config, paths: &[PathBuf]) -> anyhow::Result<i32> {
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

fn views_dir(given: Option<PathBuf>) -> PathBuf {
    given.unwrap_or_else(crate::views::default_dir)
}

fn run_view(
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

fn list_views(views: &Views) -> anyhow::Result<i32> {
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

/// How `serve` trades memory and threads for speed.
struct Tuning {
    cache: bool,
    connection_threads: usize,
}

fn serve(
    config: &Config,
    bind: &str,
    policy: crate::sparql::QueryPolicy,
    views_dir: &std::path::Path,
    update_token: Option<String>,
    publication: crate::linked::dataset::Publication,
    tuning: Tuning,
) -> anyhow::Result<i32> {
    let views = Views::load(views_dir)?;
    let store = Store::open(&config.store_dir)?;
    let importer = importer(config, None)?;
    importer.store_reference(&store)?;
    if !importer.store_has_documents(&store)? {
        eprintln!(
            "empty store: importing the bundled newsletters into {}",
            store.path().display()
        );
        for (name, bytes) in BUNDLED_NEWSLETTERS {
            importer.import_bytes(&store, name, bytes)?;
        }
        store.flush()?;
    }
    // Work that falls to the runtime's threads (the blocking pool) may parse and evaluate
    // queries too: the same stack as the query threads.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(crate::sparql::nesting::QUERY_STACK_BYTES)
        .build()
        .context("cannot start the async runtime")?;
    let settings = crate::server::Settings {
        update_token,
        importer: Some(importer),
        publication,
        suppressed: suppressed()?,
        cache: tuning.cache,
        connection_threads: tuning.connection_threads,
        ..crate::server::Settings::new(policy, views)
    };
    let serving = store.clone();
    runtime.block_on(crate::server::serve(serving, config.ids.clone(), settings, bind))?;
    // Whatever still runs on the runtime's threads (a connection past the grace period) is
    // left behind rather than waited for: the process is ending.
    runtime.shutdown_background();
    store.flush()?;
    Ok(0)
}

fn export_canonical(config: &Config, format: ExportChoice, graph: Option<&str>) -> anyhow::Result<i32> {
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

fn export(config: &Config, format: ExportChoice, graph: Option<&str>) -> anyhow::Result<i32> {
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

fn corpus(config: &Config, count: usize, seed: u64, out: &std::path::Path) -> anyhow::Result<i32> {
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

fn push(config: &Config, target: &crate::push::Target, dry_run: bool) -> anyhow::Result<i32> {
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

fn check(config: &Config) -> anyhow::Result<i32> {
    let store = Store::open_read_only(&config.store_dir)?;
    let report = crate::check::check(&store)?;
    let mut out = String::new();
    for problem in &report.problems {
        out.push_str(&format!("{problem}\n"));
    }
    let [not_stated, not_merged, wrong_size, no_provenance] = report.counts;
    out.push_str(&format!(
        "{}: {} graphs, {} facts checked; {not_stated} triples of the default graph no graph states, {not_merged} stated triples missing from it, {wrong_size} graphs of the wrong size, {no_provenance} missing pieces of provenance\n",
        if report.is_sound() { "sound" } else { "NOT SOUND" },
        report.graphs,
        report.facts,
    ));
    write_broken_pipe_ok(&mut std::io::stdout().lock(), out.as_bytes())?;
    Ok(if report.is_sound() { 0 } else { 1 })
}

fn stats(config: &Config) -> anyhow::Result<i32> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_dates_are_validated() {
        assert_eq!(parse_issued("2021-12"), Ok(PartialDate::ym(2021, 12).unwrap()));
        assert_eq!(parse_issued("2021-12-01"), Ok(PartialDate::ymd(2021, 12, 1).unwrap()));
        assert!(parse_issued("2021-13").is_err());
        assert!(parse_issued("december").is_err());
    }

    #[test]
    fn command_line_verbs_parse() {
        Cli::try_parse_from([
            "esam-kg", "import", "--store", "S", "--issued", "2021-12", "a.txt", "b/",
        ])
        .unwrap();
        Cli::try_parse_from(["esam-kg", "query", "--store", "S", "--format", "csv", "SELECT * {}"]).unwrap();
        Cli::try_parse_from(["esam-kg", "query", "-f", "q.rq"]).unwrap();
        Cli::try_parse_from(["esam-kg", "serve", "--bind", "0.0.0.0:80"]).unwrap();
        Cli::try_parse_from(["esam-kg", "export", "--format", "trig", "--graph", "http://x/g"]).unwrap();
        Cli::try_parse_from(["esam-kg", "stats"]).unwrap();
        Cli::try_parse_from(["esam-kg", "push", "--to", "http://h/gsp", "--dry-run", "--retries", "1"]).unwrap();
        assert!(Cli::try_parse_from(["esam-kg", "push"]).is_err());
        assert!(Cli::try_parse_from(["esam-kg", "import"]).is_err());
    }
}
