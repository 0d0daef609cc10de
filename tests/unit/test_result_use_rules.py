"""结果应用 rules: the shipped table, case by case over every grade of every band set × project type,
and the loader's refusals (file, line, field)."""

from decimal import Decimal as D
from pathlib import Path

import pytest

from workbench.domain.ledger import Ledger, PaymentTerms, PlanItem, SettlementBand
from workbench.domain.result_use import bands_text, payment_rows
from workbench.errors import InvalidInput, NotFound
from workbench.formats.cases import indicators_dir, load_band_sets
from workbench.formats.result_use import load_result_use_rules

# The published local rule by grade, refined by project type (连续性 核减或取消; 分期实施 整改期间暂停拨付).
EXPECTED = {
    "优": ("优先保障", "优先保障", "优先保障", "优先保障"),
    "良": ("据实保障", "据实保障", "据实保障", "据实保障"),
    "中": ("核减 10%", "核减 10%", "核减 10%", "核减 10%"),
    "差": ("取消", "取消", "暂停拨付", "取消"),
}
SAME_RANK = {"优秀": "优", "良好": "良", "合格": "中", "不合格": "差", "一般": "中", "较差": "差"}
KINDS = (None, "连续性", "分期实施", "一次性")
CASES = [
    (grade, kind, EXPECTED[SAME_RANK.get(grade, grade)][i])
    for grade in [*EXPECTED, *SAME_RANK]
    for i, kind in enumerate(KINDS)
]


@pytest.mark.parametrize(("grade", "kind", "advice"), CASES)
def test_shipped_rules_give_the_published_advice_for_each_grade_and_project_type(grade, kind, advice):
    assert load_result_use_rules().lookup(grade, kind).text == advice


def test_every_grade_of_every_shipped_band_set_has_advice():
    labels = {b.label for s in load_band_sets().values() for b in s.bands}
    assert labels == {grade for grade, _, _ in CASES}


def test_the_rules_cite_their_source_and_say_the_cut_share_is_assumed():
    rules = load_result_use_rules()
    assert "达州" in rules.source and "财预〔2020〕10号" in rules.source
    assert "假设" in rules.assumed


def test_a_grade_missing_from_the_table_is_refused_by_name():
    with pytest.raises(NotFound, match="没有等级“甲”"):
        load_result_use_rules().lookup("甲", "连续性")


def _copy_with(tmp_path: Path, old: str, new: str) -> Path:
    for name in ("grade-bands.yaml", "result-use.yaml"):
        text = (indicators_dir() / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace(old, new) if name == "result-use.yaml" else text, "utf-8")
    return tmp_path


def test_a_grade_name_of_grade_bands_without_advice_is_refused_with_file_and_line(tmp_path):
    folder = _copy_with(tmp_path, "[良, 良好]", "[良]")
    with pytest.raises(InvalidInput) as caught:
        load_result_use_rules(folder)
    line = caught.value.problems[0]
    assert "等级“良好”" in line.message and line.file.endswith("result-use.yaml") and line.place


def test_a_cut_without_a_share_is_refused(tmp_path):
    folder = _copy_with(
        tmp_path, "{advice: 核减, percent: 10, note: 一定比例核减（比例为假设）}", "{advice: 核减}"
    )
    with pytest.raises(InvalidInput, match="核减比例"):
        load_result_use_rules(folder)


def _ledger(assumed: bool) -> Ledger:
    bands = [SettlementBand(min=D(90), share=D(100)), SettlementBand(min=D(0), share=D(80))]
    terms = PaymentTerms(from_year=2019, advance_percent=D(50), bands=bands, bands_assumed=assumed)
    plan = [PlanItem(year=y, amount=D(1835)) for y in (2018, 2019, 2020)]
    return Ledger(total_investment=D(5505), plan=plan, payment_terms=terms)


def test_each_plan_year_is_paid_by_its_own_om_score_and_unscored_years_wait():
    rows = payment_rows(_ledger(True), {2019: D(92), 2020: D("85.5")})
    assert [r.status for r in rows] == ["付款条款自 2019 年起执行", "", ""]
    assert [r.due.total for r in rows[1:]] == [D("1835.00"), D("1651.50")]
    assert payment_rows(_ledger(True), {})[2].status == "待运维考评"


def test_assumed_bands_are_marked_beside_the_result():
    assert bands_text(_ledger(True).payment_terms) == "90 分及以上付 100%；0 分及以上付 80%（假设）"
    assert "假设" not in bands_text(_ledger(False).payment_terms)


def test_workbench_validate_checks_the_result_use_rules_against_the_grade_bands(tmp_path):
    from workbench.services.casefiles import validate_path

    assert validate_path(indicators_dir() / "result-use.yaml") == []
    folder = _copy_with(tmp_path, "[差, 不合格, 较差]", "[差, 不合格]")
    (problem,) = validate_path(folder / "result-use.yaml")
    assert "等级“较差”" in problem.message and problem.file.endswith("result-use.yaml")
