#!/usr/bin/env bash
# Build-time step of the tuned image: initialise the seed cluster that the entrypoint unpacks
# into PGDATA at start, for the PGTDD_SEED_* credentials, with the tuned settings in its
# postgresql.conf; store it as $PGTDD_SEED.tar, and what the entrypoint compares (names and
# fingerprints, never the password) as $PGTDD_SEED.env.
set -Eeuo pipefail
# shellcheck source-path=SCRIPTDIR source=pgtdd-entrypoint.sh
. /usr/local/bin/pgtdd-entrypoint.sh

export POSTGRES_USER="${PGTDD_SEED_USER:?PGTDD_SEED_USER is required}"
export POSTGRES_PASSWORD="${PGTDD_SEED_PASSWORD:?PGTDD_SEED_PASSWORD is required}"
export POSTGRES_DB="${PGTDD_SEED_DB:?PGTDD_SEED_DB is required}"
export PGDATA="$PGTDD_SEED"
unset POSTGRES_INITDB_ARGS POSTGRES_INITDB_WALDIR POSTGRES_HOST_AUTH_METHOD
pgtdd_setup_env
rm -rf "$PGDATA" "$PGTDD_SEED.tar" "$PGTDD_SEED.env"
pgtdd_prepare_dirs
pgtdd_init_cluster
pgtdd_write_hba
tar -cf "$PGTDD_SEED.tar" -C "$PGDATA" .
rm -rf "$PGDATA"
pgtdd_write_seed_env
chown postgres:postgres "$PGTDD_SEED.tar"
chmod 600 "$PGTDD_SEED.tar"
chmod 644 "$PGTDD_SEED.env"
pgtdd_log "seed cluster ready: $PGTDD_SEED.tar ($(du -h "$PGTDD_SEED.tar" | cut -f1)), user $POSTGRES_USER, database $POSTGRES_DB"
