# Shared by the scripts in this folder; sourced, not run.
LEGS=(floor latest)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

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
