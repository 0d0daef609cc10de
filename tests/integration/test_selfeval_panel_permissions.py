"""The issue-6 services called as every role: the stored role table allows or refuses each one
inside the service (``selfeval.submit`` for the project unit on its own project, ``selfeval.view``,
``panel.score`` for experts and evaluators, ``evaluation.score`` for notes, the panel's method
and applying its result).  A refusal is a ``Forbidden``, changes nothing and is audited.

Each call runs on its own copy of one prepared SQLite database, as in test_permissions_matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from actors import (
    BY_ROLE,
    CLI,
    EVALUATOR,
    EXPERT,
    UNIT,
    YIYANG,
    add_accounts,
    assert_role_decision,
    reopen,
)
from review_helpers import (
    EXPERT_B,
    EXPERT_C,
    expert_scores,
    filled_form,
    name_panel,
    saved_selfeval,
    submit_sheet,
    submitted_selfeval,
)

from workbench.bootstrap import ensure_database
from workbench.errors import Forbidden
from workbench.services import (
    cases,
    panel_apply,
    panels,
    reconciliation,
    score_imports,
    selfeval,
    stored_reports,
)
from workbench.storage.uow import Database

DRAFT = "yiyang-selfeval-draft"  # a copy whose self-evaluation is a saved, unsubmitted draft
OTHER = "e-other"  # another unit's project
ALL = frozenset(BY_ROLE)
SELF_VIEW = frozenset({"评价人员", "复核人", "项目单位"})
SELF_SUBMIT = frozenset({"项目单位"})
SCORE = frozenset({"评价人员"})
RETURN = frozenset({"评价人员", "复核人"})  # the evaluator who checks it, or the reviewer
PANEL = frozenset({"评价人员", "专家"})
VIEW = frozenset({"评价人员", "复核人", "专家", "项目单位", "领导", "系统"})
CREATE = frozenset({"评价人员", "系统"})


def _xlsx(folder: Path) -> bytes:
    return (folder / "db" / "table.xlsx").read_bytes()


Call = Callable[[Database, Any, Path], Any]
NEW = score_imports.NewEvaluation("某项目", 2024)
CASES: list[tuple[str, Call, frozenset[str]]] = [
    ("get_selfeval", lambda db, a, t: selfeval.get_selfeval(db.uow(), a, YIYANG), SELF_VIEW),
    ("export_selfeval", lambda db, a, t: selfeval.export_selfeval(db.uow(), a, YIYANG), SELF_VIEW),
    (
        "get_selfeval of another unit's project",
        lambda db, a, t: selfeval.get_selfeval(db.uow(), a, OTHER),
        SELF_VIEW - {"项目单位"},
    ),
    (
        "save_selfeval",
        lambda db, a, t: selfeval.save_selfeval(db.uow(), a, DRAFT, filled_form(db, DRAFT, UNIT), 1),
        SELF_SUBMIT,
    ),
    ("submit_selfeval", lambda db, a, t: selfeval.submit_selfeval(db.uow(), a, DRAFT, 1), SELF_SUBMIT),
    (
        "import_selfeval",
        lambda db, a, t: selfeval.import_selfeval(
            db.uow(), a, DRAFT, (t / "db" / "selfeval.xlsx").read_bytes(), "自评表.xlsx", 1
        ),
        SELF_SUBMIT,
    ),
    (
        "return_selfeval",
        lambda db, a, t: selfeval.return_selfeval(
            db.uow(), a, YIYANG, 2, "执行数与账面不符，请核对后重新提交"
        ),
        RETURN,
    ),
    ("compare", lambda db, a, t: reconciliation.compare(db.uow(), a, YIYANG), SELF_VIEW),
    (
        "save_note",
        lambda db, a, t: reconciliation.save_note(db.uow(), a, YIYANG, "3.2.5", "扣分属实", 0),
        SCORE,
    ),
    ("panel_view", lambda db, a, t: panels.panel_view(db.uow(), a, YIYANG), PANEL),
    (
        "set_panel",
        lambda db, a, t: panels.set_panel(db.uow(), a, YIYANG, "trimmed_mean", ["zhao"], _panel_version(db)),
        SCORE,
    ),
    (
        "save_sheet",
        lambda db, a, t: panels.save_sheet(db.uow(), a, YIYANG, {"A11": "3"}, 0),
        PANEL,
    ),
    (
        "apply_panel",
        lambda db, a, t: panel_apply.apply_panel(db.uow(), a, YIYANG, _panel_version(db), 2),
        SCORE,
    ),
    ("preview score table", lambda db, a, t: score_imports.preview(db.uow(), a, _xlsx(t), "t.xlsx"), VIEW),
    (
        "save score table",
        lambda db, a, t: score_imports.save_as_evaluation(db.uow(), a, _xlsx(t), "t.xlsx", NEW),
        CREATE,
    ),
]


def _panel_version(db) -> int:
    with db.uow() as uow:
        return uow.panels.get(YIYANG).version


def _prepare(folder: Path) -> None:
    db = ensure_database(f"sqlite:///{folder / 'workbench.db'}")
    add_accounts(db, *(a for a in BY_ROLE.values() if a.role != "系统"), EXPERT_B, EXPERT_C)
    reopen(db)
    cases.copy_evaluation(db.uow(), CLI, YIYANG, DRAFT)
    saved_selfeval(db, DRAFT)
    (folder / "selfeval.xlsx").write_bytes(selfeval.export_selfeval(db.uow(), UNIT, DRAFT))
    submitted_selfeval(db)
    name_panel(db, [EXPERT, EXPERT_B, EXPERT_C, EVALUATOR])
    for expert in (EXPERT_B, EXPERT_C):
        submit_sheet(db, expert, expert_scores(db, expert, less="1"))
    other = {"id": "other-project", "name": "另一单位的项目", "year": 2024, "unit": {"name": "另一局"}}
    cases.new_evaluation(db.uow(), CLI, other, "yiyang-2018", "excellent-good", evaluation_id=OTHER)
    (folder / "table.xlsx").write_bytes(stored_reports.score_table(db.uow(), EVALUATOR, YIYANG).content)
    db.dispose()


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("issue6-matrix")
    _prepare(folder)
    return folder


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize(("service", "call", "allowed"), CASES, ids=[c[0] for c in CASES])
def test_each_issue6_service_allows_exactly_the_roles_of_the_role_table(
    fresh, tmp_path, service, call, allowed, role
):
    assert_role_decision(fresh, BY_ROLE[role], call, allowed, tmp_path)


def test_a_unit_cannot_fill_the_self_evaluation_of_another_units_project(fresh):
    with pytest.raises(Forbidden, match="只能访问本单位的项目，无权访问项目“other-project”"):
        selfeval.save_selfeval(fresh.uow(), UNIT, OTHER, {"rows": []}, 0)


def test_a_hostile_upload_for_a_project_the_unit_cannot_reach_is_refused_before_it_is_opened(fresh, tmp_path):
    from hostile_xlsx import dense_far_cell

    data = dense_far_cell(tmp_path / "d.xlsx").read_bytes()

    with pytest.raises(Forbidden, match="无权访问项目“other-project”"):
        selfeval.import_selfeval(fresh.uow(), UNIT, OTHER, data, "自评表.xlsx", 0)
    with pytest.raises(Forbidden):
        score_imports.save_as_evaluation(fresh.uow(), UNIT, data, "评分表.xlsx", NEW)
