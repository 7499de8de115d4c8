//! Bytes → [`Document`]: decoding, format detection, and the block structure
//! (headings, paragraphs, list items, link lines) of plain text, Markdown and
//! HTML. Knows no RDF and recognises nothing; `extract` does the reading.

mod decode;
mod html;
mod text;

use std::path::{Path, PathBuf};

pub use decode::{Encoding, decode};

/// Limits applied when reading input.
#[derive(Debug, Clone, Copy)]
pub struct IngestLimits {
    /// Largest accepted file, in bytes.
    pub max_bytes: u64,
}

impl Default for IngestLimits {
    fn default() -> Self {
        Self {
            max_bytes: 10 * 1024 * 1024,
        }
    }
}

/// Why a file could not be read as a newsletter.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is larger than the configured limit.
    #[error("{path}: {size} bytes is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file is not text in a supported encoding.
    #[error("{path}: {reason}")]
    NotText {
        /// The file.
        path: PathBuf,
        /// What was found instead.
        reason: String,
    },
    /// Nothing but whitespace or markup.
    #[error("{path}: the file contains no text")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file was written to while it was read: what was read may be half old, half new.
    #[error(
        "{path}: the file changed while it was being read (size or modification time); nothing was imported from it — import it again once it is written"
    )]
    Changed {
        /// The file.
        path: PathBuf,
    },
}

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text or Markdown (as the bundled newsletters).
    Text,
    /// The HTML page of the web edition.
    Html,
}

/// What kind of block a piece of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading, with its level (1 = most important).
    Heading(u8),
    /// A paragraph of running text.
    Paragraph,
    /// One item of a list.
    ListItem,
    /// A line that is only a link (tables of contents, "read more").
    Link,
}

/// A block of text with inline markup removed, and where each character came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Its kind.
    pub kind: BlockKind,
    /// The text, markup removed, whitespace as in the source.
    pub text: String,
    /// The characters of `text`, made once: the extractor indexes sentences and words by
    /// character, and every sentence borrows its characters from here.
    pub chars: Vec<char>,
    /// For each character of `text`, its offset (in characters) in [`Document::text`];
    /// one more entry for the end.
    pub offsets: Vec<usize>,
    /// The text of bold or emphasised spans (names are often set in bold).
    pub emphasis: Vec<String>,
}

impl Block {
    /// A block of `text`, whose characters come from `offsets` in the document's text.
    pub fn new(kind: BlockKind, text: String, offsets: Vec<usize>, emphasis: Vec<String>) -> Self {
        Self {
            kind,
            chars: text.chars().collect(),
            text,
            offsets,
            emphasis,
        }
    }

    /// The source offset of the character at `char_index` in `text` (clamped to the end).
    pub fn source_offset(&self, char_index: usize) -> usize {
        let last = self.offsets.len().saturating_sub(1);
        self.offsets.get(char_index.min(last)).copied().unwrap_or(0)
    }
}

/// A decoded document, split into blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// A stable identifier derived from the file name ("2021-12" for
    /// `esam-nyhetsbrev-2021-12.txt`).
    pub id: String,
    /// The file name as given (for `dcterms:source` and messages).
    pub source: String,
    /// The format detected.
    pub format: Format,
    /// The encoding the bytes were read in.
    pub encoding: Encoding,
    /// The decoded text that offsets refer to (for HTML: the text content).
    pub text: String,
    /// The blocks in reading order.
    pub blocks: Vec<Block>,
}

/// Reads and parses one file.
pub fn read_file(path: &Path, limits: IngestLimits) -> Result<Document, IngestError> {
    let io_error = |source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Asked before opening: opening a FIFO waits for a writer, for ever if none comes.
    refuse_unless_regular(&std::fs::metadata(path).map_err(io_error)?).map_err(io_error)?;
    let mut file = std::fs::File::open(path).map_err(io_error)?;
    let before = file.metadata().map_err(io_error)?;
    // And again of what was opened, in case the path was replaced in between.
    refuse_unless_regular(&before).map_err(io_error)?;
    let too_large = |size| IngestError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit: limits.max_bytes,
    };
    if before.len() > limits.max_bytes {
        return Err(too_large(before.len()));
    }
    let bytes = read_at_most(&mut file, limits.max_bytes).map_err(io_error)?;
    if bytes.len() as u64 > limits.max_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    let after = std::fs::metadata(path).map_err(io_error)?;
    // Size and modification time alone miss a rewrite within one clock tick of the file
    // system's (coarse) time stamps, so the file is read a second time and must say the same.
    let again = std::fs::File::open(path)
        .and_then(|file| read_at_most(file, limits.max_bytes))
        .map_err(io_error)?;
    let unchanged = bytes.len() as u64 == before.len()
        && after.len() == before.len()
        && after.modified().ok() == before.modified().ok()
        && again == bytes;
    if !unchanged {
        return Err(IngestError::Changed {
            path: path.to_path_buf(),
        });
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    parse_bytes(&name, &bytes, limits).map_err(|reason| reason.at(path))
}

/// Only regular files are read: a folder, FIFO, socket or device is an error naming what it is.
fn refuse_unless_regular(metadata: &std::fs::Metadata) -> std::io::Result<()> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return Ok(());
    }
    let what = if kind.is_dir() {
        "a directory"
    } else {
        special_file_kind(&kind)
    };
    Err(std::io::Error::other(format!(
        "is {what}, not a regular file; only regular files are read"
    )))
}

#[cfg(unix)]
fn special_file_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_char_device() {
        "a character device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_file_kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

/// At most `limit` + 1 bytes (one more than allowed, to tell it is over — never more, even if
/// the file grows while it is read).
fn read_at_most(file: impl std::io::Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut file.take(limit + 1), &mut bytes)?;
    Ok(bytes)
}

/// Why bytes could not be parsed; [`ParseFailure::at`] names the file.
#[derive(Debug)]
pub enum ParseFailure {
    /// Too large.
    TooLarge(u64, u64),
    /// Not text.
    NotText(String),
    /// No text.
    Empty,
}

impl ParseFailure {
    /// The error for this failure in `path`.
    pub fn at(self, path: &Path) -> IngestError {
        let path = path.to_path_buf();
        match self {
            ParseFailure::TooLarge(size, limit) => IngestError::TooLarge { path, size, limit },
            ParseFailure::NotText(reason) => IngestError::NotText { path, reason },
            ParseFailure::Empty => IngestError::Empty { path },
        }
    }
}

/// Parses the bytes of a document called `name` (a file name, for the id and format).
pub fn parse_bytes(name: &str, bytes: &[u8], limits: IngestLimits) -> Result<Document, ParseFailure> {
    let size = bytes.len() as u64;
    if size > limits.max_bytes {
        return Err(ParseFailure::TooLarge(size, limits.max_bytes));
    }
    let (text, encoding) = decode(bytes).map_err(ParseFailure::NotText)?;
    let format = detect_format(name, &text);
    let (text, blocks) = match format {
        Format::Text => {
            let blocks = text::blocks(&text);
            (text, blocks)
        }
        Format::Html => html::blocks(&text),
    };
    if blocks.iter().all(|b| b.text.trim().is_empty()) {
        return Err(ParseFailure::Empty);
    }
    Ok(Document {
        id: document_id(name),
        source: name.to_string(),
        format,
        encoding,
        text,
        blocks,
    })
}

fn detect_format(name: &str, text: &str) -> Format {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".xhtml") {
        return Format::Html;
    }
    let head: String = text
        .trim_start()
        .chars()
        .take(100)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
    {
        Format::Html
    } else {
        Format::Text
    }
}

/// The document id from a file name: the stem, slugged, with a leading
/// "esam-nyhetsbrev-"/"nyhetsbrev-" dropped so that newsletters get `2021-12`.
pub fn document_id(name: &str) -> String {
    let stem = Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_string());
    let slug = crate::model::slug(&stem);
    for prefix in ["esam-nyhetsbrev-", "nyhetsbrev-", "esam-newsletter-", "newsletter-"] {
        if let Some(rest) = slug.strip_prefix(prefix)
            && !rest.is_empty()
        {
            return rest.to_string();
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_ids_come_from_file_names() {
        assert_eq!(document_id("esam-nyhetsbrev-2021-12.txt"), "2021-12");
        assert_eq!(document_id("Nyhetsbrev-2023-12.html"), "2023-12");
        assert_eq!(document_id("Årsrapport eSam.md"), "arsrapport-esam");
    }

    #[test]
    fn html_is_detected_by_name_or_content() {
        assert_eq!(detect_format("a.htm", "x"), Format::Html);
        assert_eq!(detect_format("a.txt", "  <!DOCTYPE html><html>"), Format::Html);
        assert_eq!(detect_format("a.txt", "Nyhetsbrev"), Format::Text);
    }

    #[test]
    fn whitespace_only_input_is_empty() {
        assert!(matches!(
            parse_bytes("a.txt", b" \n\t\n", IngestLimits::default()),
            Err(ParseFailure::Empty)
        ));
    }

    #[test]
    fn oversized_input_is_refused() {
        let limits = IngestLimits { max_bytes: 4 };
        assert!(matches!(
            parse_bytes("a.txt", b"hello", limits),
            Err(ParseFailure::TooLarge(5, 4))
        ));
    }
}
