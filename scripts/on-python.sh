#!/usr/bin/env bash
# Run pgtdd's test suite on another Python:  bash scripts/on-python.sh 3.14 [pytest args...]
# (after scripts/bootstrap.sh: Docker engine, pgtdd/postgres image, PostgreSQL binaries, .venv).
# The interpreter comes from, in this order (PGTDD_PYTHON_SOURCE=host|debian picks one):
#   host    python3.X on the host: /usr/bin, /usr/local/bin or pyenv ($PYENV_ROOT/versions/3.X.*);
#   debian  Debian's python3.X in a root filesystem (3.13: trixie, 3.14: forky), built once with
#           mmdebstrap into $PGTDD_PYTHON_ROOTS (/var/cache/pgtdd/python) with this host's
#           PostgreSQL server packages (same majors, from the host's suite), so that only Python
#           differs. The suite runs chrooted there in a mount namespace of its own that has the
#           host's /dev, /proc, /sys, /tmp, Docker socket and CA bundle, and this checkout at the
#           same path; network and process ids are the host's. Needs root (CI runs as root).
# Either way the project is installed editable into .venv-3.X (rebuilt when pyproject.toml or the
# interpreter changes), and the exit status is pytest's.
set -euo pipefail

SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
START=$SECONDS
say() { printf 'on-python [%3ss]: %s\n' "$((SECONDS - START))" "$*"; }
die() { printf 'on-python: error: %s\n' "$*" >&2; exit 2; }

debian_suite_for() {
	case "$1" in
	3.13) echo trixie ;;
	3.14) echo forky ;;
	*) return 1 ;;
	esac
}

# ------------------------------------------------------------------ inside the mount namespace

if [[ "${1:-}" == --in-namespace ]]; then
	shift
	root=$1 checkout=$2 pyver=$3
	shift 3
	mount --rbind /dev "$root/dev"
	mount -t proc proc "$root/proc"
	mount --rbind /sys "$root/sys"
	mount --bind /tmp "$root/tmp"
	mkdir -p "$root$checkout"
	mount --bind "$checkout" "$root$checkout"
	for file in /etc/resolv.conf /etc/hosts /etc/ssl/certs/ca-certificates.crt /run/docker.sock; do
		[[ -e "$file" ]] || continue
		mkdir -p "$root$(dirname "$file")"
		[[ -e "$root$file" && ! -L "$root$file" ]] || { rm -f "$root$file"; : >"$root$file"; }
		mount --bind "$file" "$root$file"
	done
	exec chroot "$root" /usr/bin/env PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/root \
		bash "$checkout/scripts/on-python.sh" --in-root "$pyver" "$@"
fi

# ------------------------------------------------------------------ the venv (host or chroot)

install_venv() { # interpreter origin
	local python=$1 origin=$2 venv=.venv-$pyver want
	want="$origin $(sha256sum pyproject.toml | cut -d' ' -f1)"
	if [[ -x "$venv/bin/python" && "$(cat "$venv/.pgtdd-stamp" 2>/dev/null)" == "$want" ]] \
		&& "$venv/bin/python" -c 'import pgtdd.fixtures.plugin' 2>/dev/null; then
		say "$venv is up to date ($origin)"
		return
	fi
	say "creating $venv ($origin) and pip install -e '.[dev]'"
	rm -rf "$venv"
	"$python" -m venv "$venv" || die "$python -m venv $venv failed"
	"$venv/bin/python" -m pip install -q --upgrade pip >/dev/null || die "pip upgrade in $venv failed"
	"$venv/bin/python" -m pip install -q -e '.[dev]' || die "pip install -e '.[dev]' in $venv failed"
	printf '%s\n' "$want" >"$venv/.pgtdd-stamp"
}

run_suite() {
	local venv=.venv-$pyver
	say "$("$venv/bin/python" -VV | head -n 1): $venv/bin/pytest $*"
	exec "$venv/bin/pytest" "$@"
}

if [[ "${1:-}" == --in-root ]]; then
	pyver=$2
	shift 2
	cd "$(dirname "$SELF")/.."
	install_venv "/usr/bin/python$pyver" "debian:$(cat /etc/pgtdd-python-root):/usr/bin/python$pyver"
	run_suite "$@"
fi

# ------------------------------------------------------------------ on the host

pyver=${1:?usage: bash scripts/on-python.sh 3.X [pytest args...]}
shift
[[ "$pyver" =~ ^3\.[0-9]+$ ]] || die "'$pyver' is not a Python version like 3.14"
cd "$(dirname "$SELF")/.."

host_python() {
	local candidate
	local -a candidates=("/usr/bin/python$pyver" "/usr/local/bin/python$pyver")
	local pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
	# pyenv's versions, newest patch release first (3.13.10 after 3.13.9: sort -V).
	while IFS= read -r candidate; do
		candidates+=("$candidate")
	done < <(compgen -G "$pyenv_root/versions/$pyver.*/bin/python$pyver" | sort -rV)
	for candidate in "${candidates[@]}"; do
		[[ -x "$candidate" ]] || continue
		if "$candidate" -c 'import ensurepip, ssl, sqlite3, venv' 2>/dev/null; then
			echo "$candidate"
			return
		fi
	done
	return 1
}

host_pg_packages() {
	local bin major
	local -a packages=()
	for bin in /usr/lib/postgresql/*/bin/postgres; do
		[[ -x "$bin" ]] || continue
		major=${bin#/usr/lib/postgresql/}
		packages+=("postgresql-${major%%/*}")
	done
	((${#packages[@]})) || die "no PostgreSQL server under /usr/lib/postgresql: run scripts/bootstrap.sh"
	echo "${packages[*]}"
}

mirrors() { # -> "ARCHIVE SECURITY", the mirrors the host's apt (or PGTDD_DEBIAN_*MIRROR) uses
	.venv/bin/python -c 'from pgtdd.providers.image import host_debian_mirrors as m
h = m(); print(h.archive, h.security)' 2>/dev/null \
		|| echo "${PGTDD_DEBIAN_MIRROR:-http://deb.debian.org/debian}" \
			"${PGTDD_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
}

debian_root() { # suite -> path of an up-to-date root filesystem with python$pyver
	local suite=$1 host_suite archive security packages want root tmp
	local cache=${PGTDD_PYTHON_ROOTS:-/var/cache/pgtdd/python}
	local max_age_days=${PGTDD_PYTHON_ROOT_MAX_AGE_DAYS:-7}
	# shellcheck disable=SC1091
	host_suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[[ -n "$host_suite" ]] || die "/etc/os-release names no Debian release (VERSION_CODENAME)"
	read -r archive security < <(mirrors)
	# mmdebstrap, docker: the image-build tests run them (as pgtdd image build --offline does).
	packages="python$pyver python$pyver-venv mmdebstrap docker-cli $(host_pg_packages)"
	root=$cache/python$pyver-$suite
	want="$suite+$host_suite: $packages from $archive $security"
	if [[ -d "$root/usr" && "$(cat "$root/etc/pgtdd-python-root.stamp" 2>/dev/null)" == "$want" ]] \
		&& [[ -z "$(find "$root/etc/pgtdd-python-root.stamp" -mtime "+$max_age_days")" ]]; then
		say "root filesystem $root is up to date" >&2
		echo "$root"
		return
	fi
	command -v mmdebstrap >/dev/null || die "mmdebstrap not found: run scripts/bootstrap.sh"
	mkdir -p "$cache"
	tmp=$(mktemp -d "$cache/.building.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	say "building $root: $packages ($suite, PostgreSQL from $host_suite; mmdebstrap)" >&2
	# postgresql-common would create and start a cluster on install: not wanted (as bootstrap.sh).
	# shellcheck disable=SC2016 # the hooks' $1 is mmdebstrap's, not ours
	mmdebstrap --variant=minbase --format=directory \
		--aptopt='Acquire::Check-Valid-Until "false"' --aptopt='Acquire::Retries "3"' \
		--include="${packages// /,}" \
		--essential-hook='mkdir -p "$1/etc/postgresql-common" && echo "create_main_cluster = false" >"$1/etc/postgresql-common/createcluster.conf"' \
		--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/lib/*/libLLVM*' \
		--dpkgopt='path-exclude=/usr/lib/postgresql/*/lib/bitcode/*' \
		--dpkgopt='path-exclude=/usr/lib/postgresql/*/lib/llvmjit*' \
		--customize-hook="echo '$suite' >\"\$1/etc/pgtdd-python-root\"" \
		"$suite" "$tmp" \
		"deb $archive $suite main" \
		"deb $archive $host_suite main" "deb $archive $host_suite-updates main" \
		"deb $security $host_suite-security main" >&2 \
		|| die "mmdebstrap $suite failed (output above); set PGTDD_DEBIAN_MIRROR to another mirror?"
	printf '%s\n' "$want" >"$tmp/etc/pgtdd-python-root.stamp"
	rm -rf "$root"
	mv -T "$tmp" "$root"
	trap - EXIT
	echo "$root"
}

source=${PGTDD_PYTHON_SOURCE:-}
if [[ "$source" != debian ]] && python=$(host_python); then
	install_venv "$python" "host:$python"
	run_suite "$@"
fi
[[ "$source" != host ]] || die "no usable python$pyver on this host (/usr/bin, /usr/local/bin, pyenv)"
suite=$(debian_suite_for "$pyver") \
	|| die "no python$pyver on this host, and no Debian suite known to package it (3.13, 3.14)"
[[ "$(id -u)" == 0 ]] || die "running the suite chrooted in Debian $suite needs root (sudo $0 $pyver)"
root=$(debian_root "$suite")
say "chroot into $root (Debian $suite)"
exec unshare --mount --propagation private -- bash "$SELF" --in-namespace "$root" "$PWD" "$pyver" "$@"
