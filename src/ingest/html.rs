//! HTML of a newsletter's web page → blocks. Headings `h1`–`h6`, paragraphs,
//! list items and link-only paragraphs are kept; navigation, scripts, styles,
//! forms, frames and page chrome are dropped. Offsets refer to the text content
//! assembled here (blocks separated by blank lines), which becomes the
//! document's text.

use scraper::{ElementRef, Html, Node};

use super::{Block, BlockKind};

/// Elements whose whole subtree is not newsletter content.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "nav", "header", "footer",
    "form", "button", "select", "head", "aside", "dialog",
];

/// Parses HTML and returns (text content, blocks).
pub fn blocks(html: &str) -> (String, Vec<Block>) {
    let document = Html::parse_document(html);
    let mut collector = Collector::default();
    collector.walk(document.root_element(), 0);
    collector.finish_block();
    let mut text = String::new();
    let mut blocks = Vec::new();
    let mut offset = 0;
    for (kind, content, emphasis) in collector.blocks {
        let cleaned = super::text::clean_web_text(&content);
        if cleaned.trim().is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push_str("\n\n");
            offset += 2;
        }
        let length = cleaned.chars().count();
        text.push_str(&cleaned);
        blocks.push(Block::new(
            kind,
            cleaned,
            (offset..=offset + length).collect(),
            emphasis,
        ));
        offset += length;
    }
    (text, blocks)
}

/// Nesting depth beyond which elements are flattened to their text (bounds recursion).
const MAX_DEPTH: usize = 128;

#[derive(Default)]
struct Collector {
    blocks: Vec<(BlockKind, String, Vec<String>)>,
    current: Option<(BlockKind, String)>,
    /// Bold/emphasised text of the current block.
    emphasis: Vec<String>,
    /// Whether the current block has text outside links (a link-only paragraph is a Link).
    has_plain_text: bool,
}

impl Collector {
    fn walk(&mut self, element: ElementRef<'_>, depth: usize) {
        let name = element.value().name();
        if SKIPPED.contains(&name) || is_hidden_chrome(element) {
            return;
        }
        if depth > MAX_DEPTH {
            // Pathologically deep markup: keep its text, without recursing further.
            let text: String = element.text().collect::<Vec<_>>().join(" ");
            self.push_text(&text, true);
            return;
        }
        let kind = block_kind(name);
        if kind.is_some() {
            self.finish_block();
            self.current = kind.map(|k| (k, String::new()));
        }
        if name == "br" {
            self.push_text("\n", true);
        }
        if matches!(name, "strong" | "b" | "em") {
            let text: String = element.text().collect::<Vec<_>>().join(" ");
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if !text.is_empty() {
                self.emphasis.push(text);
            }
        }
        for child in element.children() {
            match child.value() {
                Node::Text(text) => {
                    let in_link = child
                        .ancestors()
                        .filter_map(ElementRef::wrap)
                        .any(|a| a.value().name() == "a");
                    self.push_text(text, !in_link);
                }
                Node::Element(_) => {
                    if let Some(child) = ElementRef::wrap(child) {
                        self.walk(child, depth + 1);
                    }
                }
                _ => {}
            }
        }
        if kind.is_some() {
            self.finish_block();
        }
    }

    fn push_text(&mut self, text: &str, plain: bool) {
        if text.trim().is_empty() && self.current.as_ref().is_none_or(|(_, t)| t.is_empty()) {
            return;
        }
        let (_, content) = self
            .current
            .get_or_insert_with(|| (BlockKind::Paragraph, String::new()));
        content.push_str(text);
        if plain && !text.trim().is_empty() {
            self.has_plain_text = true;
        }
    }

    fn finish_block(&mut self) {
        if let Some((mut kind, content)) = self.current.take() {
            let normalised = content.split_whitespace().collect::<Vec<_>>().join(" ");
            if kind == BlockKind::Paragraph && !self.has_plain_text {
                kind = BlockKind::Link;
            }
            if !normalised.is_empty() {
                self.blocks.push((kind, normalised, std::mem::take(&mut self.emphasis)));
            }
        }
        self.emphasis.clear();
        self.has_plain_text = false;
    }
}

fn block_kind(name: &str) -> Option<BlockKind> {
    match name {
        "h1" => Some(BlockKind::Heading(1)),
        "h2" => Some(BlockKind::Heading(2)),
        "h3" => Some(BlockKind::Heading(3)),
        "h4" | "h5" | "h6" => Some(BlockKind::Heading(4)),
        "p" | "blockquote" | "div" | "td" | "th" | "dd" | "dt" | "figcaption" | "section" | "article" | "main"
        | "body" => Some(BlockKind::Paragraph),
        "li" => Some(BlockKind::ListItem),
        _ => None,
    }
}

/// Skip-links, breadcrumbs, cookie banners and the like, by their ARIA role or class.
fn is_hidden_chrome(element: ElementRef<'_>) -> bool {
    let value = element.value();
    if value.attr("hidden").is_some() || value.attr("aria-hidden") == Some("true") {
        return true;
    }
    if matches!(
        value.attr("role"),
        Some("navigation" | "banner" | "contentinfo" | "search")
    ) {
        return true;
    }
    value.classes().any(|class| {
        let class = class.to_ascii_lowercase();
        [
            "breadcrumb",
            "cookie",
            "skip-link",
            "sr-only",
            "visually-hidden",
            "menu",
            "navigation",
        ]
        .iter()
        .any(|chrome| class.contains(chrome))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_content_and_drops_chrome() {
        let html = r#"<!DOCTYPE html><html><head><title>t</title><script>var x = "Skatteverket";</script></head>
        <body><nav><a href="/">Start</a></nav>
        <main><h1>Nyhetsbrev från eSam</h1><p>December 2023</p>
        <h2>Finansiell status</h2>
        <p>Projektet är ett samarbete mellan <strong>Kronofogden</strong> och
           <a href="https://www.bolagsverket.se">Bolagsverket<span class="sr-only">Länk till annan webbplats</span></a>.</p>
        <ul><li>3 december, koordineringsgrupp arkitektur</li></ul>
        <p><a href="/x">Till NGS-tjänsten</a></p>
        <iframe src="https://evil.example"></iframe></main>
        <footer>Cookies</footer></body></html>"#;
        let (text, blocks) = blocks(html);
        let got: Vec<(BlockKind, &str)> = blocks.iter().map(|b| (b.kind, b.text.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (BlockKind::Heading(1), "Nyhetsbrev från eSam"),
                (BlockKind::Paragraph, "December 2023"),
                (BlockKind::Heading(2), "Finansiell status"),
                (
                    BlockKind::Paragraph,
                    "Projektet är ett samarbete mellan Kronofogden och Bolagsverket."
                ),
                (BlockKind::ListItem, "3 december, koordineringsgrupp arkitektur"),
                (BlockKind::Link, "Till NGS-tjänsten"),
            ]
        );
        let b = &blocks[3];
        let start = b.offsets[0];
        assert_eq!(text.chars().skip(start).take(9).collect::<String>(), "Projektet");
        assert!(!text.contains("var x"));
    }

    #[test]
    fn unclosed_and_nested_html_does_not_fail() {
        let deep = "<div>".repeat(5000) + "<p>Skatteverket deltar" + &"</div>".repeat(10);
        let (_, blocks) = blocks(&deep);
        assert!(blocks.iter().any(|b| b.text.contains("Skatteverket deltar")));
    }
}
