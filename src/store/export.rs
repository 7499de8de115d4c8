//! The store written out: sorted N-Quads (the same content, the same bytes), TriG, and the
//! triples of one graph or of the merge in any triple format, with the usual prefixes.

use std::io::Write;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, NamedNode, Quad, Triple};
use oxigraph::store::StorageError;

use super::{ExportFormat, Store, StoreError};
use crate::vocab;

impl Store {
    /// Writes the store (or one graph) to `writer`. N-Quads output is sorted so
    /// that the same content always gives the same bytes.
    pub fn export(
        &self,
        format: ExportFormat,
        graph: Option<&NamedNode>,
        writer: impl Write,
    ) -> Result<(), StoreError> {
        // One graph's quads, or those of every named graph (the merge left out).
        let quads: Box<dyn Iterator<Item = Result<Quad, StorageError>>> = match graph {
            Some(graph) => Box::new(self.inner.quads_for_pattern(None, None, None, Some(graph.into()))),
            None => Box::new(self.quads()),
        };
        match format {
            ExportFormat::NQuads => {
                let mut lines = quads
                    .map(|q| q.map(|q| format!("{q} .\n")))
                    .collect::<Result<Vec<_>, _>>()?;
                lines.sort_unstable();
                let mut writer = std::io::BufWriter::new(writer);
                for line in lines {
                    writer.write_all(line.as_bytes())?;
                }
                writer.flush()?;
            }
            ExportFormat::TriG => {
                let mut out = with_prefixes(RdfSerializer::from_format(RdfFormat::TriG)).for_writer(writer);
                for quad in quads {
                    out.serialize_quad(&quad?)?;
                }
                out.finish()?;
            }
            ExportFormat::Turtle => self.write_triples(graph, RdfFormat::Turtle, writer)?,
        }
        Ok(())
    }

    /// Writes the triples of one graph, or of all graphs merged (each triple
    /// once), in a triple format (Turtle, N-Triples, RDF/XML, JSON-LD …).
    pub fn write_triples(
        &self,
        graph: Option<&NamedNode>,
        format: RdfFormat,
        writer: impl Write,
    ) -> Result<(), StoreError> {
        let mut out = with_prefixes(RdfSerializer::from_format(format)).for_writer(writer);
        // One graph, or the merge: the default graph holds it.
        let graph = graph.map_or(GraphNameRef::DefaultGraph, GraphNameRef::from);
        for quad in self.inner.quads_for_pattern(None, None, None, Some(graph)) {
            out.serialize_triple(&Triple::from(quad?))?;
        }
        out.finish()?;
        Ok(())
    }
}

/// A serializer with the usual prefixes declared.
pub fn with_prefixes(mut serializer: RdfSerializer) -> RdfSerializer {
    for (prefix, iri) in vocab::PREFIXES {
        serializer = match serializer.clone().with_prefix(*prefix, *iri) {
            Ok(with) => with,
            Err(_) => serializer,
        };
    }
    serializer
}

/// Writes `triples` in `format` with the usual prefixes.
pub fn write_graph(
    triples: impl IntoIterator<Item = oxigraph::model::Triple>,
    format: RdfFormat,
    writer: impl std::io::Write,
) -> std::io::Result<()> {
    let mut out = with_prefixes(RdfSerializer::from_format(format)).for_writer(writer);
    for triple in triples {
        out.serialize_triple(&triple)?;
    }
    out.finish().map(|_| ())
}
