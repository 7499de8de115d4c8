#!/usr/bin/env bash
# Benchmarks (issue 9), run on demand, never in CI: builds esam-kg and Oxigraph's own CLI
# (`oxigraph load`, `oxigraph serve`) in release mode, then bench/bench.py measures both on the
# same quads and writes BENCHMARKS.md. Arguments go to bench/bench.py, e.g.
#
#   bench/run.sh                                   # everything: N = 100, 1,000, 10,000
#   bench/run.sh --sizes 100,1000 --seconds 2      # a quicker look
#   bench/run.sh --skip import,startup --out /tmp/b.md
#
# oxigraph-cli is built from its crates.io package at the oxigraph version in our Cargo.lock,
# with our Cargo.lock's versions of the shared dependencies and our target directory, so that
# cargo reuses the RocksDB (C++) build when it can instead of compiling it a third time
# (about 20 minutes on 2 cores). Its default TLS (native-tls, needing OpenSSL headers) is
# swapped for rustls; the GeoSPARQL functions are left out. Neither touches the query engine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-build-deps
sudo=""; if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
for tool in wrk taskset; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk util-linux >/dev/null
  fi
done
if [ ! -x /usr/bin/time ]; then
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time >/dev/null
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${HOME:-/root}/.cache/esam-kg/target}"

echo "== building esam-kg (release)" >&2
cargo build --locked --release --bin esam-kg

version="$(awk '/^name = "oxigraph"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)"
source_dir="$CARGO_TARGET_DIR/bench-src/oxigraph-cli-$version"
if [ ! -f "$source_dir/Cargo.toml" ]; then
  echo "== fetching oxigraph-cli $version from crates.io" >&2
  mkdir -p "$CARGO_TARGET_DIR/bench-src"
  curl -fsSL "https://static.crates.io/crates/oxigraph-cli/oxigraph-cli-$version.crate" \
    | tar -xz -C "$CARGO_TARGET_DIR/bench-src"
fi
cp Cargo.lock "$source_dir/Cargo.lock"
echo "== building oxigraph-cli $version (release)" >&2
# With the [profile.release] settings of our Cargo.toml, read from it (a package from
# crates.io carries no profile): the same code generation for both servers, and the same
# profile is what lets cargo reuse the RocksDB build.
profile=()
while IFS= read -r setting; do
  profile+=(--config "profile.release.$setting")
done < <(awk '/^\[/ { in_release = ($0 == "[profile.release]"); next }
              in_release && /=/ && !/^[ \t]*#/ { gsub(/[ \t]/, ""); print }' Cargo.toml)
cargo build --release --manifest-path "$source_dir/Cargo.toml" --bin oxigraph "${profile[@]}" \
  --no-default-features --features rustls-webpki,rdf-12

echo "== building the extraction benchmark (criterion)" >&2
cargo bench --locked --profile release --bench extraction --no-run
extraction_log="$(mktemp)"
echo "== extraction benchmark on one core" >&2
taskset -c 0 cargo bench --locked --profile release --bench extraction | tee "$extraction_log" >&2

exec python3 bench/bench.py --esam "$CARGO_TARGET_DIR/release/esam-kg" \
  --oxigraph "$CARGO_TARGET_DIR/release/oxigraph" --extraction-log "$extraction_log" "$@"
