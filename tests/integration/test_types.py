"""The type checker passes on the package as pyproject.toml configures it (strict on the domain)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


# A cold run (no cache yet) costs about 45 s of CPU, minutes of wall time on a loaded machine; a
# warm one a few seconds.
@pytest.mark.timeout(900)
def test_mypy_finds_no_type_errors_in_the_workbench_package():
    # An incremental cache outside the checkout, one per checkout: a warm run checks only what changed.
    cache = (
        Path(tempfile.gettempdir()) / "workbench-mypy" / hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
    )

    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=880,
        check=False,
    )

    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "Success: no issues found" in done.stdout
