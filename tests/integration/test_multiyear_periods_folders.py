"""A project's targets of each year (分年度绩效指标) travel with its case folder: ``export-case``
writes them as ``periods.yaml``, importing the folder (from the command line or uploaded as a
.zip) stores them in another database; a year already stored the same is left alone, a year
stored otherwise or locked by a 定稿 evaluation refuses the import, and a file with an
unexplained deviation or another project's targets is refused naming the file, year, row and
field — each time with nothing stored."""

from __future__ import annotations

import io
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from actors import EVALUATOR
from multiyear_steps import DEMO, PROJECT, Y2018, store_2018_targets

from workbench.bootstrap import ensure_database
from workbench.domain.multiyear import Period, PeriodTarget
from workbench.errors import Conflict, InvalidInput
from workbench.services import case_upload, cases, periods
from workbench.services.casefiles import validate_path

FOLDER_2018 = DEMO / f"{PROJECT}-2018"


def targets(db, evaluation_id: str) -> list[tuple[int, list[tuple[str, str, str]]]]:
    """The project's targets of each year as the 项目信息 page shows them."""
    found = periods.project_periods(db.uow(), EVALUATOR, evaluation_id).periods
    return [(p.year, [(t.name, str(t.target), str(t.actual)) for t in p.targets]) for p in found]


def exported(db, tmp_path: Path) -> Path:
    """The 2018 evaluation (its targets stored) written as a case folder by ``export-case``."""
    cases.import_case(db.uow(), EVALUATOR, FOLDER_2018)
    store_2018_targets(db)
    out = tmp_path / "exported-2018"
    cases.export_case(db.uow(), EVALUATOR, Y2018, out)
    return out


@pytest.fixture
def other_db(tmp_path, database_templates):
    """A second bureau's database (SQLite, seeded as shipped) to carry the folder to."""
    url = f"sqlite:///{tmp_path / 'other.db'}"
    database_templates.copy(url, seed=True)
    db = ensure_database(url)
    yield db
    db.dispose()


def test_exported_targets_read_back_in_another_database_and_again_as_a_copy(seeded_db, other_db, tmp_path):
    out = exported(seeded_db, tmp_path)

    assert "periods.yaml" in sorted(p.name for p in out.iterdir())
    text = (out / "periods.yaml").read_text("utf-8")
    assert "在线监测点数量" in text and "# 项目分年度绩效指标" in text
    cases.import_case(other_db.uow(), EVALUATOR, out)
    assert (
        targets(other_db, Y2018)
        == targets(seeded_db, Y2018)
        == [(2018, [("在线监测点数量", "120", "112"), ("数据上传及时率", "95", "96")])]
    )
    # the same folder again, as another evaluation of the same project: the year is stored the same
    copy = cases.import_case(other_db.uow(), EVALUATOR, out, evaluation_id="water-2018-copy")
    assert targets(other_db, copy) == targets(other_db, Y2018)


def test_an_uploaded_zip_carries_the_targets_too(seeded_db, other_db, tmp_path):
    out = exported(seeded_db, tmp_path)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        for path in out.iterdir():
            archive.write(path, f"exported-2018/{path.name}")

    case_upload.import_uploaded_case(other_db.uow(), EVALUATOR, [("water-2018.zip", packed.getvalue())])

    assert targets(other_db, Y2018)[0][0] == 2018 and len(targets(other_db, Y2018)[0][1]) == 2


def test_targets_stored_otherwise_refuse_the_import_and_nothing_is_stored(seeded_db, tmp_path):
    cases.import_case(seeded_db.uow(), EVALUATOR, FOLDER_2018)
    plan_2019 = Period(
        project=PROJECT, year=2019, targets=[PeriodTarget(name="在线监测点数量", target=Decimal(150))]
    )
    with seeded_db.uow() as uow:  # a year no evaluation has locked
        uow.periods.save(plan_2019, 0, EVALUATOR)
        uow.commit()
    out = tmp_path / "exported"
    cases.export_case(seeded_db.uow(), EVALUATOR, Y2018, out)
    text = (out / "periods.yaml").read_text("utf-8")
    (out / "periods.yaml").write_text(text.replace("150", "160"), "utf-8")

    with pytest.raises(Conflict) as refused:
        cases.import_case(seeded_db.uow(), EVALUATOR, out, evaluation_id="water-2018-again")

    problem = refused.value.problems[0]
    assert "2019年的绩效指标，且与本文件不同" in problem.message and str(problem.file).endswith(
        "periods.yaml"
    )
    assert targets(seeded_db, Y2018) == [(2019, [("在线监测点数量", "150", "None")])]
    with seeded_db.uow() as uow:
        assert uow.evaluations.get("water-2018-again") is None


def test_a_year_locked_by_a_定稿_evaluation_refuses_targets_it_does_not_have(seeded_db, tmp_path):
    cases.import_case(seeded_db.uow(), EVALUATOR, FOLDER_2018)  # 定稿, no targets stored
    folder = tmp_path / "with-targets"
    shutil.copytree(FOLDER_2018, folder)
    (folder / "periods.yaml").write_text(
        f"periods:\n- project: {PROJECT}\n  year: 2018\n  targets:\n  - name: 新指标\n    target: 1\n",
        "utf-8",
    )

    with pytest.raises(Conflict, match=f"2018年度的分年度绩效指标已随该年度评价“{Y2018}”定稿而锁定"):
        cases.import_case(seeded_db.uow(), EVALUATOR, folder, evaluation_id="water-2018-late")
    assert targets(seeded_db, Y2018) == []


@pytest.mark.parametrize(
    ("body", "place", "field", "words"),
    [
        (
            "  targets:\n  - name: 在线监测点数量\n    target: 120\n    actual: 80\n",
            "分年度绩效指标·2018年 第 1 行",
            "偏差说明",
            "偏差 33.33%，超过 10.00%，须填写偏差说明",
        ),
        ("  targets:\n  - name: 在线监测点数量\n    target: -1e999\n", "第 6 行", "目标值", "应大于"),
    ],
)
def test_a_bad_targets_file_is_refused_naming_the_file_row_and_field(
    seeded_db, tmp_path, body, place, field, words
):
    folder = tmp_path / "bad"
    shutil.copytree(FOLDER_2018, folder)
    (folder / "periods.yaml").write_text(f"periods:\n- project: {PROJECT}\n  year: 2018\n{body}", "utf-8")

    with pytest.raises(InvalidInput) as refused:
        cases.import_case(seeded_db.uow(), EVALUATOR, folder)

    problem = refused.value.problems[0]
    assert str(problem.file).endswith("periods.yaml"), problem
    assert words in f"{problem.message} {problem.field} {problem.place}", problem
    assert (problem.place, problem.field) == (place, field)
    with seeded_db.uow() as uow:
        assert uow.evaluations.get(Y2018) is None


def test_another_projects_targets_are_refused(seeded_db, tmp_path):
    folder = tmp_path / "foreign"
    shutil.copytree(FOLDER_2018, folder)
    (folder / "periods.yaml").write_text("periods:\n- project: other-project\n  year: 2018\n", "utf-8")

    with pytest.raises(InvalidInput, match="属于项目“other-project”，不是本案例的项目"):
        cases.import_case(seeded_db.uow(), EVALUATOR, folder)


def test_validate_names_an_unexplained_deviation_in_a_folder_and_in_the_file(tmp_path):
    folder = tmp_path / "check"
    shutil.copytree(FOLDER_2018, folder)
    (folder / "periods.yaml").write_text(
        f"periods:\n- project: {PROJECT}\n  year: 2018\n  targets:\n  - name: 在线监测点数量\n"
        "    target: 120\n    actual: 80\n",
        "utf-8",
    )

    for path in (folder, folder / "periods.yaml"):
        found = [p for p in validate_path(path) if p.is_error]
        assert [(Path(str(p.file)).name, p.place, p.field) for p in found] == [
            ("periods.yaml", "分年度绩效指标·2018年 第 1 行", "偏差说明")
        ], path


def test_a_year_listed_twice_is_refused_naming_the_year(seeded_db, tmp_path):
    folder = tmp_path / "twice"
    shutil.copytree(FOLDER_2018, folder)
    year = f"- project: {PROJECT}\n  year: 2018\n"
    (folder / "periods.yaml").write_text(f"periods:\n{year}{year}", "utf-8")

    with pytest.raises(InvalidInput, match="2018年的绩效指标重复，每个年度只能有一组"):
        cases.import_case(seeded_db.uow(), EVALUATOR, folder)
