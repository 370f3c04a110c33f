#!/usr/bin/env bash
# Prepare a machine for pgtdd's test suite: `bash scripts/bootstrap.sh && .venv/bin/pytest`.
# Idempotent and quick when everything is there. On Debian, as root (or with sudo):
#   1. apt-get install docker.io, mmdebstrap and PostgreSQL's binaries when missing;
#   2. start dockerd in the background when no Docker engine answers, and wait for it;
#   3. create .venv and `pip install -e '.[dev]'` when missing or pyproject.toml changed;
#   4. build pgtdd/postgres:<major> for each major of PGTDD_BOOTSTRAP_PG_VERSIONS (default
#      "18 15": the default and the oldest, the two CI runs on) when absent or built from other
#      sources: `docker build` on postgres:<major> when that image is present or a registry
#      answers, else the offline build (mmdebstrap + docker import; see containers/image.py).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

START=$SECONDS
DOCKERD_LOG=${PGTDD_DOCKERD_LOG:-/var/log/pgtdd-dockerd.log}
DOCKERD_WAIT_S=${PGTDD_DOCKERD_WAIT_S:-60}

say() { printf 'bootstrap [%3ss]: %s\n' "$((SECONDS - START))" "$*"; }
die() { printf 'bootstrap: error: %s\n' "$*" >&2; exit 1; }

as_root() {
	if [[ "$(id -u)" == 0 ]]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "'$*' needs root: run this script as root or install sudo"
	fi
}

install_packages() {
	local -a missing=()
	command -v dockerd >/dev/null || missing+=(docker.io)
	command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
	python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
	# PostgreSQL binaries for the native provider (and its tests); no system cluster is wanted.
	compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
	if ((${#missing[@]} == 0)); then
		say "docker.io, mmdebstrap, python3 venv and PostgreSQL binaries are installed"
		return
	fi
	command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get: install them by hand"
	say "installing ${missing[*]} (apt-get update + install)"
	as_root apt-get update -q >/dev/null || die "apt-get update failed: check the apt sources"
	if [[ " ${missing[*]} " == *" postgresql "* ]]; then
		# Debian's postinst would create and start a `main` cluster on port 5432: not wanted.
		# As the official image does: postgresql-common first, then switch that off.
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			postgresql-common >/dev/null || die "apt-get install postgresql-common failed"
		as_root sed -ri 's/^#?\s*(create_main_cluster)\s*=.*$/\1 = false/' \
			/etc/postgresql-common/createcluster.conf
	fi
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
}

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

start_engine() {
	if engine_answers; then
		say "a Docker engine answers"
		return
	fi
	command -v dockerd >/dev/null || die "dockerd not found: apt-get install docker.io"
	say "starting dockerd in the background (log: $DOCKERD_LOG)"
	as_root sh -c "setsid nohup dockerd >>'$DOCKERD_LOG' 2>&1 </dev/null &"
	local waited=0
	until engine_answers; do
		if ((waited >= DOCKERD_WAIT_S)); then
			tail -n 20 "$DOCKERD_LOG" >&2 || true
			die "dockerd did not answer within ${DOCKERD_WAIT_S}s (its log is above: $DOCKERD_LOG)"
		fi
		sleep 1
		waited=$((waited + 1))
	done
	say "dockerd answers"
}

install_venv() {
	local stamp=.venv/.pgtdd-pyproject.sha256 want
	if [[ ! -x .venv/bin/python ]]; then
		say "creating .venv"
		python3 -m venv .venv || die "python3 -m venv .venv failed (apt-get install python3-venv)"
	fi
	want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
	if [[ -r "$stamp" && "$(<"$stamp")" == "$want" ]] && .venv/bin/python -c 'import pgtdd.fixtures.plugin' 2>/dev/null; then
		say ".venv is up to date with pyproject.toml"
		return
	fi
	say "pip install -e '.[dev]' into .venv"
	.venv/bin/python -m pip install -q --upgrade pip >/dev/null || die "pip upgrade failed"
	.venv/bin/python -m pip install -q -e '.[dev]' || die "pip install -e '.[dev]' failed (output above)"
	printf '%s\n' "$want" >"$stamp"
}

build_image() {
	local -a versions=()
	local v
	for v in ${PGTDD_BOOTSTRAP_PG_VERSIONS:-18 15}; do versions+=(--version "$v"); done
	.venv/bin/python -m pgtdd.providers.image ensure "${versions[@]}" \
		|| die "building the pgtdd/postgres images failed (cause above); retry: .venv/bin/pgtdd image build --version N"
}

install_packages
start_engine
install_venv
build_image
say "ready: run .venv/bin/pytest"
