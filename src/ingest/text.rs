//! Plain text and Markdown → blocks. Markdown headings (`#`), list items
//! (`-`, `*`, `•`, `1.`), bold/italic markers, links and escapes are understood;
//! in plain text a heading is a short single-line block without closing
//! punctuation that is followed by body text.

use super::{Block, BlockKind};

/// A character with its offset in the source text.
type Located = (char, usize);

/// Splits `text` into blocks with inline markup removed.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut raw: Vec<(BlockKind, Vec<Located>, bool)> = Vec::new();
    let mut paragraph: Vec<Located> = Vec::new();
    let flush = |paragraph: &mut Vec<Located>, raw: &mut Vec<(BlockKind, Vec<Located>, bool)>| {
        if !paragraph.is_empty() {
            let single_line = !paragraph.iter().any(|(c, _)| *c == '\n');
            raw.push((BlockKind::Paragraph, std::mem::take(paragraph), single_line));
        }
    };
    let (all_chars, line_ranges) = lines(text);
    for range in line_ranges {
        let line = &all_chars[range];
        let trimmed_start = line.iter().position(|(c, _)| !c.is_whitespace());
        let Some(first) = trimmed_start else {
            flush(&mut paragraph, &mut raw);
            continue;
        };
        let content = trim_end(&line[first..]);
        if let Some((level, rest)) = atx_heading(content) {
            flush(&mut paragraph, &mut raw);
            raw.push((BlockKind::Heading(level), rest.to_vec(), true));
        } else if let Some(rest) = list_item(content) {
            flush(&mut paragraph, &mut raw);
            raw.push((BlockKind::ListItem, rest.to_vec(), true));
        } else if is_link_line(content) {
            flush(&mut paragraph, &mut raw);
            raw.push((BlockKind::Link, content.to_vec(), true));
        } else {
            if !paragraph.is_empty() {
                paragraph.push(('\n', content[0].1));
            }
            paragraph.extend_from_slice(content);
        }
    }
    flush(&mut paragraph, &mut raw);

    let mut emphasis = Vec::new();
    let mut cleaned: Vec<Cleaned> = Vec::new();
    for (kind, chars, single) in raw {
        let mut block_emphasis = Vec::new();
        // Most blocks have no markup: nothing to remove, nothing to copy.
        let inline = if has_markup(&chars) {
            clean_inline(&chars, &mut block_emphasis)
        } else {
            chars
        };
        // A line that ended like a sentence before its web residue was removed is not a heading.
        let ended_like_sentence = trim_end(&inline)
            .last()
            .is_some_and(|(c, _)| matches!(c, '.' | '!' | '?' | ':'));
        let (chars, text) = remove_web_residue(inline);
        if chars.iter().any(|(c, _)| !c.is_whitespace()) {
            cleaned.push(Cleaned {
                kind,
                chars,
                text,
                single_line: single && !ended_like_sentence,
            });
            emphasis.push(block_emphasis);
        }
    }
    mark_plain_headings(&mut cleaned);
    let text_end = text.chars().count();
    cleaned
        .into_iter()
        .zip(emphasis)
        .map(|(block, emphasis)| to_block(block, text_end, emphasis))
        .collect()
}

/// A block with its markup and web residue removed, before headings are told apart.
struct Cleaned {
    kind: BlockKind,
    chars: Vec<Located>,
    /// `chars` as text.
    text: String,
    single_line: bool,
}

/// Whether `clean_inline` could change `chars`: they hold one of the characters it acts on.
fn has_markup(chars: &[Located]) -> bool {
    chars.iter().any(|(c, _)| matches!(c, '\\' | '*' | '_' | '['))
}

fn to_block(block: Cleaned, text_end: usize, emphasis: Vec<String>) -> Block {
    let chars = trim_end(trim_start(&block.chars));
    let end = chars.last().map_or(text_end, |(_, offset)| offset + 1);
    let mut offsets: Vec<usize> = Vec::with_capacity(chars.len() + 1);
    offsets.extend(chars.iter().map(|(_, offset)| *offset));
    offsets.push(end);
    // The same whitespace (char::is_whitespace) as `trim_start`/`trim_end` above.
    let trimmed = block.text.trim();
    let text = if trimmed.len() == block.text.len() {
        block.text
    } else {
        trimmed.to_string()
    };
    Block {
        kind: block.kind,
        chars: chars.iter().map(|(c, _)| *c).collect(),
        text,
        offsets,
        emphasis,
    }
}

/// The lines of `text` as located characters, without their line breaks: one vector of
/// every character and the range of each line in it (not a vector per line).
fn lines(text: &str) -> (Vec<Located>, Vec<std::ops::Range<usize>>) {
    let mut chars = Vec::with_capacity(text.len());
    let mut lines = Vec::new();
    let mut start = 0;
    for (offset, c) in text.chars().enumerate() {
        match c {
            '\n' => {
                lines.push(start..chars.len());
                start = chars.len();
            }
            '\r' => {}
            _ => chars.push((c, offset)),
        }
    }
    lines.push(start..chars.len());
    (chars, lines)
}

fn trim_start(chars: &[Located]) -> &[Located] {
    let start = chars
        .iter()
        .position(|(c, _)| !c.is_whitespace())
        .unwrap_or(chars.len());
    &chars[start..]
}

fn trim_end(chars: &[Located]) -> &[Located] {
    let end = chars.iter().rposition(|(c, _)| !c.is_whitespace()).map_or(0, |i| i + 1);
    &chars[..end]
}

fn starts_with(chars: &[Located], prefix: &str) -> bool {
    let mut it = chars.iter();
    prefix.chars().all(|p| it.next().is_some_and(|(c, _)| *c == p))
}

fn atx_heading(line: &[Located]) -> Option<(u8, &[Located])> {
    let hashes = line.iter().take_while(|(c, _)| *c == '#').count();
    if !(1..=6).contains(&hashes) || line.get(hashes).is_none_or(|(c, _)| *c != ' ') {
        return None;
    }
    let rest = trim_start(&line[hashes..]);
    let rest = trim_end(&rest[..rest.len() - rest.iter().rev().take_while(|(c, _)| *c == '#').count()]);
    u8::try_from(hashes).ok().map(|level| (level, rest))
}

fn list_item(line: &[Located]) -> Option<&[Located]> {
    for bullet in ["- ", "* ", "• ", "\u{2022}\t"] {
        if starts_with(line, bullet) {
            return Some(trim_start(&line[bullet.chars().count()..]));
        }
    }
    let digits = line.iter().take_while(|(c, _)| c.is_ascii_digit()).count();
    if (1..=2).contains(&digits)
        && line.get(digits).is_some_and(|(c, _)| matches!(c, '.' | ')'))
        && line.get(digits + 1).is_some_and(|(c, _)| *c == ' ')
    {
        return Some(trim_start(&line[digits + 2..]));
    }
    None
}

/// A line that is nothing but one Markdown link: `[text](target)`.
fn is_link_line(line: &[Located]) -> bool {
    starts_with(line, "[")
        && line.last().is_some_and(|(c, _)| *c == ')')
        && matching_link(line, 0).is_some_and(|(_, end)| end == line.len())
}

/// For a `[` at `open`, the label's range and the index past the closing `)`.
fn matching_link(chars: &[Located], open: usize) -> Option<((usize, usize), usize)> {
    let mut depth = 0;
    let mut i = open;
    while i < chars.len() {
        match chars[i].0 {
            '\\' => i += 1,
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    let label = (open + 1, i);
                    if chars.get(i + 1).is_some_and(|(c, _)| *c == '(') {
                        let close = chars[i + 2..].iter().position(|(c, _)| *c == ')')? + i + 2;
                        return Some((label, close + 1));
                    }
                    return None;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Removes bold/italic markers, link targets and backslash escapes; the text
/// of bold/italic spans is added to `emphasis`.
fn clean_inline(chars: &[Located], emphasis: &mut Vec<String>) -> Vec<Located> {
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].0;
        let next = chars.get(i + 1).map(|(c, _)| *c);
        match c {
            '\\' if next.is_some_and(|n| n.is_ascii_punctuation()) => {
                out.push(chars[i + 1]);
                i += 2;
            }
            '*' | '_' if next == Some(c) => {
                let close = (i + 2..chars.len().saturating_sub(1)).find(|&k| chars[k].0 == c && chars[k + 1].0 == c);
                match close {
                    Some(close) => {
                        let inner = clean_inline(&chars[i + 2..close], emphasis);
                        emphasis.push(inner.iter().map(|(c, _)| *c).collect());
                        out.extend(inner);
                        i = close + 2;
                    }
                    None => i += 2,
                }
            }
            '[' => match matching_link(chars, i) {
                Some(((start, end), after)) => {
                    out.extend(clean_inline(&chars[start..end], emphasis));
                    i = after;
                }
                None => {
                    out.push(chars[i]);
                    i += 1;
                }
            },
            _ => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// Phrases that web pages leave in copied text (link and file annotations).
const RESIDUE: &[&str] = &[
    "Länk till annan webbplats, öppnas i nytt fönster.",
    "Länk till annan webbplats.",
    "Länk till annan webbplats",
    ", öppnas i nytt fönster",
    "öppnas i nytt fönster.",
];

/// Words one of which every [`RESIDUE`] phrase or file note contains.
const RESIDUE_CUES: [&str; 3] = ["webbplats", "fönster", "Pdf, "];

/// Removes web residue from already clean text (used for HTML).
pub fn clean_web_text(text: &str) -> String {
    let located: Vec<Located> = text.chars().enumerate().map(|(i, c)| (c, i)).collect();
    let (_, cleaned) = remove_web_residue(located);
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `chars` without web residue, and as text.
fn remove_web_residue(chars: Vec<Located>) -> (Vec<Located>, String) {
    let text = text_of(&chars);
    // Every residue phrase names the site or the window, and file notes start "Pdf, ": most
    // blocks have none of the three, and are done after three scans.
    if !RESIDUE_CUES.iter().any(|cue| text.contains(cue)) {
        return (chars, text);
    }
    let mut remove = vec![false; chars.len()];
    let char_index = |byte: usize| text[..byte].chars().count();
    for phrase in RESIDUE {
        for (byte, _) in text.match_indices(phrase) {
            let start = char_index(byte);
            let len = phrase.chars().count();
            remove[start..start + len].iter_mut().for_each(|r| *r = true);
        }
    }
    // "Pdf, 349.2 kB." style file annotations.
    let mut search = 0;
    while let Some(found) = text[search..].find("Pdf, ") {
        let byte = search + found;
        let after = &text[byte + 5..];
        let size_len = after
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
            .count();
        if size_len > 0 && after[size_len..].starts_with(" kB") {
            let start = char_index(byte);
            let mut len = 5 + size_len + 3;
            if after[size_len + 3..].starts_with('.') {
                len += 1;
            }
            remove[start..start + len].iter_mut().for_each(|r| *r = true);
        }
        search = byte + 5;
    }
    let kept: Vec<Located> = chars
        .into_iter()
        .zip(remove)
        .filter(|(_, r)| !r)
        .map(|(c, _)| c)
        .collect();
    let text = text_of(&kept);
    (kept, text)
}

/// The text of located characters, allocated once at its length (collecting characters into
/// a string reserves a byte per character, and grows again at the first "å").
fn text_of(chars: &[Located]) -> String {
    let mut text = String::with_capacity(chars.iter().map(|(c, _)| c.len_utf8()).sum());
    text.extend(chars.iter().map(|(c, _)| *c));
    text
}

/// In plain text, a paragraph is a heading when it is one short line, does not
/// end like a sentence or a lead-in (`.`, `!`, `?`, `:`, `,`, `;`), has no comma
/// (signatures such as "Fia Ekelöf, kanslichef eSam"), and is followed by a
/// block that is not itself a heading.
fn mark_plain_headings(blocks: &mut [Cleaned]) {
    let mut next_is_body = false;
    for block in blocks.iter_mut().rev() {
        let is_heading = match block.kind {
            BlockKind::Heading(_) => true,
            BlockKind::Paragraph => {
                let candidate = block.single_line && looks_like_heading(&block.text) && next_is_body;
                if candidate {
                    block.kind = BlockKind::Heading(2);
                }
                candidate
            }
            _ => false,
        };
        next_is_body = !is_heading;
    }
}

fn looks_like_heading(text: &str) -> bool {
    let text = text.trim();
    let words = text.split_whitespace().count();
    let first = text.chars().next();
    (1..=14).contains(&words)
        && text.chars().count() <= 110
        && !text.ends_with(['.', '!', '?', ':', ',', ';'])
        && !text.contains(", ")
        && first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c.is_lowercase() && text.starts_with("e"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds_and_texts(text: &str) -> Vec<(BlockKind, String)> {
        blocks(text).into_iter().map(|b| (b.kind, b.text)).collect()
    }

    #[test]
    fn plain_text_headings_need_body_text_after_them() {
        let text = "Nyhetsbrev från eSam\n\nDecember 2023\n\nAI blev allas\n\nDet här året går mot sitt slut.\n\nFia Ekelöf kanslichef eSam\n\nNytt stöd\n\nText här.\n";
        let got = kinds_and_texts(text);
        assert_eq!(
            got,
            vec![
                (BlockKind::Heading(2), "Nyhetsbrev från eSam".into()),
                (BlockKind::Paragraph, "December 2023".into()),
                (BlockKind::Heading(2), "AI blev allas".into()),
                (BlockKind::Paragraph, "Det här året går mot sitt slut.".into()),
                (BlockKind::Paragraph, "Fia Ekelöf kanslichef eSam".into()),
                (BlockKind::Heading(2), "Nytt stöd".into()),
                (BlockKind::Paragraph, "Text här.".into()),
            ]
        );
    }

    #[test]
    fn markdown_markup_is_removed_and_offsets_point_into_the_source() {
        let text = "# Rubrik\n\nDet sa **Kenneth Edwall** om [rapporten](#) \\(eSam\\).\n";
        let blocks = blocks(text);
        assert_eq!(blocks[0].kind, BlockKind::Heading(1));
        assert_eq!(blocks[1].text, "Det sa Kenneth Edwall om rapporten (eSam).");
        assert_eq!(blocks[1].emphasis, vec!["Kenneth Edwall".to_string()]);
        let k = blocks[1].text.find("Kenneth").unwrap();
        let source_offset = blocks[1].source_offset(k);
        let source: String = text.chars().skip(source_offset).take(7).collect();
        assert_eq!(source, "Kenneth");
    }

    #[test]
    fn list_items_links_and_residue() {
        let text = "Kalendarium\n\n- 3 december, koordineringsgrupp arkitektur\n  • Tänkt stort\n\n[Finansiell status](#)\n\nSkatteverkets vägledning Länk till annan webbplats, öppnas i nytt fönster.\n\nLäs den på esamverka.se Pdf, 349.2 kB.\n";
        let got = kinds_and_texts(text);
        assert_eq!(got[0], (BlockKind::Heading(2), "Kalendarium".into()));
        assert_eq!(
            got[1],
            (BlockKind::ListItem, "3 december, koordineringsgrupp arkitektur".into())
        );
        assert_eq!(got[2], (BlockKind::ListItem, "Tänkt stort".into()));
        assert_eq!(got[3], (BlockKind::Link, "Finansiell status".into()));
        assert_eq!(got[4].1, "Skatteverkets vägledning");
        assert_eq!(got[5], (BlockKind::Paragraph, "Läs den på esamverka.se".into()));
    }
}
