"""The 领导看板's summary: lights from the thresholds in indicators/leader-status.yaml, targets
achieved or not, the year's execution, and a conclusion composed from the evaluation."""

from decimal import Decimal as D

import pytest

from workbench.domain.dashboard import RangeBand, RateBand, TargetLights, build_dashboard, target_state
from workbench.domain.project import Target
from workbench.errors import InvalidInput
from workbench.formats.cases import load_case
from workbench.formats.leader_status import STATUS_FILE, load_status_rules


@pytest.fixture(scope="module")
def case(yiyang_dir):
    return load_case(yiyang_dir)


def summary(case, evaluation=None, ledger=None, rules=None):
    evaluation = evaluation or case.evaluation
    card = case.scorecard()
    return build_dashboard(
        case.project.name,
        case.project.targets,
        evaluation,
        card,
        ledger or case.decided_ledger,
        rules or load_status_rules(),
    )


def test_a_measured_target_is_achieved_missed_or_unset_and_words_wait_for_a_person():
    lights = TargetLights()
    met = Target(name="完成数", target="9项", actual="9项", target_value=D(9), actual_value=D(9))
    missed = Target(name="完成数", target="9项", actual="7项", target_value=D(9), actual_value=D(7))
    unset = Target(name="验收合格率", actual="100%")
    words = Target(name="等保", target="等保三级", actual="达到三级要求")

    assert [
        (s.state, s.light) for s in map(lambda t: target_state(t, lights), (met, missed, unset, words))
    ] == [
        ("达成", "green"),
        ("未达成", "red"),
        ("未设定目标值", "amber"),
        ("待核实", "amber"),
    ]


def test_execution_is_green_inside_its_range_amber_a_little_off_and_red_far_off():
    band = RangeBand(green_min=D(95), green_max=D(100), amber_min=D(85), amber_max=D(105))
    assert [band.light(D(r)) for r in ("0.97", "1.0001", "0.90", "1.2", "0.5")] == [
        "green",
        "amber",
        "amber",
        "red",
        "red",
    ]


def test_thresholds_out_of_order_are_refused():
    with pytest.raises(ValueError, match="黄灯下限"):
        RateBand(green_min=D(80), amber_min=D(90))


def test_the_yiyang_summary_names_where_and_why_points_were_lost(case):
    view = summary(case)

    assert view.conclusion.endswith(
        "失分主要在项目管理（扣 9.00 分），主要问题是该项目后期维护与管理有待加强。"
    )
    assert [(f.title, f.lost, f.light) for f in view.findings] == [
        ("该项目后期维护与管理有待加强", D("5.00"), "red"),
        ("专业技术人才不足", D("2.00"), "amber"),
    ]
    assert (view.execution.rate.quantize(D("0.0001")), view.execution.light) == (D("1.0001"), "amber")
    assert (view.execution.planned, view.execution.basis) == (D(1835), "当年安排")
    assert view.targets_light == "amber"


def test_without_findings_the_conclusion_names_the_largest_deduction(case):
    bare = case.evaluation.model_copy(update={"findings": [], "recommendations": []})
    view = summary(case, evaluation=bare)

    assert view.conclusion.endswith(
        "失分主要在项目管理（扣 9.00 分），扣分最多的是“后期运行维护管理”（扣 3.00 分）。"
    )


def test_a_year_with_no_arranged_funds_is_measured_against_its_plan_amount(case):
    funds = [y.model_copy(update={"arranged": None}) for y in case.decided_ledger.years]
    view = summary(case, ledger=case.decided_ledger.model_copy(update={"years": funds}))

    assert (view.execution.basis, view.execution.budget) == ("分年计划", D(1835))
    assert view.execution.light == "amber"  # 1,905.20 against 1,835.00: 103.83 %


def test_a_rules_file_with_thresholds_out_of_order_is_refused_naming_the_file(tmp_path, yiyang_dir):
    text = (yiyang_dir.parents[1] / "indicators" / STATUS_FILE).read_text("utf-8")
    (tmp_path / STATUS_FILE).write_text(text.replace("amber_min: 80", "amber_min: 95", 1), "utf-8")

    with pytest.raises(InvalidInput, match=r"leader-status\.yaml.*黄灯下限"):
        load_status_rules(tmp_path)
