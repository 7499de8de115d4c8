//! Server-rendered HTML: escaping and the page frame every HTML response shares.
//! Everything printed from data goes through [`escape`].

use std::fmt::Write;

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Percent-encodes a query-string component.
pub fn url_component(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A query string from pairs (already-decoded keys and values).
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (key, value) in pairs {
        let _ = write!(
            out,
            "{}{}={}",
            if out.is_empty() { "?" } else { "&" },
            url_component(key),
            url_component(value)
        );
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;\
line-height:1.45;color:#1a1a1a}a{color:#0b4f9c}table{border-collapse:collapse;width:100%;font-size:.92rem}\
th,td{border-bottom:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}\
th{background:#eef2f7}pre{background:#f4f4f4;padding:.7rem;overflow-x:auto;font-size:.85rem}\
nav a{margin-right:1rem}form.params{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end}\
form.params label{display:flex;flex-direction:column;font-size:.85rem}.muted{color:#555}\
.scroll{overflow-x:auto}h1,p,li,dd,dt,figcaption,blockquote,code{overflow-wrap:anywhere}\
:focus-visible{outline:3px solid #0b4f9c;outline-offset:2px}";

/// The language of a page's own words (headings, navigation); data keeps its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Swedish, the default.
    #[default]
    Sv,
    /// English.
    En,
}

impl Lang {
    /// The first of Swedish and English in `Accept-Language` (Swedish when neither is there).
    pub fn from_accept(languages: &[&str]) -> Self {
        match languages.first() {
            Some(&"en") => Self::En,
            _ => Self::Sv,
        }
    }

    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Sv => "sv",
            Self::En => "en",
        }
    }

    /// The attribute that marks text written in `text` on a page in `self`: ` lang="en"` on a
    /// Swedish page for English text, nothing when they agree.
    pub fn mark(self, text: Self) -> &'static str {
        match (self, text) {
            (Self::Sv, Self::En) => " lang=\"en\"",
            (Self::En, Self::Sv) => " lang=\"sv\"",
            _ => "",
        }
    }

    /// The Swedish or the English text.
    pub fn pick<'a>(self, sv: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Sv => sv,
            Self::En => en,
        }
    }
}

/// A whole page in Swedish: `title` is escaped here, `body` must already be HTML.
pub fn page(title: &str, body: &str) -> String {
    page_in(Lang::Sv, title, body)
}

/// A whole page whose own words are in `lang`.
pub fn page_in(lang: Lang, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{tag}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} – esam-kg</title><link rel=\"icon\" href=\"data:,\"><style>{STYLE}</style></head>\
         <body><header><nav aria-label=\"{menu}\"><a href=\"/\">esam-kg</a><a href=\"/views\">{views}</a>\
         <a href=\"/sparql\">SPARQL</a></nav></header><main>{body}</main></body></html>\n",
        tag = lang.tag(),
        menu = lang.pick("Huvudmeny", "Main menu"),
        views = lang.pick("Vyer", "Views"),
        title = escape(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
        assert_eq!(query_string([("q", "a b&c"), ("x", "å")]), "?q=a+b%26c&x=%C3%A5");
    }
}
