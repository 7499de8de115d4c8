//! Bytes → text: UTF-8 (with or without BOM), UTF-16 with BOM, and
//! Windows-1252/Latin-1 (common in Swedish public-sector files). Binary files
//! are recognised and refused with a name for what they are. What was used is
//! reported with the text, so an import can say it.

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

/// The encoding a text was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (with or without a byte-order mark).
    Utf8,
    /// UTF-16 little-endian, by its byte-order mark.
    Utf16Le,
    /// UTF-16 big-endian, by its byte-order mark.
    Utf16Be,
    /// Windows-1252 (a superset of Latin-1's printable characters).
    Windows1252,
}

impl Encoding {
    /// The encoding's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf16Le => "UTF-16LE",
            Self::Utf16Be => "UTF-16BE",
            Self::Windows1252 => "Windows-1252",
        }
    }
}

/// Decodes `bytes` as text, or says why it is not text.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), String> {
    if let Some(kind) = binary_kind(bytes) {
        return Err(format!("binary file ({kind}), not a text or HTML newsletter"));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest).map(|text| (text, Encoding::Utf8));
    }
    for (bom, encoding, name) in [
        (&[0xFF, 0xFE], UTF_16LE, Encoding::Utf16Le),
        (&[0xFE, 0xFF], UTF_16BE, Encoding::Utf16Be),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = encoding.decode_without_bom_handling(rest);
            if had_errors {
                return Err(format!("invalid {} text", encoding.name()));
            }
            return Ok((text.into_owned(), name));
        }
    }
    if bytes.contains(&0) {
        return Err("binary file (contains NUL bytes), not a text or HTML newsletter".into());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_string(), Encoding::Utf8)),
        Err(utf8_error) => {
            let at = utf8_error.valid_up_to();
            // Text that is UTF-8 elsewhere (å, ä, ö as two bytes) with a stray byte is damaged
            // UTF-8, not Windows-1252: read as the latter, every å would become "Ã¥".
            if let Some(example) = utf8_sequence(bytes) {
                return Err(format!(
                    "invalid UTF-8 at byte {at} ({}) in a file that is UTF-8 elsewhere (for example at byte {example}); repair the byte or save the file as UTF-8 again",
                    line_and_column(bytes, at)
                ));
            }
            windows_1252(bytes)
                .map(|text| (text, Encoding::Windows1252))
                .ok_or_else(|| {
                    format!(
                        "neither UTF-8 (invalid byte at offset {at}, {}) nor Windows-1252 text",
                        line_and_column(bytes, at)
                    )
                })
        }
    }
}

/// The offset of the first character that UTF-8 encodes in two or more bytes, if any.
fn utf8_sequence(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    while at < bytes.len() {
        match std::str::from_utf8(&bytes[at..]) {
            Ok(text) => return text.char_indices().find(|(_, c)| !c.is_ascii()).map(|(i, _)| at + i),
            Err(error) => {
                let valid = &bytes[at..at + error.valid_up_to()];
                if let Some(i) = std::str::from_utf8(valid)
                    .ok()?
                    .char_indices()
                    .find(|(_, c)| !c.is_ascii())
                {
                    return Some(at + i.0);
                }
                at += error.valid_up_to() + error.error_len().unwrap_or(1);
            }
        }
    }
    None
}

/// "line L, column C" of byte `at` (columns in bytes, counted from 1).
fn line_and_column(bytes: &[u8], at: usize) -> String {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = at - before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
    format!("line {line}, column {column}")
}

fn utf8(bytes: &[u8]) -> Result<String, String> {
    std::str::from_utf8(bytes).map(str::to_string).map_err(|e| {
        format!(
            "invalid UTF-8 after the byte-order mark at offset {}",
            e.valid_up_to() + 3
        )
    })
}

/// Windows-1252 decoding, accepted only if the result looks like text: no
/// control characters besides tab and line breaks, and no bytes undefined in
/// Windows-1252.
fn windows_1252(bytes: &[u8]) -> Option<String> {
    let (text, had_errors) = WINDOWS_1252.decode_without_bom_handling(bytes);
    let looks_like_text = !had_errors
        && !bytes.iter().any(|b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D))
        && text
            .chars()
            .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}'));
    looks_like_text.then(|| text.into_owned())
}

fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF", "PDF"),
        (b"\x89PNG", "PNG image"),
        (b"PK\x03\x04", "zip archive or Office document"),
        (b"GIF8", "GIF image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"\x1F\x8B", "gzip archive"),
        (b"\xD0\xCF\x11\xE0", "legacy Office document"),
        (b"\x7FELF", "executable"),
    ];
    MAGIC
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, kind)| *kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_supported_encodings() {
        let expected = "Försäkringskassan och Länsstyrelsen";
        let decoded = |bytes: &[u8]| decode(bytes).map(|(text, encoding)| (text, encoding.name()));
        assert_eq!(decoded(expected.as_bytes()), Ok((expected.to_string(), "UTF-8")));
        let with_bom = [&[0xEF, 0xBB, 0xBF][..], expected.as_bytes()].concat();
        assert_eq!(decoded(&with_bom), Ok((expected.to_string(), "UTF-8")));
        let (latin1, _, _) = WINDOWS_1252.encode(expected);
        assert_eq!(decoded(&latin1), Ok((expected.to_string(), "Windows-1252")));
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(expected.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decoded(&utf16), Ok((expected.to_string(), "UTF-16LE")));
    }

    #[test]
    fn utf8_with_a_stray_byte_is_refused_not_read_as_windows_1252() {
        let mut bytes = "Skatteverket och Försäkringskassan\nsamverkar".as_bytes().to_vec();
        bytes.insert(bytes.len() - 3, 0xFF);
        let error = decode(&bytes).unwrap_err();
        assert!(error.contains("invalid UTF-8 at byte 43 (line 2, column 7)"), "{error}");
        assert!(error.contains("UTF-8 elsewhere (for example at byte 18)"), "{error}");
        // The stray byte before the first å, ä or ö, and at the very start or end.
        for at in [0, 3, bytes.len()] {
            let mut bytes = "Ett två tre".as_bytes().to_vec();
            bytes.insert(at.min(bytes.len()), 0xFF);
            assert!(decode(&bytes).unwrap_err().contains("UTF-8 elsewhere"), "{at}");
        }
        // Windows-1252 without a single UTF-8 sequence is still read as such.
        let (latin1, _, _) = WINDOWS_1252.encode("Länsstyrelsen i Västra Götaland");
        assert_eq!(decode(&latin1).map(|(_, e)| e), Ok(Encoding::Windows1252));
    }

    #[test]
    fn refuses_binary_with_its_kind() {
        let error = decode(b"%PDF-1.7 ...").unwrap_err();
        assert!(error.contains("PDF"), "{error}");
        assert!(decode(b"\x89PNG\r\n").unwrap_err().contains("PNG"));
        assert!(decode(b"abc\0def").unwrap_err().contains("NUL"));
    }

    #[test]
    fn refuses_bytes_undefined_in_windows_1252() {
        let error = decode(&[b'a', 0xC3, 0x28, 0x81]).unwrap_err();
        assert!(error.contains("neither UTF-8"), "{error}");
    }
}
