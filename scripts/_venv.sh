# Sourced by scripts/run and scripts/test: make .venv and install the project into it once.
# Re-installs when pyproject.toml changes (its hash is kept in .venv/.installed).
set -euo pipefail
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
want="$(sha256sum pyproject.toml | cut -d' ' -f1)-${WORKBENCH_EXTRAS:-test}"
if [ "$(cat .venv/.installed 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[${WORKBENCH_EXTRAS:-test}]"
  echo "$want" > .venv/.installed
fi
