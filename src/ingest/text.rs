//! Plain text and Markdown → blocks. Markdown headings (`#`), list items
//! (`-`, `*`, `•`, `1.`), bold/italic markers, links and escapes are understood;
//! in plain text a heading is a short single-line block without closing
//! punctuation that is followed by body text.
//!
//! Blocks are built from slices of the source lines (text copied, offsets counted); only a
//! block with markup or web residue is taken apart character by character.

use std::borrow::Cow;

use super::{Block, BlockKind};

/// A character with its offset in the source text.
type Located = (char, usize);

/// Text with the source offset (in characters) of each of its characters.
#[derive(Default)]
struct Piece {
    text: String,
    offsets: Vec<usize>,
}

impl Piece {
    fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }

    fn from_located(chars: &[Located]) -> Self {
        Self {
            text: chars.iter().map(|(c, _)| c).collect(),
            offsets: chars.iter().map(|(_, offset)| *offset).collect(),
        }
    }

    fn located(&self) -> Vec<Located> {
        self.text.chars().zip(self.offsets.iter().copied()).collect()
    }
}

/// One line of the source without its line break and carriage returns, and where its
/// characters came from.
struct Line<'a> {
    text: Cow<'a, str>,
    offsets: LineOffsets,
}

enum LineOffsets {
    /// The line's characters are consecutive in the source from this offset (no carriage
    /// return inside it: nearly always).
    From(usize),
    /// The offset of each character.
    Each(Vec<usize>),
}

impl Line<'_> {
    /// Appends `self.text[range]` (byte range on character boundaries) to `piece`.
    fn append(&self, range: std::ops::Range<usize>, piece: &mut Piece) {
        let part = &self.text[range.clone()];
        let first = self.text[..range.start].chars().count();
        let count = part.chars().count();
        piece.text.push_str(part);
        match &self.offsets {
            LineOffsets::From(start) => piece.offsets.extend(start + first..start + first + count),
            LineOffsets::Each(offsets) => piece.offsets.extend_from_slice(&offsets[first..first + count]),
        }
    }

    /// The source offset of the character at byte `at`.
    fn offset_at(&self, at: usize) -> usize {
        let index = self.text[..at].chars().count();
        match &self.offsets {
            LineOffsets::From(start) => start + index,
            LineOffsets::Each(offsets) => offsets[index],
        }
    }

    fn piece(&self, range: std::ops::Range<usize>) -> Piece {
        let mut piece = Piece::default();
        self.append(range, &mut piece);
        piece
    }
}

/// The lines of `text`, carriage returns dropped (their offsets still count).
fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut start = 0;
    text.split('\n').map(move |line| {
        let chars = line.chars().count();
        let parsed = if line.contains('\r') {
            let each = (start..start + chars)
                .zip(line.chars())
                .filter(|(_, c)| *c != '\r')
                .map(|(offset, _)| offset)
                .collect();
            Line {
                text: Cow::Owned(line.replace('\r', "")),
                offsets: LineOffsets::Each(each),
            }
        } else {
            Line {
                text: Cow::Borrowed(line),
                offsets: LineOffsets::From(start),
            }
        };
        start += chars + 1;
        parsed
    })
}

/// A block before inline markup is removed: its kind, text, and whether it was one line.
struct Raw {
    kind: BlockKind,
    piece: Piece,
    single_line: bool,
}

/// Splits `text` into blocks with inline markup removed.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut raw: Vec<Raw> = Vec::new();
    let mut paragraph = Piece::default();
    let flush = |paragraph: &mut Piece, raw: &mut Vec<Raw>| {
        if !paragraph.is_empty() {
            let single_line = !paragraph.text.contains('\n');
            raw.push(Raw {
                kind: BlockKind::Paragraph,
                piece: std::mem::take(paragraph),
                single_line,
            });
        }
    };
    for line in lines(text) {
        let trimmed = line.text.trim();
        if trimmed.is_empty() {
            flush(&mut paragraph, &mut raw);
            continue;
        }
        let first = line.text.len() - line.text.trim_start().len();
        let content = first..first + trimmed.len();
        let block = |kind, range: std::ops::Range<usize>| Raw {
            kind,
            piece: line.piece(range),
            single_line: true,
        };
        if let Some((level, rest)) = atx_heading(trimmed) {
            flush(&mut paragraph, &mut raw);
            raw.push(block(BlockKind::Heading(level), shifted(rest, first)));
        } else if let Some(rest) = list_item(trimmed) {
            flush(&mut paragraph, &mut raw);
            raw.push(block(BlockKind::ListItem, shifted(rest, first)));
        } else if is_link_line(trimmed) {
            flush(&mut paragraph, &mut raw);
            raw.push(block(BlockKind::Link, content));
        } else {
            if !paragraph.is_empty() {
                paragraph.text.push('\n');
                paragraph.offsets.push(line.offset_at(first));
            }
            line.append(content, &mut paragraph);
        }
    }
    flush(&mut paragraph, &mut raw);

    let mut emphasis = Vec::new();
    let mut cleaned: Vec<Cleaned> = Vec::new();
    for Raw {
        kind,
        piece,
        single_line,
    } in raw
    {
        let mut block_emphasis = Vec::new();
        // Most blocks have no markup: nothing to remove, nothing to copy.
        let inline = if has_markup(&piece.text) {
            Piece::from_located(&clean_inline(&piece.located(), &mut block_emphasis, 0))
        } else {
            piece
        };
        // A line that ended like a sentence before its web residue was removed is not a heading.
        let ended_like_sentence = inline.text.trim_end().ends_with(['.', '!', '?', ':']);
        let piece = remove_web_residue(inline);
        if !piece.text.trim_start().is_empty() {
            cleaned.push(Cleaned {
                kind,
                piece,
                single_line: single_line && !ended_like_sentence,
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

/// `range` of a trimmed line, as a range of the whole line (the trimmed text starts at `by`).
fn shifted(range: std::ops::Range<usize>, by: usize) -> std::ops::Range<usize> {
    range.start + by..range.end + by
}

/// A block with its markup and web residue removed, before headings are told apart.
struct Cleaned {
    kind: BlockKind,
    piece: Piece,
    single_line: bool,
}

/// Whether `clean_inline` could change a block of this text: it holds one of the characters
/// it acts on.
fn has_markup(text: &str) -> bool {
    text.bytes().any(|b| matches!(b, b'\\' | b'*' | b'_' | b'['))
}

fn to_block(block: Cleaned, text_end: usize, emphasis: Vec<String>) -> Block {
    let Piece { text, offsets } = block.piece;
    // The same whitespace (char::is_whitespace) as `str::trim`.
    let trimmed = text.trim();
    let first = text[..text.len() - text.trim_start().len()].chars().count();
    let chars: Vec<char> = trimmed.chars().collect();
    let kept = &offsets[first..first + chars.len()];
    let end = kept.last().map_or(text_end, |offset| offset + 1);
    let mut block_offsets = Vec::with_capacity(kept.len() + 1);
    block_offsets.extend_from_slice(kept);
    block_offsets.push(end);
    let text = if trimmed.len() == text.len() {
        text
    } else {
        trimmed.to_string()
    };
    Block {
        kind: block.kind,
        chars,
        text,
        offsets: block_offsets,
        emphasis,
    }
}

/// A Markdown heading (`## Rubrik ##`): its level and the byte range of its text in `line`.
fn atx_heading(line: &str) -> Option<(u8, std::ops::Range<usize>)> {
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    if !(1..=6).contains(&hashes) || line.as_bytes().get(hashes) != Some(&b' ') {
        return None;
    }
    let after = &line[hashes..];
    let rest = after.trim_start();
    let start = line.len() - rest.len();
    let text = rest.trim_end_matches('#').trim_end();
    u8::try_from(hashes)
        .ok()
        .map(|level| (level, start..start + text.len()))
}

/// A list item (`- `, `* `, `• `, `1. `, `2) `): the byte range of its text in `line`.
fn list_item(line: &str) -> Option<std::ops::Range<usize>> {
    let after_marker = |marker: usize| {
        let rest = line[marker..].trim_start();
        line.len() - rest.len()..line.len()
    };
    for bullet in ["- ", "* ", "• ", "\u{2022}\t"] {
        if line.starts_with(bullet) {
            return Some(after_marker(bullet.len()));
        }
    }
    let bytes = line.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if (1..=2).contains(&digits)
        && bytes.get(digits).is_some_and(|b| matches!(b, b'.' | b')'))
        && bytes.get(digits + 1) == Some(&b' ')
    {
        return Some(after_marker(digits + 2));
    }
    None
}

/// A line that is nothing but one Markdown link: `[text](target)`.
fn is_link_line(line: &str) -> bool {
    if !(line.starts_with('[') && line.ends_with(')')) {
        return false;
    }
    // `Links` reads only the characters: their offsets do not matter here.
    let chars: Vec<Located> = line.chars().map(|c| (c, 0)).collect();
    Links::of(&chars).at(0).is_some_and(|(_, end)| end == chars.len())
}

/// Markup nested deeper than this (links in links, emphasis in links …) is kept as text:
/// each level is a recursive call, and 20,000 nested `[` overflowed the stack and aborted
/// the process. No real newsletter nests links at all.
const MAX_INLINE_DEPTH: usize = 16;

/// The Markdown links of a run of characters, found in one pass: each `[`'s matching `]`
/// (by a stack), and for each place the next `)`. Looking for them from every `[` instead
/// scanned to the end of the block from each unmatched one: quadratic in a block of many.
struct Links {
    /// For each index, the index of the `]` that closes the `[` there.
    closing: Vec<Option<usize>>,
    /// For each index, the first `)` at or after it.
    next_paren: Vec<Option<usize>>,
}

impl Links {
    fn of(chars: &[Located]) -> Self {
        let mut closing = vec![None; chars.len()];
        let mut open = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            match chars[i].0 {
                '\\' => i += 1,
                '[' => open.push(i),
                ']' => {
                    // Only a label followed by its target makes a link.
                    if let Some(start) = open.pop()
                        && chars.get(i + 1).is_some_and(|(c, _)| *c == '(')
                    {
                        closing[start] = Some(i);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        let mut next_paren = vec![None; chars.len()];
        let mut next = None;
        for i in (0..chars.len()).rev() {
            if chars[i].0 == ')' {
                next = Some(i);
            }
            next_paren[i] = next;
        }
        Self { closing, next_paren }
    }

    /// For a `[` at `open` that starts a link (`[label](target)`), the label's range and the
    /// index past the closing `)`.
    fn at(&self, open: usize) -> Option<((usize, usize), usize)> {
        let close = self.closing.get(open).copied().flatten()?;
        let target_end = self.next_paren.get(close + 2).copied().flatten()?;
        Some(((open + 1, close), target_end + 1))
    }
}

/// Removes bold/italic markers, link targets and backslash escapes; the text
/// of bold/italic spans is added to `emphasis`. `depth` is how deep in markup `chars` are.
fn clean_inline(chars: &[Located], emphasis: &mut Vec<String>, depth: usize) -> Vec<Located> {
    if depth > MAX_INLINE_DEPTH {
        return chars.to_vec();
    }
    let links = Links::of(chars);
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
                        let inner = clean_inline(&chars[i + 2..close], emphasis, depth + 1);
                        emphasis.push(inner.iter().map(|(c, _)| *c).collect());
                        out.extend(inner);
                        i = close + 2;
                    }
                    None => i += 2,
                }
            }
            '[' => match links.at(i) {
                Some(((start, end), after)) => {
                    out.extend(clean_inline(&chars[start..end], emphasis, depth + 1));
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
    let piece = Piece {
        text: text.to_string(),
        offsets: (0..text.chars().count()).collect(),
    };
    let cleaned = remove_web_residue(piece);
    cleaned.text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `piece` without web residue.
fn remove_web_residue(piece: Piece) -> Piece {
    let text = &piece.text;
    // Every residue phrase names the site or the window, and file notes start "Pdf, ": most
    // blocks have none of the three, and are done after three scans.
    if !RESIDUE_CUES.iter().any(|cue| text.contains(cue)) {
        return piece;
    }
    let mut remove = vec![false; piece.offsets.len()];
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
    let kept: Vec<Located> = piece
        .located()
        .into_iter()
        .zip(remove)
        .filter(|(_, r)| !r)
        .map(|(c, _)| c)
        .collect();
    Piece::from_located(&kept)
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
                let candidate = block.single_line && looks_like_heading(&block.piece.text) && next_is_body;
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

    #[test]
    fn markup_is_found_anywhere_in_a_block() {
        for markup in ['\\', '*', '_', '['] {
            for at in 0..70 {
                let mut text: Vec<char> = "ingen markering här, å ä ö – ’ ".chars().cycle().take(70).collect();
                text[at] = markup;
                let text: String = text.into_iter().collect();
                assert!(has_markup(&text), "{markup:?} at {at}");
            }
        }
        assert!(!has_markup(""));
        assert!(!has_markup(&"ingen markering här, å ä ö – ’ ".repeat(5)));
    }

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
    fn carriage_returns_are_dropped_and_offsets_still_point_into_the_source() {
        let unix = "# Rubrik\n\nDet sa **Kenneth** att\nMSB:s   svar kom.\n\n- Tänkt stort\n";
        let windows = "# Rubrik\r\n\r\nDet sa **Kenneth** att\r\nMSB:s \r  svar kom.\r\n\r\n- Tänkt\r stort\r\n";
        let texts = |text: &str| blocks(text).into_iter().map(|b| (b.kind, b.text)).collect::<Vec<_>>();
        // The carriage return inside "Tänkt\r stort" is dropped, not turned into a space.
        assert_eq!(texts(windows), texts(unix));
        let source: Vec<char> = windows.chars().collect();
        for block in blocks(windows) {
            for (k, c) in block.text.chars().enumerate() {
                let at = source[block.source_offset(k)];
                // A line break inside a paragraph points at the first character of its line.
                assert!(
                    at == c || c == '\n' && !at.is_whitespace(),
                    "{c:?} at {k} of {:?} is {at:?}",
                    block.text
                );
            }
            assert_eq!(block.offsets.len(), block.chars.len() + 1);
        }
    }

    #[test]
    fn deeply_nested_markup_is_read_without_recursing_without_bound() {
        // 20,000 nested links (as POST /import was sent them): before the bound, a recursive call each, and a stack overflow.
        let depth = 20_000;
        let nested = format!("Skatteverket {}x{} slut.\n", "[".repeat(depth), "](a)".repeat(depth));
        let read = blocks(&nested);
        assert_eq!(read.len(), 1);
        assert!(read[0].text.starts_with("Skatteverket ") && read[0].text.ends_with(" slut."));
        // Emphasis inside links inside emphasis, deeper than the bound.
        let mixed = format!("{}Rubrik{}\n", "**[".repeat(2_000), "](b)**".repeat(2_000));
        assert!(blocks(&mixed)[0].text.contains("Rubrik"));
        // Many unmatched brackets in one block: linear, not a scan to the end from each.
        let unmatched = format!("{} text\n", "[".repeat(20_000));
        assert!(blocks(&unmatched)[0].text.ends_with(" text"));
        // Ordinary links are still read.
        assert_eq!(blocks("Se [eSam](https://esamverka.se) nu.\n")[0].text, "Se eSam nu.");
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
