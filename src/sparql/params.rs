//! View parameters as constants in the parsed query, so that the planner can use them.
//!
//! A view binds a parameter with `BIND(esam:param("name") AS ?name)`, evaluated per query as an
//! extension function: correct, but the planner cannot see the value, so `?name` bound that
//! way is joined after the fact (a filtered view was slower than the unfiltered one). Here a
//! given parameter's term replaces `?name` in the algebra (`spargebra`), never in the text, in
//! the group that binds it: in its triple and path patterns, graph names and expressions, and
//! in the BIND itself, which keeps `?name` bound for projections, grouping and templates. A
//! parameter not given leaves its BIND unbound, as the extension function does.
//!
//! The query's shape cannot change: only variables become terms the parameter's validation
//! produced (IRIs or literals), and the rewritten query means what the original means. Scopes
//! are kept: a subquery is evaluated on its own (its LIMIT, grouping, projection) and keeps its
//! variables, and the right side of MINUS keeps its own (MINUS removes only rows that share a
//! variable with it).

use oxigraph::model::{Literal, NamedNode, Term, Variable};
use spargebra::Query;
use spargebra::algebra::{Expression, Function, GraphPattern, OrderExpression};
use spargebra::term::{NamedNodePattern, TermPattern, TriplePattern};

use crate::vocab;

/// A parameter's value as the query may hold it (blank nodes are never parameters).
#[derive(Clone)]
enum Constant {
    Iri(NamedNode),
    Literal(Literal),
}

impl Constant {
    fn of(term: &Term) -> Option<Self> {
        match term {
            Term::NamedNode(iri) => Some(Self::Iri(iri.clone())),
            Term::Literal(literal) => Some(Self::Literal(literal.clone())),
            _ => None,
        }
    }

    fn expression(&self) -> Expression {
        match self {
            Self::Iri(iri) => Expression::NamedNode(iri.clone()),
            Self::Literal(literal) => Expression::Literal(literal.clone()),
        }
    }

    fn term_pattern(&self) -> TermPattern {
        match self {
            Self::Iri(iri) => TermPattern::NamedNode(iri.clone()),
            Self::Literal(literal) => TermPattern::Literal(literal.clone()),
        }
    }
}

/// Puts the given parameters into `query` as constants: the variables their BINDs bind, and
/// their calls elsewhere (`COALESCE(esam:param("from"), "0000")`). Calls of parameters not
/// given stay, and are unbound.
pub fn substitute(query: &mut Query, params: &[(String, Term)]) {
    let given: Vec<(String, Constant)> = params
        .iter()
        .filter_map(|(name, term)| Some((name.clone(), Constant::of(term)?)))
        .collect();
    let pattern = match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    };
    rewrite_groups(pattern, &given);
    inline_in_pattern(pattern, &given);
}

/// The name of `esam:param("name")`, if `expression` is that call.
fn param_name(expression: &Expression) -> Option<&str> {
    match expression {
        Expression::FunctionCall(Function::Custom(function), arguments) if function.as_ref() == vocab::esam::PARAM => {
            match arguments.as_slice() {
                [Expression::Literal(name)] => Some(name.value()),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Finds every group that binds a given parameter and substitutes it there; then the same for
/// the groups nested in this one.
fn rewrite_groups(pattern: &mut GraphPattern, given: &[(String, Constant)]) {
    for (variable, constant) in bound_on_spine(pattern, given) {
        replace_in_pattern(pattern, &variable, &constant);
    }
    for child in nested_groups(pattern) {
        rewrite_groups(child, given);
    }
}

/// The parameters a group binds: `BIND(esam:param(..) AS ?v)` nodes along its left spine
/// (where the algebra puts what came before in the group), with their values.
fn bound_on_spine(pattern: &GraphPattern, given: &[(String, Constant)]) -> Vec<(Variable, Constant)> {
    let mut found = Vec::new();
    let mut node = pattern;
    loop {
        node = match node {
            GraphPattern::Extend {
                inner,
                variable,
                expression,
            } => {
                if let Some(name) = param_name(expression)
                    && let Some((_, constant)) = given.iter().find(|(n, _)| n == name)
                {
                    found.push((variable.clone(), constant.clone()));
                }
                inner
            }
            GraphPattern::Join { left, .. }
            | GraphPattern::LeftJoin { left, .. }
            | GraphPattern::Minus { left, .. }
            | GraphPattern::Lateral { left, .. } => left,
            GraphPattern::Filter { inner, .. } => inner,
            _ => return found,
        };
    }
}

/// The patterns nested in `pattern` that are groups of their own (where another BIND's scope
/// could begin): right sides, union branches, graph and EXISTS patterns, subqueries.
fn nested_groups(pattern: &mut GraphPattern) -> Vec<&mut GraphPattern> {
    match pattern {
        GraphPattern::Join { left, right }
        | GraphPattern::LeftJoin { left, right, .. }
        | GraphPattern::Minus { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Lateral { left, right } => vec![&mut **left, &mut **right],
        GraphPattern::Filter { inner, .. }
        | GraphPattern::Graph { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Group { inner, .. } => vec![&mut **inner],
        GraphPattern::Bgp { .. }
        | GraphPattern::Path { .. }
        | GraphPattern::Values { .. }
        | GraphPattern::Service { .. } => Vec::new(),
    }
}

/// `variable` → `constant` throughout `pattern`, within the variable's scope.
fn replace_in_pattern(pattern: &mut GraphPattern, variable: &Variable, constant: &Constant) {
    let in_pattern = |p: &mut GraphPattern| replace_in_pattern(p, variable, constant);
    match pattern {
        GraphPattern::Bgp { patterns } => {
            for triple in patterns {
                replace_in_triple(triple, variable, constant);
            }
        }
        GraphPattern::Path { subject, object, .. } => {
            replace_in_term(subject, variable, constant);
            replace_in_term(object, variable, constant);
        }
        GraphPattern::Join { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Lateral { left, right } => {
            in_pattern(left);
            in_pattern(right);
        }
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => {
            in_pattern(left);
            in_pattern(right);
            if let Some(expression) = expression {
                replace_in_expression(expression, variable, constant);
            }
        }
        // Rows are removed only where they share a variable with the right side: it keeps its own.
        GraphPattern::Minus { left, .. } => in_pattern(left),
        GraphPattern::Filter { expr, inner } => {
            replace_in_expression(expr, variable, constant);
            in_pattern(inner);
        }
        GraphPattern::Graph { name, inner } => {
            if matches!(name, NamedNodePattern::Variable(v) if v == variable)
                && let Constant::Iri(iri) = constant
            {
                *name = NamedNodePattern::NamedNode(iri.clone());
            }
            in_pattern(inner);
        }
        GraphPattern::Extend {
            inner,
            variable: bound,
            expression,
        } => {
            if bound != variable {
                replace_in_expression(expression, variable, constant);
                in_pattern(inner);
            } else if param_name(expression).is_some() {
                // The parameter's BIND: now to the constant, so that it stays bound.
                *expression = constant.expression();
                in_pattern(inner);
            }
            // Another BIND of the same variable (`{ … BIND(?fact AS ?about) }` in a union
            // branch) stays as it is: its value must join with the constant.
        }
        // A subquery is evaluated on its own (its LIMIT, grouping and projection), then joined:
        // it keeps its variables, and joining binds them. VALUES joins with the bound variable;
        // a remote service is not ours to rewrite.
        GraphPattern::Project { .. }
        | GraphPattern::OrderBy { .. }
        | GraphPattern::Distinct { .. }
        | GraphPattern::Reduced { .. }
        | GraphPattern::Slice { .. }
        | GraphPattern::Group { .. }
        | GraphPattern::Values { .. }
        | GraphPattern::Service { .. } => {}
    }
}

fn replace_in_triple(triple: &mut TriplePattern, variable: &Variable, constant: &Constant) {
    replace_in_term(&mut triple.subject, variable, constant);
    if matches!(&triple.predicate, NamedNodePattern::Variable(v) if v == variable)
        && let Constant::Iri(iri) = constant
    {
        triple.predicate = NamedNodePattern::NamedNode(iri.clone());
    }
    replace_in_term(&mut triple.object, variable, constant);
}

fn replace_in_term(term: &mut TermPattern, variable: &Variable, constant: &Constant) {
    if matches!(term, TermPattern::Variable(v) if v == variable) {
        *term = constant.term_pattern();
    }
}

fn replace_in_expression(expression: &mut Expression, variable: &Variable, constant: &Constant) {
    match expression {
        Expression::Variable(v) if v == variable => *expression = constant.expression(),
        Expression::Bound(v) if v == variable => *expression = Expression::Literal(true.into()),
        Expression::Exists(pattern) => replace_in_pattern(pattern, variable, constant),
        _ => {
            for child in operands(expression) {
                replace_in_expression(child, variable, constant);
            }
        }
    }
}

/// The operands of an expression (none for terms, variables, BOUND and EXISTS).
fn operands(expression: &mut Expression) -> Vec<&mut Expression> {
    match expression {
        Expression::NamedNode(_)
        | Expression::Literal(_)
        | Expression::Variable(_)
        | Expression::Bound(_)
        | Expression::Exists(_) => Vec::new(),
        Expression::Or(a, b)
        | Expression::And(a, b)
        | Expression::Equal(a, b)
        | Expression::SameTerm(a, b)
        | Expression::Greater(a, b)
        | Expression::GreaterOrEqual(a, b)
        | Expression::Less(a, b)
        | Expression::LessOrEqual(a, b)
        | Expression::Add(a, b)
        | Expression::Subtract(a, b)
        | Expression::Multiply(a, b)
        | Expression::Divide(a, b) => vec![&mut **a, &mut **b],
        Expression::In(a, list) => std::iter::once(&mut **a).chain(list.iter_mut()).collect(),
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => vec![&mut **a],
        Expression::If(a, b, c) => vec![&mut **a, &mut **b, &mut **c],
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => list.iter_mut().collect(),
    }
}

fn inline_in_pattern(pattern: &mut GraphPattern, given: &[(String, Constant)]) {
    match pattern {
        GraphPattern::Filter { expr, .. } => inline_in_expression(expr, given),
        GraphPattern::LeftJoin {
            expression: Some(expr), ..
        } => inline_in_expression(expr, given),
        GraphPattern::Extend { expression, .. } => inline_in_expression(expression, given),
        GraphPattern::OrderBy { expression, .. } => {
            for order in expression {
                let (OrderExpression::Asc(e) | OrderExpression::Desc(e)) = order;
                inline_in_expression(e, given);
            }
        }
        _ => {}
    }
    for child in nested_groups(pattern) {
        inline_in_pattern(child, given);
    }
}

fn inline_in_expression(expression: &mut Expression, given: &[(String, Constant)]) {
    if let Some(name) = param_name(expression) {
        if let Some((_, constant)) = given.iter().find(|(n, _)| n == name) {
            *expression = constant.expression();
        }
        return;
    }
    if let Expression::Exists(pattern) = expression {
        return inline_in_pattern(pattern, given);
    }
    for child in operands(expression) {
        inline_in_expression(child, given);
    }
}

#[cfg(test)]
mod tests {
    use oxigraph::model::{GraphNameRef, QuadRef};
    use oxigraph::sparql::{QueryResults, SparqlEvaluator};
    use oxigraph::store::Store;

    use super::*;

    const EX: &str = "http://example.com/";

    fn store() -> Store {
        let store = Store::new().unwrap();
        let iri = |local: &str| NamedNode::new(format!("{EX}{local}")).unwrap();
        let facts = [
            ("m1", "member", "skv"),
            ("m1", "group", "hsam"),
            ("m2", "member", "fk"),
            ("m2", "group", "hsam"),
            ("m3", "member", "skv"),
            ("m3", "group", "ena"),
            ("skv", "label", "Skatteverket"),
            ("fk", "label", "Försäkringskassan"),
        ];
        for (s, p, o) in facts {
            let object: Term = if p == "label" {
                Literal::new_language_tagged_literal_unchecked(o, "sv").into()
            } else {
                iri(o).into()
            };
            store
                .insert(QuadRef::new(&iri(s), &iri(p), &object, GraphNameRef::DefaultGraph))
                .unwrap();
        }
        store
    }

    fn evaluator(params: &[(String, Term)]) -> SparqlEvaluator {
        let params = params.to_vec();
        SparqlEvaluator::new()
            .with_prefix("ex", EX)
            .unwrap()
            .with_prefix("esam", "https://w3id.org/esam-kg/ns#")
            .unwrap()
            .with_custom_function(vocab::esam::PARAM.into_owned(), move |args: &[Term]| match args {
                [Term::Literal(name)] => params.iter().find(|(k, _)| k == name.value()).map(|(_, t)| t.clone()),
                _ => None,
            })
    }

    fn rows(results: QueryResults<'_>) -> Vec<String> {
        let QueryResults::Solutions(solutions) = results else {
            panic!("not a SELECT")
        };
        let mut rows: Vec<String> = solutions
            .map(|row| {
                let row = row.unwrap();
                let mut cells: Vec<String> = row.iter().map(|(v, t)| format!("{v}={t}")).collect();
                cells.sort();
                cells.join(" ")
            })
            .collect();
        rows.sort();
        rows
    }

    /// The answers with the parameters as constants, the rewritten query's text, and the
    /// answers through the extension function alone.
    fn both(query: &str, params: &[(&str, &str)]) -> (Vec<String>, String, Vec<String>) {
        let store = store();
        let params: Vec<(String, Term)> = params
            .iter()
            .map(|(name, local)| (name.to_string(), NamedNode::new(format!("{EX}{local}")).unwrap().into()))
            .collect();
        let through_function = rows(
            evaluator(&params)
                .parse_query(query)
                .unwrap()
                .on_store(&store)
                .execute()
                .unwrap(),
        );
        let mut parsed = spargebra::SparqlParser::new()
            .with_prefix("ex", EX)
            .unwrap()
            .with_prefix("esam", "https://w3id.org/esam-kg/ns#")
            .unwrap()
            .parse_query(query)
            .unwrap();
        substitute(&mut parsed, &params);
        let text = parsed.to_string();
        let substituted = rows(evaluator(&params).for_query(parsed).on_store(&store).execute().unwrap());
        (substituted, text, through_function)
    }

    const BOUND_FIRST: &str = r#"SELECT ?organisation ?group ?label WHERE {
        BIND(esam:param("organisation") AS ?organisation)
        ?m ex:member ?organisation ; ex:group ?group .
        OPTIONAL { ?organisation ex:label ?label FILTER(BOUND(?organisation)) }
    }"#;

    #[test]
    fn a_given_parameter_becomes_a_constant_of_the_patterns_with_the_same_answers() {
        let (substituted, text, through_function) = both(BOUND_FIRST, &[("organisation", "skv")]);
        assert_eq!(substituted, through_function);
        assert_eq!(substituted.len(), 2, "{substituted:?}");
        assert!(
            substituted
                .iter()
                .all(|row| row.contains("organisation=<http://example.com/skv>"))
        );
        assert!(
            text.contains("<http://example.com/member> <http://example.com/skv>"),
            "{text}"
        );
        assert!(!text.contains("param"), "{text}");
    }

    #[test]
    fn a_parameter_not_given_stays_unbound() {
        let (substituted, text, through_function) = both(BOUND_FIRST, &[]);
        assert_eq!(substituted, through_function);
        assert_eq!(substituted.len(), 3, "{substituted:?}");
        assert!(text.contains("param"), "{text}");
    }

    #[test]
    fn scopes_are_kept_in_nested_groups_subqueries_and_minus() {
        let shapes = [
            // The BIND's group is the OPTIONAL: the outer ?organisation is another matter.
            r#"SELECT * WHERE { ?m ex:member ?o . OPTIONAL { BIND(esam:param("organisation") AS ?o) ?o ex:label ?l } }"#,
            // A union branch binds it; the other branch does not.
            r#"SELECT * WHERE { { BIND(esam:param("organisation") AS ?o) ?m ex:member ?o } UNION { ?m ex:member ?o } }"#,
            // A subquery with a LIMIT of its own, joined on the variable.
            r#"SELECT * WHERE { BIND(esam:param("organisation") AS ?o) { SELECT ?o WHERE { ?m ex:member ?o } ORDER BY ?m LIMIT 1 } }"#,
            // A subquery that does not project it has its own ?o.
            r#"SELECT * WHERE { BIND(esam:param("organisation") AS ?o) { SELECT ?m WHERE { ?m ex:member ?o } } }"#,
            // MINUS removes only rows that share a variable with its right side.
            r#"SELECT * WHERE { BIND(esam:param("organisation") AS ?o) ?m ex:group ?g MINUS { ?x ex:member ?o } }"#,
            // A union branch that binds the variable itself must join with the constant.
            r#"SELECT * WHERE { BIND(esam:param("organisation") AS ?o)
               { ?m ex:member ?y BIND(?y AS ?o) } UNION { ?m ex:group ?o } }"#,
            // EXISTS, expressions, grouping, and the constant elsewhere.
            r#"SELECT ?o (COUNT(?m) AS ?n) WHERE { BIND(esam:param("organisation") AS ?o) ?m ex:group ?g
               FILTER EXISTS { ?m ex:member ?o } FILTER(?o != ex:fk || COALESCE(esam:param("group"), 1)) } GROUP BY ?o"#,
        ];
        for shape in shapes {
            for params in [
                &[("organisation", "skv")][..],
                &[("organisation", "fk"), ("group", "hsam")],
                &[],
            ] {
                let (substituted, text, through_function) = both(shape, params);
                assert_eq!(substituted, through_function, "{shape} with {params:?}: {text}");
            }
        }
    }
}
