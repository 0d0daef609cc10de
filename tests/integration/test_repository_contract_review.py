"""The contract of the review aggregate's repositories (self-evaluations with reconciliation
notes, expert panels with sheets), run against the in-memory fake and both real databases
(``new_uow`` in conftest.py): the fake the service unit tests use behaves as storage does."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from factories import evaluation
from selfeval_forms import standard_form
from service_fakes import COLLEAGUE, EVALUATOR, UNIT

from workbench.errors import Conflict
from workbench.services.actors import Actor

EXPERT = Actor("zj1", "赵专家", "专家")
D = Decimal


def test_a_self_evaluation_is_saved_submitted_and_sent_back_each_against_the_version_seen(new_uow):
    form = standard_form()
    with new_uow() as uow:
        assert uow.selfevals.get("e") is None
        first = uow.selfevals.save("e", form, 0, UNIT)
        uow.commit()
    with new_uow() as uow:
        stored = uow.selfevals.get("e")
        assert (stored.form, stored.stamp, stored.submitted) == (form, first, False)
        with pytest.raises(Conflict):
            uow.selfevals.save("e", form, 0, UNIT)  # someone saved one first
    with new_uow() as uow:
        renamed = form.model_copy(update={"project": "改名项目"})
        second = uow.selfevals.save("e", renamed, 1, UNIT)
        third = uow.selfevals.submit("e", 2, UNIT)
        uow.commit()
    assert (first.version, second.version, third.version) == (1, 2, 3)
    with new_uow() as uow:
        stored = uow.selfevals.get("e")
        assert stored.form.project == "改名项目" and stored.submitted
        assert stored.submitted_by == "dw" and stored.submitted_at is not None
        with pytest.raises(Conflict):
            uow.selfevals.send_back("e", "数据有误", 2, EVALUATOR)
        uow.selfevals.send_back("e", "数据有误", 3, EVALUATOR)
        uow.commit()
    with new_uow() as uow:
        stored = uow.selfevals.get("e")
        assert not stored.submitted and (stored.submitted_at, stored.submitted_by) == (None, "")
        assert (stored.returned_reason, stored.returned_by) == ("数据有误", "zhang")
        assert stored.returned_at is not None and stored.stamp.version == 4
        assert stored.form.project == "改名项目"  # sending back keeps what the unit wrote


def test_a_self_evaluation_not_saved_yet_cannot_be_submitted(new_uow):
    with new_uow() as uow:
        for version in (0, 1):
            with pytest.raises(Conflict):
                uow.selfevals.submit("e", version, UNIT)


def test_a_self_evaluation_saved_without_a_commit_is_not_seen(new_uow):
    with new_uow() as uow:
        uow.selfevals.save("e", standard_form(), 0, UNIT)
        uow.selfevals.save_note("e", "A1", "已核实", 0, EVALUATOR)
        uow.panels.save_panel("e", {"method": "trimmed_mean"}, 0, EVALUATOR)
    with new_uow() as uow:
        assert uow.selfevals.get("e") is None and uow.selfevals.notes("e") == {}
        assert uow.panels.get("e").stamp is None


def test_a_note_is_inserted_updated_and_deleted_by_blanking_it(new_uow):
    with new_uow() as uow:
        assert uow.selfevals.save_note("e", "A1", "   ", 0, EVALUATOR) is None  # nothing to delete
        first = uow.selfevals.save_note("e", "A1", "自评依据不足", 0, EVALUATOR)
        uow.selfevals.save_note("e", "B1", "已核实", 0, COLLEAGUE)
        uow.commit()
    with new_uow() as uow:
        notes = uow.selfevals.notes("e")
        assert {c: n.note for c, n in notes.items()} == {"A1": "自评依据不足", "B1": "已核实"}
        assert notes["A1"].stamp == first and notes["B1"].stamp.updated_by == "li"
        assert uow.selfevals.notes("other") == {}
        with pytest.raises(Conflict):
            uow.selfevals.save_note("e", "A1", "另一人的说明", 0, COLLEAGUE)
    with new_uow() as uow:
        assert uow.selfevals.save_note("e", "A1", "自评偏高，已说明", 1, EVALUATOR).version == 2
        uow.commit()
    with new_uow() as uow, pytest.raises(Conflict):
        uow.selfevals.save_note("e", "A1", "", 1, EVALUATOR)  # deleting what changed since
    with new_uow() as uow:
        assert uow.selfevals.save_note("e", "A1", "", 2, EVALUATOR) is None
        uow.commit()
    with new_uow() as uow:
        assert list(uow.selfevals.notes("e")) == ["B1"]


def test_a_panel_nobody_set_up_has_the_defaults_and_is_then_changed_only_where_asked(new_uow):
    with new_uow() as uow:
        fresh = uow.panels.get("e")
        assert (fresh.method, fresh.experts, fresh.applied, fresh.version, fresh.sheets) == (
            "mean",
            (),
            None,
            0,
            (),
        )
        first = uow.panels.save_panel("e", {"experts": ["zj1", "zj2"]}, 0, EVALUATOR)
        uow.commit()
    with new_uow() as uow:
        panel = uow.panels.get("e")
        assert (panel.method, panel.experts, panel.stamp) == ("mean", ("zj1", "zj2"), first)
        with pytest.raises(Conflict):
            uow.panels.save_panel("e", {"method": "trimmed_mean"}, 0, COLLEAGUE)
    with new_uow() as uow:
        applied = {"at": "2024-05-06", "scores": {"A1": "4.5"}}
        uow.panels.save_panel("e", {"method": "trimmed_mean", "applied": applied}, 1, EVALUATOR)
        uow.commit()
    with new_uow() as uow:
        panel = uow.panels.get("e")
        assert (panel.method, panel.experts, panel.applied) == ("trimmed_mean", ("zj1", "zj2"), applied)
        assert panel.version == 2
        with pytest.raises(Conflict):
            uow.panels.save_panel("e", {"method": "mean"}, 1, EVALUATOR)


def test_sheets_keep_their_order_scores_and_submission_and_refuse_an_old_version(new_uow):
    at = datetime(2024, 5, 7, 8, 30, tzinfo=UTC)
    with new_uow() as uow:
        uow.panels.save_sheet("e", "zj2", "钱专家", {"A1": D("4")}, None, 0, EXPERT)
        uow.commit()
    with new_uow() as uow:
        uow.panels.save_sheet("e", "zj1", "赵专家", {"A1": D("4.5"), "B1": D("8")}, None, 0, EXPERT)
        uow.commit()
    with new_uow() as uow, pytest.raises(Conflict):
        uow.panels.save_sheet("e", "zj1", "赵专家", {}, None, 0, EXPERT)
    with new_uow() as uow:
        stamp = uow.panels.save_sheet("e", "zj1", "赵专家", {"A1": D("3.5"), "B1": D("8")}, at, 1, EXPERT)
        uow.commit()
    with new_uow() as uow:
        panel = uow.panels.get("e")
        assert [s.expert for s in panel.sheets] == ["zj2", "zj1"]  # in the order first saved
        sheet = panel.sheet("zj1")
        assert sheet.scores == {"A1": D("3.5"), "B1": D("8")} and sheet.submitted_at == at
        assert sheet.stamp == stamp and stamp.version == 2 and sheet.submitted
        assert panel.stamp is None  # sheets exist before anyone set the panel up
        with pytest.raises(Conflict):
            uow.panels.save_sheet("e", "zj1", "赵专家", {}, None, 1, EXPERT)
        with pytest.raises(Conflict):
            uow.panels.save_sheet("e", "zj3", "孙专家", {}, None, 1, EXPERT)  # no sheet to update


def test_deleting_an_evaluation_takes_its_self_evaluation_notes_and_panel_with_it(new_uow):
    with new_uow() as uow:
        uow.selfevals.save("e", standard_form(), 0, UNIT)
        uow.selfevals.save_note("e", "A1", "已核实", 0, EVALUATOR)
        uow.panels.save_panel("e", {"method": "trimmed_mean"}, 0, EVALUATOR)
        uow.panels.save_sheet("e", "zj1", "赵专家", {"A1": D("4")}, None, 0, EXPERT)
        uow.commit()
    with new_uow() as uow:
        uow.evaluations.delete("e", 1)
        uow.commit()
    with new_uow() as uow:
        assert uow.selfevals.get("e") is None and uow.selfevals.notes("e") == {}
        assert uow.panels.get("e") == uow.panels.get("never")


def test_the_states_of_many_forms_are_read_together_as_each_form_has_them(new_uow):
    with new_uow() as uow:
        uow.evaluations.add(evaluation().model_copy(update={"id": "e2"}), EVALUATOR)
        for eid in ("e", "e2"):
            uow.selfevals.save(eid, standard_form(), 0, UNIT)
        uow.commit()
    with new_uow() as uow:
        uow.selfevals.submit("e", 1, UNIT)
        uow.selfevals.submit("e2", 1, UNIT)
        uow.commit()
    with new_uow() as uow:
        uow.selfevals.send_back("e2", "数据有误", 2, EVALUATOR)
        uow.commit()
    with new_uow() as uow:
        states = uow.selfevals.states(["e", "e2", "missing"])
        forms = {eid: uow.selfevals.get(eid) for eid in ("e", "e2")}
        assert set(states) == {"e", "e2"} and uow.selfevals.states([]) == {}
    for eid, state in states.items():
        form = forms[eid]
        assert (state.submitted, state.submitted_at, state.submitted_by) == (
            form.submitted,
            form.submitted_at,
            form.submitted_by,
        )
        assert (state.returned_reason, state.returned_at, state.returned_by) == (
            form.returned_reason,
            form.returned_at,
            form.returned_by,
        )
    assert states["e"].submitted and states["e"].submitted_by == "dw"
    assert not states["e2"].submitted and (states["e2"].returned_reason, states["e2"].returned_by) == (
        "数据有误",
        "zhang",
    )


def test_the_panels_awaiting_an_expert_name_them_and_lack_their_submitted_sheet(new_uow):
    at = datetime(2024, 5, 7, 8, 30, tzinfo=UTC)
    with new_uow() as uow:
        for eid in ("e2", "e3", "e4"):
            uow.evaluations.add(evaluation().model_copy(update={"id": eid}), EVALUATOR)
        for eid, named in (("e", ["zj1", "zj2"]), ("e2", ["zj1"]), ("e3", ["zj1"]), ("e4", ["zj2"])):
            uow.panels.save_panel(eid, {"experts": named}, 0, EVALUATOR)
        for eid, submitted in (("e2", None), ("e3", at), ("e4", None)):  # a draft, submitted, not named
            uow.panels.save_sheet(eid, "zj1", "赵专家", {"A1": D("4")}, submitted, 0, EXPERT)
        uow.commit()
    with new_uow() as uow:
        assert uow.panels.awaiting("zj1", ["e", "e2", "e3", "e4", "missing"]) == {"e": False, "e2": True}
        assert uow.panels.awaiting("zj2", ["e", "e4"]) == {"e": False, "e4": False}
        assert uow.panels.awaiting("nobody", ["e", "e2"]) == {} and uow.panels.awaiting("zj1", []) == {}
