"""指标体系 → 修订: a stored system edited as rows — weights checked while editing, saved as a new
version, the original (used by the 定稿 Yiyang evaluation) unchanged."""

from __future__ import annotations

from screen import texts

from workbench.services import catalog, evaluations
from workbench.services.actors import SYSTEM

BASE = "yiyang-2018"
YIYANG = "yiyang-smart-brain-2018-eval"


def editing(open_page):
    at = open_page("indicators")
    at.selectbox(key="indicator_system").set_value(BASE).run()
    return at


def cell(at, row: int, key: str):
    return at.text_input(key=f"edit:{BASE}:{row}:{key}")


def codes(at) -> dict[str, int]:
    """Indicator code -> its row in the editor (the empty row to add is the last, not listed)."""
    out, row = {}, 0
    while f"edit:{BASE}:{row}:code" in [w.key for w in at.text_input]:
        out[cell(at, row, "code").value] = row
        row += 1
    out.pop("", None)
    return out


def click(at, label: str):
    return next(b for b in at.button if b.label == label).click().run()


def test_a_weight_that_no_longer_adds_up_is_named_when_checked_and_nothing_is_stored(open_page, app_db):
    at = editing(open_page)
    cell(at, codes(at)["A11"], "weight").set_value("5")

    at = click(at, "检查分值与结构")

    errors = " ".join(texts(at.error))
    assert "下级指标分值合计 9.00，应等于本级分值 8.00" in errors and "A1" in errors
    assert [s.id for s in catalog.list_systems(app_db.uow(), SYSTEM) if s.id.startswith(BASE)] == [BASE]


def test_an_edit_is_saved_as_a_new_version_and_the_final_evaluation_keeps_the_original(open_page, app_db):
    at = editing(open_page)
    rows = codes(at)
    cell(at, rows["A11"], "weight").set_value("3")
    cell(at, rows["A11"], "criteria").set_value("依据充分得满分，每缺一项扣 1 分")
    cell(at, rows["A12"], "weight").set_value("5")
    last = len(rows)
    for key, value in {
        "level": "3",
        "code": "A13",
        "name": "新增指标",
        "weight": "0",
        "rule": "{kind: manual}",
    }.items():
        cell(at, last, key).set_value(value)

    at = click(at, "另存为新体系")

    assert not at.error, texts(at.error)
    assert any("已另存为新的指标体系：yiyang-2018-v2" in s for s in texts(at.success))
    saved = catalog.get_system(app_db.uow(), SYSTEM, "yiyang-2018-v2")
    assert saved.find("A11").criteria == "依据充分得满分，每缺一项扣 1 分" and saved.find("A11").weight == 3
    assert saved.find("A13").name == "新增指标"
    original = catalog.get_system(app_db.uow(), SYSTEM, BASE)
    assert original.find("A11").weight == 4 and original.find("A13") is None
    card = evaluations.scorecard(app_db.uow(), SYSTEM, YIYANG)
    assert (f"{card.total}", card.grade) == ("83.00", "良好")


def test_indicators_reordered_by_their_number_are_redrawn_checked_and_saved_as_a_new_version(
    open_page, app_db
):
    at = editing(open_page)
    rows = codes(at)
    cell(at, rows["A12"], "order").set_value(str(rows["A11"] + 0.5))  # A12 before A11

    at = click(at, "按序号重排")

    assert not at.error, texts(at.error)
    moved = codes(at)
    assert moved["A12"] == rows["A11"] and moved["A11"] == rows["A12"]
    assert cell(at, moved["A12"], "order").value == str(rows["A11"] + 1)  # numbered 1, 2, 3 … again
    assert any("检查通过" in s for s in texts(at.success))
    at = click(at, "另存为新体系")
    assert not at.error, texts(at.error)
    (new_id,) = [s.rsplit("：", 1)[1] for s in texts(at.success) if "已另存为新的指标体系" in s]
    saved = catalog.get_system(app_db.uow(), SYSTEM, new_id)
    assert new_id.startswith(f"{BASE}-v") and [c.code for c in saved.find("A1").children] == ["A12", "A11"]
    original = catalog.get_system(app_db.uow(), SYSTEM, BASE)
    assert [c.code for c in original.find("A1").children] == ["A11", "A12"]


def test_an_indicator_moved_under_another_parent_has_the_weights_rechecked_and_named(open_page, app_db):
    stored = len(catalog.list_systems(app_db.uow(), SYSTEM))
    at = editing(open_page)
    rows = codes(at)
    cell(at, rows["A11"], "order").set_value(str(rows["A21"] + 1.5))  # A11 (4 分) into A2 (6 分)

    at = click(at, "按序号重排")

    errors = " ".join(texts(at.error))
    assert "A1" in errors and "A2" in errors and "应等于本级分值" in errors
    assert codes(at)["A11"] == rows["A21"]  # drawn where it was moved, for the user to fix
    assert len(catalog.list_systems(app_db.uow(), SYSTEM)) == stored


def test_a_number_that_is_not_a_number_is_refused_naming_the_indicator(open_page):
    at = editing(open_page)
    cell(at, codes(at)["A12"], "order").set_value("第二")

    at = click(at, "按序号重排")

    errors = " ".join(texts(at.error))
    assert "序号" in errors and "第二" in errors
