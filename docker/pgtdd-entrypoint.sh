#!/usr/bin/env bash
# pgtdd entrypoint: the official postgres image's contract, plus a pre-initialised fast path.
#
# Contract (as in the official image):
#   POSTGRES_USER (default postgres), POSTGRES_PASSWORD, POSTGRES_DB (default = user), PGDATA
#   (default /var/lib/postgresql/data), POSTGRES_HOST_AUTH_METHOD (default scram-sha-256),
#   POSTGRES_INITDB_ARGS, *_FILE variants of the first three, /docker-entrypoint-initdb.d.
#   `docker run IMAGE -c k=v` runs `postgres -c k=v`; any other command runs as given.
#
# Start paths for an empty PGDATA (one log line "start path: ..." says which was taken):
#   fast:    the image's seed cluster (initialised at build time, see pgtdd-build-seed.sh) is
#            unpacked into PGDATA: the requested user, password and database are the seed's.
#   adapted: other credentials, same locale and initdb arguments: the seed is unpacked, and in
#            single-user mode its superuser (OID 10, as initdb would make it) is renamed and
#            given the requested password, and its database renamed or dropped.
#   initdb:  otherwise (other locale, POSTGRES_INITDB_ARGS, no seed): initdb, as the official
#            image does.
# No server listens on TCP before the final server is ready: the slow path creates the
# database in single-user mode, and init scripts run against a socket-only server.
set -Eeuo pipefail

PGTDD_SHARE=${PGTDD_SHARE:-/usr/local/share/pgtdd}
PGTDD_SEED=${PGTDD_SEED:-/usr/local/share/pgtdd/seed}  # $PGTDD_SEED.tar and $PGTDD_SEED.env

pgtdd_log() {
	printf 'pgtdd-entrypoint: %s\n' "$*"
}

pgtdd_die() {
	printf 'pgtdd-entrypoint: error: %s\n' "$*" >&2
	exit 1
}

pgtdd_now_ms() {
	date +%s%3N
}

# file_env VAR [DEFAULT]: VAR or the contents of the file named by VAR_FILE.
file_env() {
	local var="$1" fileVar="${1}_FILE" def="${2:-}"
	if [[ -n "${!var:-}" && -n "${!fileVar:-}" ]]; then
		pgtdd_die "both $var and $fileVar are set (they are exclusive): set only one"
	fi
	local val="$def"
	if [[ -n "${!var:-}" ]]; then
		val="${!var}"
	elif [[ -n "${!fileVar:-}" ]]; then
		val="$(<"${!fileVar}")"
	fi
	export "$var"="$val"
	unset "$fileVar"
}

# Run a command as the postgres user (no gosu on Debian: setpriv from util-linux).
as_postgres() {
	if [[ "$(id -u)" != 0 ]]; then
		"$@"
	elif command -v setpriv >/dev/null; then
		HOME=/var/lib/postgresql setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
	elif command -v gosu >/dev/null; then
		gosu postgres "$@"
	else
		pgtdd_die "neither setpriv (util-linux) nor gosu found: install util-linux in the image"
	fi
}

pgtdd_setup_env() {
	file_env POSTGRES_PASSWORD
	file_env POSTGRES_USER postgres
	file_env POSTGRES_DB "$POSTGRES_USER"
	file_env POSTGRES_INITDB_ARGS
	export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
	export POSTGRES_HOST_AUTH_METHOD="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
	local name
	for name in "$POSTGRES_USER" "$POSTGRES_DB"; do
		if [[ "$name" == *$'\n'* || "$name" == *$'\r'* ]]; then
			pgtdd_die "POSTGRES_USER and POSTGRES_DB must not contain line breaks"
		fi
	done
}

pgtdd_verify_password() {
	if [[ -z "$POSTGRES_PASSWORD" && "$POSTGRES_HOST_AUTH_METHOD" != trust ]]; then
		pgtdd_die "the superuser password is not set: pass -e POSTGRES_PASSWORD=... \
(or -e POSTGRES_HOST_AUTH_METHOD=trust to allow connections without a password)"
	fi
}

pgtdd_prepare_dirs() {
	mkdir -p "$PGDATA"
	if [[ "$(id -u)" == 0 ]]; then
		chown postgres:postgres "$PGDATA"
		mkdir -p /var/run/postgresql
		chown postgres:postgres /var/run/postgresql
		chmod 2777 /var/run/postgresql
	fi
	# As another user (docker run --user), PGDATA must already belong to it (as in the
	# official image); postgres then says so itself if it does not.
	chmod 700 "$PGDATA" 2>/dev/null || :
}

# Fingerprints (never printed): what initdb's result depends on besides the credentials, and
# the credentials themselves.
pgtdd_shape_fingerprint() {
	printf '%s\0%s\0%s\0' "${LANG:-}" "${LC_ALL:-}" "$POSTGRES_INITDB_ARGS" \
		| sha256sum | cut -d' ' -f1
}

pgtdd_credentials_fingerprint() {
	printf '%s\0%s\0%s\0' "$POSTGRES_USER" "$POSTGRES_PASSWORD" "$POSTGRES_DB" \
		| sha256sum | cut -d' ' -f1
}

# Sets PGTDD_SEED_USER, PGTDD_SEED_DB, PGTDD_SEED_SHAPE, PGTDD_SEED_CREDENTIALS; fails when
# the image has no seed.
pgtdd_load_seed() {
	[[ -r "$PGTDD_SEED.tar" && -r "$PGTDD_SEED.env" ]] || return 1
	# shellcheck source=/dev/null
	. "$PGTDD_SEED.env"
}

pgtdd_write_seed_env() {
	{
		printf 'PGTDD_SEED_USER=%q\n' "$POSTGRES_USER"
		printf 'PGTDD_SEED_DB=%q\n' "$POSTGRES_DB"
		printf 'PGTDD_SEED_SHAPE=%q\n' "$(pgtdd_shape_fingerprint)"
		printf 'PGTDD_SEED_CREDENTIALS=%q\n' "$(pgtdd_credentials_fingerprint)"
	} >"$PGTDD_SEED.env"
}

pgtdd_write_hba() {
	cat >"$PGDATA/pg_hba.conf" <<-EOF
		# written by pgtdd-entrypoint: Unix socket trusted inside the container, TCP needs
		# POSTGRES_HOST_AUTH_METHOD ($POSTGRES_HOST_AUTH_METHOD)
		local all all trust
		local replication all trust
		host all all all $POSTGRES_HOST_AUTH_METHOD
		host replication all all $POSTGRES_HOST_AUTH_METHOD
	EOF
	if [[ "$(id -u)" == 0 ]]; then chown postgres:postgres "$PGDATA/pg_hba.conf"; fi
}

pgtdd_quote_ident() {
	local s="${1//\"/\"\"}"
	printf '"%s"' "$s"
}

pgtdd_quote_literal() {
	local s="${1//\'/\'\'}"
	printf "'%s'" "$s"
}

# Run SQL lines (one statement per line) in single-user mode, connected to the database
# "postgres" as the bootstrap superuser (OID 10; always so in single-user mode): no listener
# at all. Any ERROR fails the start; output is shown with the password masked and without
# statement texts.
pgtdd_single_user() {
	local out
	out="$(printf '%s\n' "$@" | as_postgres postgres --single -D "$PGDATA" \
		-c listen_addresses='' -c fsync=off -c log_min_error_statement=panic \
		postgres 2>&1)" || true
	if [[ -n "$POSTGRES_PASSWORD" ]]; then out="${out//"$POSTGRES_PASSWORD"/***}"; fi
	if grep -qE 'ERROR:|FATAL:|PANIC:' <<<"$out"; then
		pgtdd_die "single-user mode failed: $(grep -E 'ERROR:|FATAL:|PANIC:|DETAIL:|HINT:' <<<"$out")"
	fi
}

# initdb for POSTGRES_USER/PASSWORD, tuned settings, POSTGRES_DB.
pgtdd_init_cluster() {
	local pwfile
	pwfile="$(mktemp)"
	printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
	if [[ "$(id -u)" == 0 ]]; then chown postgres "$pwfile"; fi
	local -a args=(--username="$POSTGRES_USER" --pwfile="$pwfile" --encoding=UTF8 --no-sync
		--auth-local=trust --auth-host="$POSTGRES_HOST_AUTH_METHOD")
	if [[ -n "${POSTGRES_INITDB_WALDIR:-}" ]]; then args+=(--waldir="$POSTGRES_INITDB_WALDIR"); fi
	local out
	# shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a word list, as in the official image
	if ! out="$(as_postgres initdb -D "$PGDATA" "${args[@]}" $POSTGRES_INITDB_ARGS 2>&1)"; then
		rm -f "$pwfile"
		pgtdd_die "initdb failed: $out"
	fi
	rm -f "$pwfile"
	if [[ -r "$PGTDD_SHARE/tuned.conf" ]]; then
		cat "$PGTDD_SHARE/tuned.conf" >>"$PGDATA/postgresql.conf"
	fi
	printf "listen_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
	case "$POSTGRES_DB" in
		postgres | template0 | template1) ;;  # initdb made it
		*) pgtdd_single_user "CREATE DATABASE $(pgtdd_quote_ident "$POSTGRES_DB");" ;;
	esac
}

pgtdd_unpack_seed() {
	tar -xf "$PGTDD_SEED.tar" -C "$PGDATA"
}

# Give the unpacked seed the requested credentials (see "adapted" at the top).
pgtdd_adapt_seed() {
	local user seed_user db seed_db swap
	user="$(pgtdd_quote_ident "$POSTGRES_USER")"
	seed_user="$(pgtdd_quote_ident "$PGTDD_SEED_USER")"
	db="$(pgtdd_quote_ident "$POSTGRES_DB")"
	seed_db="$(pgtdd_quote_ident "$PGTDD_SEED_DB")"
	swap="\"pgtdd_swap_$$_$RANDOM\""
	local -a sql=()
	if [[ "$POSTGRES_USER" != "$PGTDD_SEED_USER" ]]; then
		# The session user cannot be renamed: rename it from a temporary superuser's session.
		sql+=("CREATE ROLE $swap SUPERUSER;" "SET SESSION AUTHORIZATION $swap;"
			"ALTER ROLE $seed_user RENAME TO $user;" "SET SESSION AUTHORIZATION $user;"
			"DROP ROLE $swap;")
	fi
	if [[ -n "$POSTGRES_PASSWORD" ]]; then
		sql+=("ALTER ROLE $user PASSWORD $(pgtdd_quote_literal "$POSTGRES_PASSWORD");")
	else
		sql+=("ALTER ROLE $user PASSWORD NULL;")
	fi
	if [[ "$POSTGRES_DB" != "$PGTDD_SEED_DB" ]]; then
		case "$POSTGRES_DB" in
			postgres | template0 | template1) sql+=("DROP DATABASE $seed_db;") ;;
			*) sql+=("ALTER DATABASE $seed_db RENAME TO $db;") ;;
		esac
	fi
	pgtdd_single_user "${sql[@]}"
}

# Which way an empty PGDATA gets its cluster: sets PGTDD_PATH (fast, adapted or initdb) and
# PGTDD_WHY (the reason).
pgtdd_choose_path() {
	PGTDD_PATH=initdb
	if ! pgtdd_load_seed; then
		PGTDD_WHY="this image has no seed"
	elif [[ -n "${POSTGRES_INITDB_WALDIR:-}" || "$(pgtdd_shape_fingerprint)" != "$PGTDD_SEED_SHAPE" ]]; then
		PGTDD_WHY="locale or initdb arguments differ from the seed's"
	elif [[ "$POSTGRES_PASSWORD" == *$'\n'* || "$POSTGRES_PASSWORD" == *$'\r'* ]]; then
		PGTDD_WHY="the password has a line break"
	elif [[ "$(pgtdd_credentials_fingerprint)" == "$PGTDD_SEED_CREDENTIALS" ]]; then
		PGTDD_PATH=fast
		PGTDD_WHY="pre-initialised seed unpacked"
	else
		PGTDD_PATH=adapted
		PGTDD_WHY="seed unpacked, credentials differ from the seed's: superuser renamed, password set"
	fi
}

# Files in /docker-entrypoint-initdb.d run against a server listening on its socket only.
pgtdd_run_init_scripts() {
	local dir=/docker-entrypoint-initdb.d
	[[ -d "$dir" ]] || return 0
	local -a files=("$dir"/*)
	[[ -e "${files[0]}" ]] || return 0
	pgtdd_log "running init scripts from $dir (socket-only server)"
	as_postgres pg_ctl -D "$PGDATA" -w -o "-c listen_addresses=''" start >/dev/null
	local f
	local -a psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER"
		--dbname "$POSTGRES_DB")
	for f in "${files[@]}"; do
		case "$f" in
			*.sh)
				pgtdd_log "running $f"
				# shellcheck source=/dev/null
				if [[ -x "$f" ]]; then "$f"; else . "$f"; fi
				;;
			*.sql) pgtdd_log "running $f"; as_postgres "${psql[@]}" -f "$f" >/dev/null ;;
			*.sql.gz) pgtdd_log "running $f"; gunzip -c "$f" | as_postgres "${psql[@]}" >/dev/null ;;
			*) pgtdd_log "ignoring $f" ;;
		esac
	done
	as_postgres pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
}

pgtdd_init_data() {
	local t0
	t0="$(pgtdd_now_ms)"
	pgtdd_verify_password
	pgtdd_choose_path
	case "$PGTDD_PATH" in
		fast) pgtdd_unpack_seed ;;
		adapted) pgtdd_unpack_seed && pgtdd_adapt_seed ;;
		*) pgtdd_init_cluster ;;
	esac
	pgtdd_write_hba
	pgtdd_log "start path: $PGTDD_PATH ($PGTDD_WHY; $PGDATA ready in $(($(pgtdd_now_ms) - t0)) ms)"
	pgtdd_run_init_scripts
}

pgtdd_wants_help() {
	local arg
	for arg; do
		case "$arg" in
			-'?' | --help | --describe-config | -V | --version) return 0 ;;
		esac
	done
	return 1
}

pgtdd_main() {
	if [[ "${1:-}" == -* ]]; then
		set -- postgres "$@"
	fi
	if [[ "${1:-}" == postgres ]] && ! pgtdd_wants_help "$@"; then
		pgtdd_setup_env
		pgtdd_prepare_dirs
		if [[ -s "$PGDATA/PG_VERSION" ]]; then
			pgtdd_log "start path: existing (PGDATA already holds a cluster)"
		else
			pgtdd_init_data
		fi
		unset POSTGRES_PASSWORD
		if [[ "$(id -u)" == 0 ]]; then
			export HOME=/var/lib/postgresql
			if command -v setpriv >/dev/null; then
				exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
			fi
			exec gosu postgres "$@"
		fi
	fi
	exec "$@"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	pgtdd_main "$@"
fi
