//! How deep blank nodes nest in a set of triples (`[ :p [ :p [ … ] ] ]`), asked before data
//! with them is written and before the store is canonicalised for a dump. RDF Dataset
//! Canonicalization (RDFC-1.0) hashes a blank node by recursing through the blank nodes it
//! is linked to: 10,000 nested `[ ]` written by one Graph Store PUT overflowed the stack of
//! every later dump (and `export --canonical`), also after a restart, and 1,000 made a dump
//! run for minutes. Our own graphs nest blank nodes two deep at most.

use std::collections::HashMap;

use oxigraph::model::{BlankNodeRef, NamedOrBlankNodeRef, TermRef, TripleRef};

/// The deepest nesting of blank nodes accepted.
pub const MAX_BLANK_NODE_DEPTH: usize = 64;

/// Blank nodes nested deeper than [`MAX_BLANK_NODE_DEPTH`], or linked in a cycle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NestingError {
    /// A chain of blank nodes, each the object of the one before, longer than the limit.
    #[error("blank nodes are nested {depth} deep (the limit is {MAX_BLANK_NODE_DEPTH})")]
    TooDeep {
        /// The depth found (at least the limit + 1; counting stops there).
        depth: usize,
    },
    /// Blank nodes that link to each other in a cycle, which nests them without end.
    #[error(
        "{count} blank nodes link to each other in a cycle (blank nodes nest at most {MAX_BLANK_NODE_DEPTH} deep here, and a cycle nests them without end); name them with IRIs"
    )]
    Cycle {
        /// Blank nodes in or below a cycle.
        count: usize,
    },
}

/// Checks that blank nodes in `triples` nest at most [`MAX_BLANK_NODE_DEPTH`] deep, without
/// recursion: a topological order of the blank nodes (an edge from a subject to a blank
/// object), each node's depth one more than its deepest parent's.
pub fn check<'a>(triples: impl IntoIterator<Item = TripleRef<'a>>) -> Result<(), NestingError> {
    let mut index: HashMap<BlankNodeRef<'a>, usize> = HashMap::new();
    let mut children: Vec<Vec<usize>> = Vec::new();
    let mut parents: Vec<usize> = Vec::new();
    let mut node = |blank: BlankNodeRef<'a>, children: &mut Vec<Vec<usize>>, parents: &mut Vec<usize>| {
        *index.entry(blank).or_insert_with(|| {
            children.push(Vec::new());
            parents.push(0);
            children.len() - 1
        })
    };
    for triple in triples {
        if let (NamedOrBlankNodeRef::BlankNode(subject), TermRef::BlankNode(object)) = (triple.subject, triple.object) {
            let from = node(subject, &mut children, &mut parents);
            let to = node(object, &mut children, &mut parents);
            children[from].push(to);
            parents[to] += 1;
        }
    }
    let mut depth = vec![1usize; children.len()];
    let mut ready: Vec<usize> = (0..children.len()).filter(|&n| parents[n] == 0).collect();
    let mut ordered = 0;
    while let Some(next) = ready.pop() {
        ordered += 1;
        if depth[next] > MAX_BLANK_NODE_DEPTH {
            return Err(NestingError::TooDeep { depth: depth[next] });
        }
        for &child in &children[next] {
            depth[child] = depth[child].max(depth[next] + 1);
            parents[child] -= 1;
            if parents[child] == 0 {
                ready.push(child);
            }
        }
    }
    match children.len() - ordered {
        0 => Ok(()),
        count => Err(NestingError::Cycle { count }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{BlankNode, NamedNode, Triple};

    fn chain(length: usize) -> Vec<Triple> {
        let p = NamedNode::new("http://example.com/p").unwrap();
        let nodes: Vec<BlankNode> = (0..=length).map(|_| BlankNode::default()).collect();
        nodes
            .windows(2)
            .map(|pair| Triple::new(pair[0].clone(), p.clone(), pair[1].clone()))
            .collect()
    }

    #[test]
    fn nesting_up_to_the_limit_is_accepted_and_beyond_it_refused() {
        // A chain of n links nests n + 1 blank nodes.
        assert_eq!(
            check(chain(MAX_BLANK_NODE_DEPTH - 1).iter().map(Triple::as_ref)),
            Ok(())
        );
        assert_eq!(
            check(chain(MAX_BLANK_NODE_DEPTH).iter().map(Triple::as_ref)),
            Err(NestingError::TooDeep {
                depth: MAX_BLANK_NODE_DEPTH + 1
            })
        );
        // 100,000 deep: refused without recursing.
        assert!(matches!(
            check(chain(100_000).iter().map(Triple::as_ref)),
            Err(NestingError::TooDeep { .. })
        ));
        assert_eq!(check(std::iter::empty()), Ok(()));
    }

    #[test]
    fn wide_trees_and_shared_nodes_are_fine_and_cycles_refused() {
        let p = NamedNode::new("http://example.com/p").unwrap();
        let root = BlankNode::default();
        let mut wide: Vec<Triple> = (0..10_000)
            .map(|_| Triple::new(root.clone(), p.clone(), BlankNode::default()))
            .collect();
        // A diamond: two paths to the same node.
        let (a, b, c) = (BlankNode::default(), BlankNode::default(), BlankNode::default());
        wide.extend([
            Triple::new(root.clone(), p.clone(), a.clone()),
            Triple::new(root.clone(), p.clone(), b.clone()),
            Triple::new(a.clone(), p.clone(), c.clone()),
            Triple::new(b.clone(), p.clone(), c.clone()),
        ]);
        assert_eq!(check(wide.iter().map(Triple::as_ref)), Ok(()));
        let mut cycle = chain(3);
        let first = cycle[0].subject.clone();
        let last = cycle[2].object.clone();
        if let oxigraph::model::Term::BlankNode(last) = last {
            cycle.push(Triple::new(last, p.clone(), first));
        }
        assert_eq!(
            check(cycle.iter().map(Triple::as_ref)),
            Err(NestingError::Cycle { count: 4 })
        );
    }
}
