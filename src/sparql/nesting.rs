//! How deeply a query or update nests, measured on its text before it is parsed. The parser,
//! the optimiser and the evaluator each recurse once per level of the algebra: nested groups,
//! parentheses and brackets, and chains (`A UNION B UNION C …`, a run of OPTIONALs, FILTERs or
//! BINDs, `a || b || …`, a path `p/q/r…`), each link of which nests the next. 600 nested
//! braces overflowed a connection thread's stack and aborted the whole server. A text past
//! either limit is refused with a 400 naming it, before anything recurses; the threads that
//! parse and evaluate have stacks that the limits fit (`QUERY_STACK_BYTES`, tested at the
//! limits and just past them).

/// The deepest nesting of `{`, `(` and `[` accepted.
pub const MAX_NESTING: usize = 128;

/// The most links of chains (UNION, OPTIONAL, MINUS, FILTER, BIND and the operators
/// `|| && | / + - *`) accepted in one query: each can nest the algebra one level deeper, and
/// the optimiser's type inference, which no time limit reaches, is super-linear in a run of
/// them. Measured with the debug build on the bundled data (2026-12-07): 50, 100, 200 and 400
/// OPTIONALs in one group took 0.5, 2.3, 9.3 and 68 s to plan; 999 ran past a minute and held
/// its thread. At this limit the worst shape measured (128 OPTIONALs) plans in 2.3 s there.
pub const MAX_CHAIN: usize = 128;

/// The stack of a thread that parses or evaluates SPARQL: the limits above are tested to fit
/// it in a debug build, whose frames are several times larger than a release build's.
pub const QUERY_STACK_BYTES: usize = 64 * 1024 * 1024;

/// A text past one of the limits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TooComplex {
    /// Brackets nested too deep.
    #[error("it nests {{, ( and [ {depth} deep, and the limit is {MAX_NESTING}")]
    Nesting {
        /// The deepest nesting (counting stops just past the limit).
        depth: usize,
    },
    /// Too many links of chains.
    #[error(
        "it has {links} UNION, OPTIONAL, MINUS, FILTER, BIND and operators (|| && | / + - *), and the limit is {MAX_CHAIN}"
    )]
    Chain {
        /// How many (counting stops just past the limit).
        links: usize,
    },
}

/// Checks `text` (a query or an update) against [`MAX_NESTING`] and [`MAX_CHAIN`]. Strings,
/// IRIs and comments are skipped; it reads each character once.
pub fn check(text: &str) -> Result<(), TooComplex> {
    let bytes = text.as_bytes();
    let (mut depth, mut links, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'(' | b'[' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(TooComplex::Nesting { depth });
                }
            }
            b'}' | b')' | b']' => depth = depth.saturating_sub(1),
            b'#' => i = end_of_line(bytes, i),
            b'"' | b'\'' => i = end_of_string(bytes, i),
            b'<' => i = end_of_iri(bytes, i),
            b'|' | b'&' if bytes.get(i + 1) == Some(&bytes[i]) => {
                links += 1;
                i += 1;
            }
            b'|' | b'/' | b'+' | b'-' | b'*' => links += 1,
            b'?' | b'$' | b'_' | b':' => i = end_of_word(bytes, i),
            c if c.is_ascii_alphanumeric() || c >= 0x80 => {
                let end = end_of_word(bytes, i);
                if is_chain_keyword(&bytes[i..=end]) {
                    links += 1;
                }
                i = end;
            }
            _ => {}
        }
        if links > MAX_CHAIN {
            return Err(TooComplex::Chain { links });
        }
        i += 1;
    }
    Ok(())
}

fn is_chain_keyword(word: &[u8]) -> bool {
    ["UNION", "OPTIONAL", "MINUS", "FILTER", "BIND"]
        .iter()
        .any(|keyword| word.eq_ignore_ascii_case(keyword.as_bytes()))
}

/// The last byte of a word (a name, a prefixed name, a variable, a number): letters, digits
/// and `_ : . - %` and non-ASCII, so that the hyphens of `ex:a-b` are not operators.
fn end_of_word(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while end + 1 < bytes.len() {
        let next = bytes[end + 1];
        let continues = next.is_ascii_alphanumeric() || matches!(next, b'_' | b':' | b'-' | b'%') || next >= 0x80;
        // A full stop continues a name only when more of the name follows (`ex:a.b`), never
        // at its end (`?s ex:p ex:o.`).
        let inner_stop = next == b'.'
            && bytes
                .get(end + 2)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
        if !(continues || inner_stop) {
            break;
        }
        end += 1;
    }
    end
}

fn end_of_line(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |k| start + k)
}

/// The last byte of a string literal starting at `start` (short or long, either quote).
fn end_of_string(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let long = bytes.get(start + 1) == Some(&quote) && bytes.get(start + 2) == Some(&quote);
    let mut i = if long { start + 3 } else { start + 1 };
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b if b == quote && !long => return i,
            b if b == quote && bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) => {
                return i + 2;
            }
            b'\n' | b'\r' if !long => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The last byte of an IRI `<…>` starting at `start`, or `start` itself when the `<` is an
/// operator (an IRI has no spaces and none of `<>"{}|^`\`).
fn end_of_iri(bytes: &[u8], start: usize) -> usize {
    for (k, &b) in bytes[start + 1..].iter().enumerate() {
        match b {
            b'>' => return start + 1 + k,
            b'<' | b'"' | b'{' | b'}' | b'|' | b'^' | b'`' | b'\\' => return start,
            b if b <= b' ' => return start,
            _ => {}
        }
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_queries_pass() {
        for query in [
            "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
            "PREFIX ex: <http://example.com/a(b)c{d}> SELECT ?x WHERE { ?x ex:p-q-r-s-t-u ?y . FILTER(?y > 3 && ?y < 10) }",
            "SELECT ?s WHERE { ?s ?p \"{{{{{ (((( [[[[\" . ?s ?p '''\n{{{{ ''' } # {{{{{{ ((((\n",
            "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { 1 2 3 } ?x <http://e.com/p>/<http://e.com/q>* ?y }",
        ] {
            assert_eq!(check(query), Ok(()), "{query}");
        }
    }

    #[test]
    fn nesting_is_counted_across_bracket_kinds_up_to_the_limit() {
        let nested = |depth: usize| format!("SELECT * WHERE {}?s ?p ?o{}", "{".repeat(depth), "}".repeat(depth));
        assert_eq!(check(&nested(MAX_NESTING)), Ok(()));
        assert_eq!(
            check(&nested(MAX_NESTING + 1)),
            Err(TooComplex::Nesting { depth: MAX_NESTING + 1 })
        );
        let parentheses = format!(
            "ASK {{ FILTER({}1{}) }}",
            "(".repeat(MAX_NESTING),
            ")".repeat(MAX_NESTING)
        );
        assert!(
            matches!(check(&parentheses), Err(TooComplex::Nesting { .. })),
            "the group counts too"
        );
        let brackets = format!("ASK {{ ?s ?p {}1{} }}", "[ ?p ".repeat(200), " ]".repeat(200));
        assert!(matches!(check(&brackets), Err(TooComplex::Nesting { .. })));
        // Brackets inside strings, IRIs and comments do not count.
        let hidden = format!("ASK {{ ?s ?p \"{}\" }} # {}", "{".repeat(1_000), "(".repeat(1_000));
        assert_eq!(check(&hidden), Ok(()));
    }

    #[test]
    fn chains_are_counted_up_to_the_limit() {
        let unions = |n: usize| format!("SELECT ?s WHERE {{ {{?s ?p ?o}}{} }}", " UNION {?s ?p ?o}".repeat(n));
        assert_eq!(check(&unions(MAX_CHAIN)), Ok(()));
        assert_eq!(
            check(&unions(MAX_CHAIN + 1)),
            Err(TooComplex::Chain { links: MAX_CHAIN + 1 })
        );
        let optionals = format!(
            "SELECT * WHERE {{ ?s ?p ?o {} }}",
            "optional { ?s ?p ?o } ".repeat(MAX_CHAIN + 1)
        );
        assert!(
            matches!(check(&optionals), Err(TooComplex::Chain { .. })),
            "keywords in any case"
        );
        let ors = format!("ASK {{ FILTER(?a{}) }}", " || ?a".repeat(MAX_CHAIN + 1));
        assert!(matches!(check(&ors), Err(TooComplex::Chain { .. })));
        let path = format!(
            "ASK {{ ?s <http://e.com/p>{} ?o }}",
            "/<http://e.com/p>".repeat(MAX_CHAIN + 1)
        );
        assert!(matches!(check(&path), Err(TooComplex::Chain { .. })));
        // Hyphens inside names and words that merely contain a keyword are not links.
        let names = format!("ASK {{ ?s ex:a{} ?o ; ex:reunion ?u }}", "-b".repeat(5_000));
        assert_eq!(check(&names), Ok(()));
    }
}
