# Shared by scripts/run and scripts/test (sourced, not run): find a Python of 3.11 or
# newer, make .venv, and install the project into it only when pyproject.toml changed.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

log() { printf '==> %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# Install Debian packages (root only); the package lists of a fresh machine may be
# missing or stale, so refresh them once when the first try fails.
apt_install() {
  is_root || return 1
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y "$@" || { apt-get update && apt-get install -y "$@"; }
}

python_is_new_enough() {
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

find_python() {
  local candidate
  for candidate in ${PYTHON:-} python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && python_is_new_enough "$candidate"; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

ensure_venv() {
  if [ -x "$PY" ] && python_is_new_enough "$PY"; then
    return 0
  fi
  local python
  python="$(find_python)" || die "Python 3.11 or newer is needed (or set PYTHON=/path/to/python3)."
  log "Creating .venv with $python"
  if ! "$python" -m venv --clear "$VENV"; then
    # Debian ships venv support separately.
    apt_install python3-venv || die "cannot create .venv: install python3-venv"
    "$python" -m venv --clear "$VENV"
  fi
}

# ensure_installed runtime|test — pip only runs when pyproject.toml differs from
# the last successful install, so a second start is quick.
ensure_installed() {
  local extras="$1" digest stamp
  digest="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
  stamp="$VENV/.installed-$extras"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
    return 0
  fi
  if [ "$extras" = runtime ] && [ -f "$VENV/.installed-test" ] \
    && [ "$(cat "$VENV/.installed-test")" = "$digest" ]; then
    return 0 # the test install includes the runtime
  fi
  local target="."
  [ "$extras" = runtime ] || target=".[$extras]"
  log "Installing the project ($target) into .venv"
  (cd "$ROOT" && "$PY" -m pip install --quiet --disable-pip-version-check -e "$target")
  printf '%s\n' "$digest" >"$stamp"
}
