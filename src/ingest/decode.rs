//! Bytes → text: UTF-8 (with or without BOM), UTF-16 with BOM, and
//! Windows-1252/Latin-1 (common in Swedish public-sector files). Binary files
//! are recognised and refused with a name for what they are.

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Decodes `bytes` as text, or says why it is not text.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some(kind) = binary_kind(bytes) {
        return Err(format!("binary file ({kind}), not a text or HTML newsletter"));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest);
    }
    for (bom, encoding) in [(&[0xFF, 0xFE], UTF_16LE), (&[0xFE, 0xFF], UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = encoding.decode_without_bom_handling(rest);
            if had_errors {
                return Err(format!("invalid {} text", encoding.name()));
            }
            return Ok(text.into_owned());
        }
    }
    if bytes.contains(&0) {
        return Err("binary file (contains NUL bytes), not a text or HTML newsletter".into());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(utf8_error) => windows_1252(bytes).ok_or_else(|| {
            format!(
                "neither UTF-8 (invalid byte at offset {}) nor Windows-1252 text",
                utf8_error.valid_up_to()
            )
        }),
    }
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
        assert_eq!(decode(expected.as_bytes()).as_deref(), Ok(expected));
        let with_bom = [&[0xEF, 0xBB, 0xBF][..], expected.as_bytes()].concat();
        assert_eq!(decode(&with_bom).as_deref(), Ok(expected));
        let (latin1, _, _) = WINDOWS_1252.encode(expected);
        assert_eq!(decode(&latin1).as_deref(), Ok(expected));
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(expected.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&utf16).as_deref(), Ok(expected));
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
