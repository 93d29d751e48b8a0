# Shared by the scripts in this folder; sourced, not run.
# The Home Assistant test legs: every test runs on each.
LEGS=(floor latest)
# The newest Home Assistant release, without the test harness: the end-to-end tests only.
NEWEST=newest

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }

# step LABEL COMMAND...: one named step of a build. Says what it starts, a line every 30 s while
# it runs and how long it took; a failing command ends the script (set -e) as it would unwrapped.
step() {
  local label=$1 start=$SECONDS ticker
  shift
  log "$label"
  (
    # Ends with the step (TERM), or within 30 s of the script itself ($$) when that was stopped.
    trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
    elapsed=0
    while :; do
      sleep 30 &
      sleeper=$!
      wait "$sleeper"
      kill -0 $$ 2>/dev/null || exit 0
      elapsed=$((elapsed + 30))
      note "... still at it ($elapsed s)"
    done
  ) &
  ticker=$!
  trap 'kill '"$ticker"' 2>/dev/null; note "stopped after $((SECONDS - '"$start"')) s"' EXIT
  "$@"
  trap - EXIT
  kill "$ticker" 2>/dev/null || true
  wait "$ticker" 2>/dev/null || true
  note "done in $((SECONDS - start)) s"
}

# requirements_digest FILE: a digest of FILE and of the files it includes with -r, so that an
# environment is rebuilt when any of them changes.
requirements_digest() {
  local file=$1 included
  {
    cat "$file"
    sed -n 's/^-r[[:space:]]*//p' "$file" | while read -r included; do
      cat "$(dirname "$file")/$included"
    done
  } | sha256sum | cut -d' ' -f1
}

# Prints the path of a CPython >= 3.14.2: python3.14 from PATH where it is good enough, otherwise
# the toolchain helper that sits beside the repository (../shared/toolchain) provides one.
find_python314() {
  local candidate
  for candidate in "${PYTHON314:-}" "$(command -v python3.14 || true)"; do
    if [[ -n $candidate ]] && "$candidate" -c \
      'import sys; sys.exit(sys.version_info < (3, 14, 2))' 2>/dev/null; then
      echo "$candidate"; return
    fi
  done
  local helper=../shared/toolchain/python3.14
  if [[ -x $helper ]]; then
    "$helper" path && return
  fi
  log "no Python >= 3.14.2 found: put python3.14 on PATH or set PYTHON314"
  return 1
}

# make_venv PYTHON DIR: a virtual environment with pip, also from an interpreter without ensurepip
# (Debian splits it out): pip's wheel, fetched by the machine's python3, installs itself.
make_venv() {
  if "$1" -m venv "$2" >/dev/null 2>&1; then return; fi
  rm -rf "$2"
  "$1" -m venv --without-pip "$2"
  local wheels wheel
  wheels=$(mktemp -d)
  python3 -m pip download -q --no-deps -d "$wheels" pip 2>&1 | grep -v 'is ignored' >&2 || true
  wheel=$(ls "$wheels"/pip-*.whl)
  "$2/bin/python" "$wheel/pip" install -q "$wheel"
  rm -rf "$wheels"
}

# install_uv VENV: uv, which resolves Home Assistant's few hundred pins in seconds where pip takes
# minutes, into VENV.
install_uv() {
  "$1/bin/python" -m pip install -q uv 2>&1 | grep -v "is ignored" >&2 || true
  "$1/bin/python" -m uv --version >/dev/null
}

# install_requirements VENV FILE: FILE's pins into VENV. Shows uv's summary lines (resolved,
# prepared, installed: how many and how long) and the large downloads and builds as they start;
# not the ends of those, nor its list of every package.
install_requirements() {
  SSL_CERT_FILE=${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt} \
    "$1/bin/python" -m uv pip install --python "$1/bin/python" -r "$2" 2>&1 |
    sed -u -E '/^ [-+~] /d; /^ *(Downloaded|Built) /d; s/^/    /' >&2
}

# The browser test drives Debian's chromium: install it where this user may (the tests only; the
# demo does not need it).
ensure_chromium() {
  command -v chromium >/dev/null 2>&1 && return
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    step "installing chromium for the browser test" install_chromium
  else
    log "chromium is missing and cannot be installed here: the browser test will be skipped"
  fi
}

install_chromium() {
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}
