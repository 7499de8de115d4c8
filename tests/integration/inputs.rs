//! The catalogue of bad and odd input, through the command line as an operator meets it: each
//! kind is imported into a store that already holds both bundled newsletters, and gives either
//! a clear error naming the file and the problem — with the store exactly as before — or a
//! documented result (what TESTING.md's table says). One test per kind.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::{esam_kg, newsletters, stderr, stdout};

/// A store holding the two bundled newsletters, and a folder for the inputs.
struct Case {
    dir: temp_dir::TempDir,
    store: PathBuf,
}

impl Case {
    fn new() -> Self {
        let dir = temp_dir::TempDir::new().unwrap();
        let store = dir.path().join("store");
        let mut args = vec!["import".to_string(), "--store".into(), store.display().to_string()];
        args.extend(newsletters().iter().map(|p| p.display().to_string()));
        let output = esam_kg(&args.iter().map(String::as_str).collect::<Vec<_>>(), &store);
        assert!(output.status.success(), "{}", stderr(&output));
        Self { dir, store }
    }

    /// A file in the input folder.
    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn import(&self, paths: &[&Path], extra: &[&str]) -> Output {
        let mut args = vec!["import".to_string(), "--store".into(), self.store.display().to_string()];
        args.extend(extra.iter().map(|a| a.to_string()));
        args.extend(paths.iter().map(|p| p.display().to_string()));
        esam_kg(&args.iter().map(String::as_str).collect::<Vec<_>>(), &self.store)
    }

    /// Every quad of the store, sorted (the change log lives outside the RDF).
    fn export(&self) -> Vec<u8> {
        let output = esam_kg(
            &["export", "--store", self.store.to_str().unwrap(), "--format", "nq"],
            &self.store,
        );
        assert!(output.status.success(), "{}", stderr(&output));
        output.stdout
    }

    /// Whether the newsletter `id` mentions the organisation `key`.
    fn mentions(&self, id: &str, key: &str) -> bool {
        self.ask(&format!(
            "ASK {{ GRAPH <{}> {{ ?m esam:mentionOf <http://127.0.0.1:7878/id/org/{key}> }} }}",
            graph_of(id)
        ))
    }

    fn ask(&self, query: &str) -> bool {
        let output = esam_kg(&["query", "--store", self.store.to_str().unwrap(), query], &self.store);
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output).contains("true")
    }

    /// Imports `path`, expects exit 1 with an error naming the file and `problem`, and the
    /// store unchanged.
    fn refused(&self, path: &Path, extra: &[&str], problem: &str) {
        let before = self.export();
        let output = self.import(&[path], extra);
        let errors = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{errors}\n{}", stdout(&output));
        let name = path.file_name().unwrap().to_string_lossy();
        let line = errors
            .lines()
            .find(|l| l.starts_with("error:") && l.contains(name.as_ref()))
            .unwrap_or_else(|| panic!("no error naming {name}: {errors}"));
        assert!(line.contains(problem), "{line:?} does not say {problem:?}");
        assert!(
            before == self.export(),
            "{name}: the store changed although the import failed"
        );
    }

    /// Imports `path`, expects success, and returns the summary printed.
    fn accepted(&self, path: &Path) -> String {
        let output = self.import(&[path], &[]);
        assert!(output.status.success(), "{}\n{}", stderr(&output), stdout(&output));
        stdout(&output)
    }
}

/// A short news item in eSam's style, naming organisations, a project and a date.
const ITEM: &str = "Nyhetsbrev från eSam, mars 2024\n\nNytt samarbete\n\nProjektet Gemensamma \
    tjänster är ett samarbete mellan Försäkringskassan, Skatteverket och Bolagsverket. Den 12 mars \
    hölls ett temamöte med ca 40 deltagare.\n";

fn graph_of(name: &str) -> String {
    format!("http://127.0.0.1:7878/id/newsletter/{name}")
}

#[test]
fn an_empty_file_is_refused() {
    let case = Case::new();
    case.refused(&case.file("tom.txt", ""), &[], "contains no text");
}

#[test]
fn a_file_of_whitespace_only_is_refused() {
    let case = Case::new();
    case.refused(&case.file("blank.txt", " \n\t\r\n   \n"), &[], "contains no text");
}

#[test]
fn binary_files_are_refused_with_their_kind() {
    let case = Case::new();
    case.refused(
        &case.file("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
        &[],
        "PDF",
    );
    case.refused(
        &case.file("picture.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0"),
        &[],
        "PNG",
    );
    case.refused(
        &case.file("archive.md", b"PK\x03\x04\x14\0\0\0\x08\0"),
        &[],
        "zip archive",
    );
}

#[test]
fn invalid_utf8_is_refused_with_the_offset() {
    let case = Case::new();
    // 0x81 and 0x8D are undefined in Windows-1252 too.
    let mut bytes = b"Skatteverket deltar i projektet. ".to_vec();
    bytes.extend_from_slice(&[0xC3, 0x28, 0x81, 0x8D]);
    case.refused(&case.file("trasig.txt", bytes), &[], "offset 33");
}

#[test]
fn windows_1252_and_utf16_are_decoded_and_the_same_text_is_one_newsletter() {
    let case = Case::new();
    let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(ITEM);
    let summary = case.accepted(&case.file("esam-nyhetsbrev-2024-03.txt", latin.as_ref()));
    assert!(summary.contains("issued 2024-03"), "{summary}");
    assert!(case.mentions("2024-03", "forsakringskassan"));
    // The same text in UTF-16 under another name is the same newsletter: refused, named.
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(ITEM.encode_utf16().flat_map(u16::to_le_bytes));
    case.refused(
        &case.file("kopia-utf16.txt", utf16),
        &[],
        "the same newsletter is already imported as http://127.0.0.1:7878/id/newsletter/2024-03",
    );
}

#[test]
fn the_same_newsletter_under_two_names_is_imported_once() {
    let case = Case::new();
    let copy = case.file("nyhetsbrev-december.txt", std::fs::read(&newsletters()[0]).unwrap());
    case.refused(
        &copy,
        &[],
        "already imported as http://127.0.0.1:7878/id/newsletter/2021-12",
    );
    // Re-importing under its own name replaces it, as always.
    assert!(case.import(&[&newsletters()[0]], &[]).status.success());
}

#[test]
fn a_file_over_the_size_limit_is_refused_and_the_limit_is_configurable() {
    let case = Case::new();
    let big = case.dir.path().join("stor.txt");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap(); // sparse: 50 MB without writing them
    case.refused(&big, &[], "larger than the limit of 10485760 bytes");
    let item = case.file("esam-nyhetsbrev-2024-03.txt", ITEM);
    case.refused(&item, &["--max-bytes", "100"], "larger than the limit of 100 bytes");
}

#[test]
fn extremely_long_lines_are_read() {
    let case = Case::new();
    // One line of two megabytes: the item's sentences over and over, no line break.
    let sentence = "Projektet Gemensamma tjänster är ett samarbete mellan Försäkringskassan och Skatteverket. ";
    let line = format!(
        "Nyhetsbrev från eSam, mars 2024 {}",
        sentence.repeat(2_000_000 / sentence.len())
    );
    let summary = case.accepted(&case.file("esam-nyhetsbrev-2024-03.txt", line));
    assert!(summary.contains("esam-nyhetsbrev-2024-03.txt"), "{summary}");
    assert!(case.mentions("2024-03", "skatteverket"));
}

#[test]
fn deeply_nested_and_unclosed_html_keeps_its_text() {
    let case = Case::new();
    let deep = format!(
        "<html><body>{}<h1>Nyhetsbrev från eSam, mars 2024</h1><p>Projektet Gemensamma tjänster är ett \
         samarbete mellan Försäkringskassan, Skatteverket och Bolagsverket.{}",
        "<div><span>".repeat(10_000),
        "</div>".repeat(7)
    );
    case.accepted(&case.file("esam-nyhetsbrev-2024-03.html", deep));
    assert!(case.mentions("2024-03", "bolagsverket"));
}

#[test]
fn scripts_styles_and_iframes_are_not_read() {
    let case = Case::new();
    let page = "<html><head><style>.x{content:'Kronofogden'}</style><script>var a = 'Tullverket';</script></head>\
        <body><nav><a href='/'>Lantmäteriet</a></nav><h1>Nyhetsbrev från eSam, mars 2024</h1>\
        <p>Projektet Gemensamma tjänster är ett samarbete mellan Försäkringskassan och Skatteverket.</p>\
        <iframe srcdoc='Polismyndigheten'></iframe><noscript>Boverket</noscript>\
        <p><a href='https://example.org'>Länk till annan webbplats</a></p></body></html>";
    case.accepted(&case.file("esam-nyhetsbrev-2024-03.html", page));
    for absent in [
        "kronofogdemyndigheten",
        "tullverket",
        "lantmateriet",
        "polismyndigheten",
        "boverket",
    ] {
        assert!(
            !case.mentions("2024-03", absent),
            "{absent} was read from markup that is not text"
        );
    }
}

#[test]
fn a_markdown_file_full_of_links_keeps_the_link_text_and_not_the_addresses() {
    let case = Case::new();
    let mut text = String::from("# Nyhetsbrev från eSam, mars 2024\n\n");
    for n in 0..2_000 {
        text.push_str(&format!(
            "- [Läs mer om projekt {n}](https://www.skatteverket.se/x/{n}?a=Bolagsverket) <https://kronofogden.se/{n}>\n"
        ));
    }
    text.push_str("\nProjektet Gemensamma tjänster är ett samarbete mellan [Försäkringskassan](https://fk.se) och Skatteverket.\n");
    case.accepted(&case.file("esam-nyhetsbrev-2024-03.md", text));
    assert!(case.mentions("2024-03", "forsakringskassan"));
    assert!(!case.mentions("2024-03", "bolagsverket"));
}

#[test]
fn a_newsletter_without_a_date_is_imported_with_a_note() {
    let case = Case::new();
    let item =
        "Nytt samarbete\n\nProjektet Gemensamma tjänster är ett samarbete mellan Försäkringskassan och Skatteverket.\n";
    let summary = case.accepted(&case.file("utan-datum.txt", item));
    assert!(
        summary.contains("issued unknown") && summary.contains("no issue date"),
        "{summary}"
    );
}

#[test]
fn conflicting_dates_keep_the_date_line_and_say_so() {
    let case = Case::new();
    let item = "Nyhetsbrev från eSam\n\nMars 2024\n\nKalendarium\n\n- 3 oktober, temamöte\n- 10 oktober, \
        nätverksmöte\n- 24 oktober, utbildning\n\nDen 17 oktober 2019 hölls ett möte med Skatteverket.\n";
    let summary = case.accepted(&case.file("esam-nyhetsbrev-2024-03.txt", item));
    assert!(summary.contains("issued 2024-03"), "{summary}");
    assert!(
        summary.contains("the date line says 2024-03 but the dates in the text point to"),
        "{summary}"
    );
}

#[test]
fn text_in_another_language_is_imported_with_a_note_and_its_language() {
    let case = Case::new();
    let item = "eSam newsletter, March 2024\n\nNew collaboration\n\nThe project Common services is a \
        collaboration between the Swedish Social Insurance Agency and the Swedish Tax Agency. It will \
        continue in the spring, and the steering group has decided that the work is led by the \
        secretariat, which reports to the members of the programme on the results of the study.\n";
    let summary = case.accepted(&case.file("esam-newsletter-2024-03.txt", item));
    assert!(
        summary.contains("does not look Swedish") && summary.contains("looks English"),
        "{summary}"
    );
    assert!(case.ask(
        "ASK { GRAPH ?g { ?d a esam:Newsletter ; dcterms:source 'esam-newsletter-2024-03.txt' ; dcterms:language 'en' } }"
    ));
}

#[test]
fn a_folder_of_good_and_bad_files_imports_the_good_and_names_the_bad() {
    let case = Case::new();
    let folder = case.dir.path().join("inkorg");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("esam-nyhetsbrev-2024-03.txt"), ITEM).unwrap();
    std::fs::write(folder.join("bild.html"), b"\x89PNG\r\n\x1a\n\0\0").unwrap();
    std::fs::write(folder.join("tom.md"), "").unwrap();
    std::fs::write(folder.join("anteckning.docx"), "ignored: not a newsletter extension").unwrap();
    let output = case.import(&[&folder], &[]);
    let errors = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{errors}");
    assert!(errors.contains("bild.html") && errors.contains("PNG"), "{errors}");
    assert!(errors.contains("tom.md") && errors.contains("no text"), "{errors}");
    assert!(!errors.contains("anteckning.docx"), "{errors}");
    assert!(stdout(&output).contains("1 documents"), "{}", stdout(&output));
    assert!(case.ask(&format!("ASK {{ GRAPH <{}> {{ ?s ?p ?o }} }}", graph_of("2024-03"))));
}

#[cfg(unix)]
#[test]
fn symlink_loops_end_and_are_named() {
    let case = Case::new();
    let folder = case.dir.path().join("loop");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("esam-nyhetsbrev-2024-03.txt"), ITEM).unwrap();
    std::os::unix::fs::symlink(&folder, folder.join("again")).unwrap(); // a folder inside itself
    std::os::unix::fs::symlink(folder.join("self.txt"), folder.join("self.txt")).unwrap(); // a link to itself
    let output = case.import(&[&folder], &[]);
    let errors = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{errors}");
    assert!(errors.contains("self.txt: cannot read"), "{errors}");
    assert!(stdout(&output).contains("1 documents"), "{}", stdout(&output));
}

#[test]
fn a_path_that_does_not_exist_is_named() {
    let case = Case::new();
    let missing = case.dir.path().join("finns-inte.txt");
    case.refused(&missing, &[], "cannot read");
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let case = Case::new();
    let locked = case.file("last.txt", ITEM);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        // As root permissions do not stop reading (and a FIFO nobody writes to would block):
        // a dangling symbolic link is a file that cannot be read either.
        std::fs::remove_file(&locked).unwrap();
        std::os::unix::fs::symlink(case.dir.path().join("gone.txt"), &locked).unwrap();
    }
    case.refused(&locked, &[], "cannot read");
}

/// A file replaced over and over while the import reads it is either read whole (one version)
/// or refused by name as changed — never imported half old, half new. The writer replaces the
/// file as editors and mail clients save (a new file renamed over the old): a writer that
/// rewrites in place and stalls mid-write leaves a short file that stays still, which no reader
/// can tell from a file that is short (TESTING.md).
#[test]
fn a_file_that_changes_while_it_is_read_is_never_imported_half_written() {
    let case = Case::new();
    let path = case.file("esam-nyhetsbrev-2024-03.txt", ITEM);
    let versions: Vec<String> = (0..2)
        .map(|v| format!("{ITEM}{}", format!("Tillägg {v}. ").repeat(200_000)))
        .collect();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (path, versions, stop) = (path.clone(), versions.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut n = 0;
            let next = path.with_extension("txt.new");
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                std::fs::write(&next, &versions[n % 2]).unwrap();
                std::fs::rename(&next, &path).unwrap();
                n += 1;
            }
        })
    };
    let mut changed = 0;
    for _ in 0..5 {
        let output = case.import(&[&path], &[]);
        if !output.status.success() {
            let errors = stderr(&output);
            assert!(
                errors.contains("esam-nyhetsbrev-2024-03.txt")
                    && (errors.contains("changed while it was being read") || errors.contains("contains no text")),
                "{errors}"
            );
            changed += 1;
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    // Whatever was stored is one whole version — the file as first written, or one of the two
    // the writer alternates — digested as the importer digests it (the decoded text).
    let digests: Vec<String> = std::iter::once(ITEM.to_string())
        .chain(versions.iter().cloned())
        .map(|version| {
            let document = esam_kg::ingest::parse_bytes(
                "esam-nyhetsbrev-2024-03.txt",
                version.as_bytes(),
                esam_kg::ingest::IngestLimits::default(),
            )
            .unwrap();
            esam_kg::dump::sha256_hex(document.text.as_bytes())
        })
        .collect();
    let stored = esam_kg(
        &[
            "query",
            "--store",
            case.store.to_str().unwrap(),
            "--format",
            "tsv",
            &format!(
                "SELECT ?d WHERE {{ GRAPH <{}> {{ ?doc esam:textDigest ?d }} }}",
                graph_of("2024-03")
            ),
        ],
        &case.store,
    );
    let stored = stdout(&stored);
    if let Some(digest) = stored.lines().nth(1) {
        let digest = digest.trim_matches('"');
        assert!(
            digests.iter().any(|d| d == digest),
            "stored text is neither version: {digest}"
        );
    }
    eprintln!("{changed} of 5 imports saw the file change");
}

/// Runs `esam-kg import` into the case's store, polling the child's peak resident memory
/// (VmHWM) until it ends; gives up (and fails) after `limit`.
#[cfg(target_os = "linux")]
fn import_measured(case: &Case, paths: &[&Path], limit: std::time::Duration) -> (Output, u64) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_esam-kg"));
    command
        .args(["import", "--store", case.store.to_str().unwrap()])
        .args(paths)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let started = std::time::Instant::now();
    let mut peak_kib = 0;
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            panic!("the import did not end within {limit:?}");
        }
        let status = std::fs::read_to_string(&status_file).unwrap_or_default();
        if let Some(kib) = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak_kib = peak_kib.max(kib);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    (child.wait_with_output().unwrap(), peak_kib)
}

/// One line without a single full stop that names organisations over and over: every fact
/// quoted the whole line, so memory grew with its length times the facts in it (50 KB took
/// 585 MB, 1 MB about 24 GB). Now the line is read in bounded pieces.
#[cfg(target_os = "linux")]
#[test]
fn one_long_line_without_sentence_ends_is_read_in_bounded_memory() {
    let case = Case::new();
    let names = [
        "Skatteverket",
        "Försäkringskassan",
        "Bolagsverket",
        "MSB",
        "Lantmäteriet",
    ];
    let words: Vec<&str> = (0..40_000).map(|i| names[i % names.len()]).collect();
    let line = format!("Nyhetsbrev från eSam, mars 2024 {}", words.join(" och "));
    assert!(line.len() > 500_000, "{}", line.len());
    let path = case.file("esam-nyhetsbrev-2024-03.txt", &line);
    let (output, peak_kib) = import_measured(&case, &[&path], std::time::Duration::from_secs(300));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(case.mentions("2024-03", "bolagsverket"));
    // The bundled newsletters' import peaks at about 60 MiB; the quadratic path was 24 GB/MB.
    assert!(peak_kib < 1024 * 1024, "peak {peak_kib} KiB for {} bytes", line.len());
}

/// Markdown nested 100,000 deep (a recursive call per level once aborted the whole run, and
/// none of the other files was imported): read as text, and the run goes on.
#[test]
fn deeply_nested_markdown_is_read_and_the_other_files_are_imported() {
    let case = Case::new();
    let nested = format!(
        "{ITEM}\nSkatteverket {}x{}\n",
        "[".repeat(100_000),
        "](https://example.com)".repeat(100_000)
    );
    let deep = case.file("esam-nyhetsbrev-2024-04.md", nested);
    let other = case.file(
        "esam-nyhetsbrev-2024-05.txt",
        ITEM.replace("mars 2024", "maj 2024").replace("12 mars", "12 maj"),
    );
    let output = case.import(&[&deep, &other], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(case.mentions("2024-04", "skatteverket"));
    assert!(case.mentions("2024-05", "bolagsverket"));
}

/// A FIFO (named pipe), given by name or found in a folder, is refused by name without being
/// opened: opening one waits for a writer, so the import hung for ever and imported nothing.
#[cfg(unix)]
#[test]
fn a_fifo_is_named_and_not_waited_for() {
    let case = Case::new();
    let folder = case.dir.path().join("inkorg");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("esam-nyhetsbrev-2024-03.txt"), ITEM).unwrap();
    let in_folder = folder.join("esam-nyhetsbrev-2024-04.txt");
    let given = case.dir.path().join("pipe.txt");
    for fifo in [&in_folder, &given] {
        let made = std::process::Command::new("mkfifo").arg(fifo).status().unwrap();
        assert!(made.success(), "mkfifo is part of coreutils");
    }
    let (output, _) = import_measured(&case, &[&folder, &given], std::time::Duration::from_secs(120));
    let errors = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{errors}");
    for fifo in ["esam-nyhetsbrev-2024-04.txt", "pipe.txt"] {
        assert!(
            errors.lines().any(|l| l.contains(fifo) && l.contains("FIFO")),
            "{fifo}: {errors}"
        );
    }
    assert!(case.mentions("2024-03", "skatteverket"), "the regular file is imported");
}

/// A UTF-8 newsletter with one stray byte was read as Windows-1252 (every å a "Ã¥"), with exit
/// 0 and no note: 25 organisations became 16. Now it is refused with where the byte is, and the
/// stored newsletter stays; a real Windows-1252 file is still read, and the import says so.
#[test]
fn utf8_with_a_stray_byte_is_refused_and_the_encoding_used_is_named() {
    let case = Case::new();
    let mut damaged = std::fs::read(&newsletters()[0]).unwrap();
    let at = damaged.len() / 2;
    let at = (at..damaged.len()).find(|&i| damaged[i] == b' ').unwrap();
    damaged.insert(at, 0xFF);
    let name = newsletters()[0].file_name().unwrap().to_string_lossy().into_owned();
    case.refused(&case.file(&name, &damaged), &[], "UTF-8 elsewhere");
    assert!(case.mentions("2021-12", "skatteverket"));
    let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(ITEM);
    let summary = case.accepted(&case.file("esam-nyhetsbrev-2024-03.txt", latin.as_ref()));
    assert!(summary.contains("read as Windows-1252"), "{summary}");
    let summary = case.accepted(&case.file("esam-nyhetsbrev-2024-06.txt", ITEM.replace("mars 2024", "juni 2024")));
    assert!(summary.contains("read as UTF-8"), "{summary}");
}
