#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests need, starts a
# throwaway PostgreSQL 15 cluster, checks formatting and lints, runs every test (each store, app, HTTP and browser test
# runs on SQLite and on PostgreSQL), then stops the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-deps.sh
if [ -x /usr/local/bin/initdb ]; then export PG_BIN=/usr/local/bin; else export PG_BIN=/usr/lib/postgresql/15/bin; fi
id postgres >/dev/null 2>&1 || [ "$(id -u)" != 0 ] || useradd --system --no-create-home postgres

eval "$(scripts/pg-cluster.sh start)"
trap 'scripts/pg-cluster.sh stop "$QINGLING_PG_DIR"' EXIT
echo "PostgreSQL test cluster: $QINGLING_TEST_PG"

cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked "$@"
