//! Extraction alone (issue 9): the text of synthetic newsletters (`esam-kg corpus`, seed 9)
//! parsed into blocks and read into facts on one thread, with no store, in MB of input per
//! second. Run by `bench/run.sh` as `cargo bench --bench extraction`; never in CI.

use std::hint::black_box;

/// The allocator of the `esam-kg` binary, so that the figure is what an import gets.
#[cfg(feature = "jemalloc")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use esam_kg::corpus::Material;
use esam_kg::ids::Ids;
use esam_kg::import::Importer;
use esam_kg::ingest::{IngestLimits, parse_bytes};
use esam_kg::reference::Reference;

/// How many newsletters one iteration reads (about 0.8 MB).
const NEWSLETTERS: usize = 100;

fn extraction(c: &mut Criterion) {
    let ids = Ids::default();
    let reference = Reference::load(&ids).expect("the bundled reference data loads");
    let material = Material::bundled(&reference.lexicon);
    let texts: Vec<(String, String)> = (0..NEWSLETTERS).map(|n| material.newsletter(9, n)).collect();
    let bytes: usize = texts.iter().map(|(_, text)| text.len()).sum();
    let limits = IngestLimits::default();
    let importer = Importer::new(ids, reference, limits, None);

    let mut group = c.benchmark_group("extraction");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function(format!("parse and extract {NEWSLETTERS} newsletters"), |b| {
        b.iter(|| {
            for (name, text) in &texts {
                let document = parse_bytes(name, text.as_bytes(), limits).expect("generated newsletters parse");
                black_box(importer.extract(&document));
            }
        });
    });
    group.finish();
}

criterion_group!(benches, extraction);
criterion_main!(benches);
