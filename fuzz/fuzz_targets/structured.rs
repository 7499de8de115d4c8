//! Fuzz target: texts built from the input as pieces the plain targets rarely reach — nesting
//! tens of thousands deep (Markdown links and emphasis, HTML elements, Turtle blank nodes, SPARQL
//! groups), runs of prose without a sentence end, organisation names, and UTF-8 mixed with
//! Windows-1252 bytes — read as `.txt`, `.md` or `.html` and extracted; the same bytes checked by
//! the SPARQL nesting limits and, parsed as Turtle, by the blank-node depth check.
#![no_main]

mod common;

use libfuzzer_sys::arbitrary::Unstructured;

const NAMES: &[&str] = &["Skatteverket", "Försäkringskassan", "MSB", "Bolagsverket", "eSam", "DIGG"];

/// One piece of text, chosen and sized by the input.
fn piece(input: &mut Unstructured<'_>, out: &mut Vec<u8>) -> libfuzzer_sys::arbitrary::Result<()> {
    let count = usize::from(input.arbitrary::<u16>()?) * 2;
    match input.choose_index(9)? {
        0 => {
            out.extend("[".repeat(count).bytes());
            out.extend_from_slice(b"x");
            out.extend("](a)".repeat(count).bytes());
        }
        1 => out.extend("**[".repeat(count / 3).bytes()),
        2 => out.extend("<div><b>".repeat(count / 8).bytes()),
        3 => {
            out.extend("[ <http://e.com/p> ".repeat(count / 4).bytes());
            out.extend(" ]".repeat(count / 4).bytes());
        }
        4 => out.extend("{ OPTIONAL { ?s ?p ?o } UNION ".repeat(count / 16).bytes()),
        5 => {
            // A run of names and words without a full stop.
            for i in 0..count {
                out.extend_from_slice(NAMES[i % NAMES.len()].as_bytes());
                out.extend_from_slice(b" och ");
            }
        }
        6 => out.extend_from_slice(&[0xE5, 0xE4, 0xF6, b' ', 0xC5, 0xC4, 0xD6, 0xFF, 0x81]),
        7 => out.extend_from_slice(". Den 3 maj 2021 deltog 40 personer.\n\n".as_bytes()),
        _ => {
            let length = usize::from(input.arbitrary::<u8>()?);
            let raw: &[u8] = input.bytes(length)?;
            out.extend_from_slice(raw);
        }
    }
    Ok(())
}

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let mut input = Unstructured::new(bytes);
    let mut text = Vec::new();
    while !input.is_empty() && text.len() < 1 << 20 {
        if piece(&mut input, &mut text).is_err() {
            break;
        }
    }
    let name = ["fuzz.txt", "fuzz.md", "fuzz.html"][text.len() % 3];
    common::read_and_extract(name, &text);
    if let Ok(query) = std::str::from_utf8(&text) {
        let _ = esam_kg::sparql::nesting::check(query);
    }
    let triples: Vec<oxigraph::model::Triple> = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_slice(&text)
        .filter_map(Result::ok)
        .map(Into::into)
        .collect();
    let _ = esam_kg::store::blank_nodes::check(triples.iter().map(oxigraph::model::Triple::as_ref));
});
