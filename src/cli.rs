//! The command line: clap types and one function per verb. clap never leaves
//! this module; errors become `anyhow` here, at the binary's edge.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use oxigraph::model::NamedNode;

use crate::config::{BASE_ENV, Config, STORE_ENV};
use crate::model::PartialDate;
use crate::views::Views;

mod import;
mod serve;
mod verbs;

use import::{import, read_documents, read_stdin, report_failures};
use serve::{Tuning, init_logs, serve};
use verbs::{
    check, corpus, export, export_canonical, list_views, push, reference_check, run_query, run_view, stats, views_dir,
};

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
        /// SPARQL queries one client address may have running at once (default: a quarter of
        /// the query slots). 0: no share per address — behind a reverse proxy, where every
        /// request comes from the proxy's address, or for a load test from one machine.
        #[arg(long, value_name = "N")]
        queries_per_client: Option<usize>,
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
            queries_per_client,
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
                    queries_per_client,
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

/// Writes to standard output; a closed pipe (`| head`) is not an error.
fn write_broken_pipe_ok(out: &mut impl Write, bytes: &[u8]) -> anyhow::Result<()> {
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => Ok(other?),
    }
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
