"""What the report keeps between runs (reports.disk_cache): chart pictures and compiled templates.
The same charts are never drawn twice, a changed figure is drawn anew, a kept template gives the
very document a fresh one gives, and a broken or unwritable cache only means doing the work."""

import dataclasses
import io
import subprocess
import sys
import zipfile

import pytest

from workbench.formats.cases import load_case
from workbench.reports import chart_cache, charts, templates
from workbench.reports.context import build_context
from workbench.reports.render import render_docx


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "charts"


@pytest.fixture(scope="module")
def case(yiyang_dir):
    return load_case(yiyang_dir)


def test_kept_pictures_are_the_very_pictures_matplotlib_draws(cache, case):
    card = case.scorecard()
    first = chart_cache.report_charts(card, case.decided_ledger)
    again = chart_cache.report_charts(card, case.decided_ledger)

    assert first == again == charts.report_charts(card, case.decided_ledger)
    assert len(list(cache.glob("*.png"))) == 3


def test_a_changed_score_draws_a_new_level_chart_and_keeps_the_payment_chart(cache, case):
    before = chart_cache.report_charts(case.scorecard(), case.decided_ledger)
    entry = case.evaluation.scores["A22"]
    scores = {**case.evaluation.scores, "A22": entry.model_copy(update={"deductions": []})}
    edited = dataclasses.replace(case, evaluation=case.evaluation.model_copy(update={"scores": scores}))
    after = chart_cache.report_charts(edited.scorecard(), edited.decided_ledger)

    assert edited.scorecard().total != case.scorecard().total
    assert after["levels"] != before["levels"] and after["losses"] != before["losses"]
    assert after["payments"] == before["payments"]
    assert after["levels"] == charts.to_png(charts.level_figure(edited.scorecard()))
    assert len(list(cache.glob("*.png"))) == 5


def test_a_damaged_picture_in_the_cache_is_drawn_again_and_replaced(cache, case):
    card = case.scorecard()
    good = chart_cache.report_charts(card, case.decided_ledger)
    for path in cache.glob("*.png"):
        path.write_bytes(b"<html>not a picture</html>")

    assert chart_cache.report_charts(card, case.decided_ledger) == good
    assert all(path.read_bytes().startswith(chart_cache.PNG) for path in cache.glob("*.png"))


def test_an_unwritable_cache_folder_still_gives_the_charts(tmp_path, monkeypatch, case):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(blocked))
    card = case.scorecard()

    assert chart_cache.report_charts(card, case.decided_ledger) == charts.report_charts(
        card, case.decided_ledger
    )


def test_the_cache_keeps_at_most_its_bound_of_pictures(cache, monkeypatch, case):
    monkeypatch.setattr(chart_cache, "MAX_FILES", 2)
    chart_cache.report_charts(case.scorecard(), case.decided_ledger)

    assert len(list(cache.glob("*.png"))) == 2


def test_a_report_whose_charts_are_kept_loads_no_chart_database_spreadsheet_or_package_metadata_library(
    tmp_path, yiyang_dir
):
    env_cache = tmp_path / "cache"
    probe = (
        "import sys; from workbench.entry import main\n"  # the console script's own start
        "sys.argv = ['workbench', 'report', sys.argv[1], '--out', sys.argv[2]]\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        "heavy = ('matplotlib', 'sqlalchemy', 'openpyxl', 'argon2', 'streamlit', 'pandas', 'plotly',"
        " 'workbench.storage', 'workbench.reports.pdf', 'workbench.reports.charts',"
        " 'importlib.metadata')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))"
    )
    env = {"WORKBENCH_CACHE_DIR": str(env_cache), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe, str(yiyang_dir), str(tmp_path / f"r{n}.docx")],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout.strip()
        for n in (1, 2)
    ]

    assert "matplotlib" in runs[0]  # the first report draws its charts
    assert runs[1].endswith("[]")  # the second finds them kept
    assert pictures(tmp_path / "r1.docx") == pictures(tmp_path / "r2.docx") != {}


def pictures(docx):
    with zipfile.ZipFile(docx) as package:
        return {n: package.read(n) for n in package.namelist() if n.startswith("word/media/")}


def parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return {n: package.read(n) for n in package.namelist()}


def test_a_kept_template_renders_the_very_document_and_each_template_keeps_its_own(
    tmp_path, monkeypatch, case
):
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))
    context = build_context(case, case.scorecard(), None)
    seed, mof = templates.resolve("seed"), templates.resolve("mof2020")
    first = render_docx(seed, context)
    kept = len(list((tmp_path / "cache" / "templates").glob("*.cache")))
    other = render_docx(mof, context)
    again = render_docx(seed, context)

    assert kept > 0 and parts(again) == parts(first)
    assert parts(other)["word/document.xml"] != parts(first)["word/document.xml"]
    folder = tmp_path / "cache" / "templates"
    for path in folder.glob("*.cache"):
        path.write_bytes(b"damaged")
    patched = list(folder.glob("*.xml"))  # each part's Jinja source, made from the Word XML
    for path in patched:  # an edited part under its old hash is not rendered
        path.write_text(path.read_text("utf-8").replace("{{", "{{ 1 + "), "utf-8")
    assert patched and parts(render_docx(seed, context)) == parts(first)


DB_PROBE = """
import sys
from workbench.bootstrap import ensure_database
from workbench.services import stored_reports
from workbench.services.actors import SYSTEM
db = ensure_database(sys.argv[1])
assert stored_reports.report(db.uow(), SYSTEM, "yiyang-smart-brain-2018-eval").content
heavy = ("alembic", "openpyxl", "argon2", "zxcvbn", "matplotlib", "pandas", "streamlit", "workbench.reports.pdf")
print(sorted(m for m in sys.modules if m.startswith(heavy)))
"""


def test_a_report_from_a_database_at_the_newest_schema_loads_no_migration_spreadsheet_or_password_library(
    tmp_path, server_key_from_the_environment
):
    env = {
        "WORKBENCH_CACHE_DIR": str(tmp_path / "cache"),
        "WORKBENCH_SECRET_KEY": server_key_from_the_environment,
        "WORKBENCH_AUDIT_ANCHOR_DIR": str(tmp_path / "anchors"),
        "PATH": "/usr/bin:/bin",
    }
    url = f"sqlite:///{tmp_path / 'wb.db'}"
    runs = [
        subprocess.run(
            [sys.executable, "-c", DB_PROBE, url], capture_output=True, text=True, check=True, env=env
        ).stdout.strip()
        for _ in range(3)  # the first creates and migrates, the second learns the newest revision
    ]

    assert "alembic" in runs[0]
    assert runs[2] == "[]"
