"""Read the case workbook (layout in ``case_sheets``) into the same domain objects a case folder
gives: project, ledger, evaluation, indicator system and grade bands.

Every problem is collected, one per cell (file, sheet, row, column): a missing sheet, text where a
figure belongs, a unit other than 万元/元, a field the models refuse.  Nothing is returned unless
the whole workbook reads.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from workbench.domain.case import Case
from workbench.domain.evaluation import Evaluation
from workbench.domain.ledger import Ledger
from workbench.domain.limits import MAX_FIGURE
from workbench.domain.messages import field_label, translate
from workbench.domain.project import Project
from workbench.errors import InvalidInput, Problem
from workbench.formats import case_sheets as cs
from workbench.formats.cases import load_bands
from workbench.formats.sheet_layout import NotApplicable, cell_text, norm, to_decimal
from workbench.formats.system_xlsx import bounded, checked_system, read_tree
from workbench.formats.xlsx_sheet import Sheet, Workbook
from workbench.formats.yamlio import parse_yaml

Place = tuple[Sheet, int, int | None]
BOOLEAN_PATHS = {"system.weighted", "ledger.payment_terms.bands_assumed"}


class _Reader:
    def __init__(self, sheets: dict[str, Sheet]):
        self.sheets = sheets
        self.problems: list[Problem] = []
        self.places: dict[tuple[str, tuple[Any, ...]], Place] = {}
        self.reported: set[tuple[str, int | None]] = set()  # rows already named: one message each

    def bad(
        self, sheet: Sheet, message: str, row: int | None = None, col: int | None = None, **kw: Any
    ) -> None:
        self.problems.append(sheet.problem(message, row, col, **kw))
        self.reported.add((sheet.name, row))

    def number(self, sheet: Sheet, r: int, c: int, field: str) -> Decimal | None:
        try:
            got = to_decimal(sheet.cell(r, c))
        except NotApplicable:
            got = "/"
        if isinstance(got, str):
            self.bad(sheet, f"应为数字，填写的是“{got}”", r, c, field=field)
            return None
        if got is not None and abs(got) >= MAX_FIGURE:
            self.bad(sheet, f"数值过大（{got:.3E}），请核对单位与位数", r, c, field=field)
            return None
        return got

    def year(self, sheet: Sheet, r: int, c: int) -> int | None:
        got = self.number(sheet, r, c, "年度")
        if got is not None and got != int(got):
            self.bad(sheet, f"年度应为整数，填写的是 {got}", r, c, field="年度")
            return None
        return None if got is None else int(got)

    def model(self, model: type[BaseModel], data: Any, key: str, fallback: Place) -> Any:
        """Validate, retrying once with numbers typed into text fields read as text."""
        for attempt in (0, 1):
            try:
                return model.model_validate(data)
            except ValidationError as exc:
                errors = exc.errors()
                if attempt == 0 and _texts_as_numbers(data, errors):
                    continue
                for err in errors:
                    sheet, row, col = self._place(key, err["loc"], fallback)
                    if (sheet.name, row) in self.reported and row is not None:
                        continue
                    names = [p for p in err["loc"] if isinstance(p, str)]
                    field = field_label(names[-1]) if names else None
                    self.bad(sheet, translate(err), row, col, field=field)
                return None
        return None  # pragma: no cover - the loop returns

    def _place(self, key: str, loc: tuple[Any, ...], fallback: Place) -> Place:
        loc = tuple(loc)
        while loc:
            if (key, loc) in self.places:
                return self.places[(key, loc)]
            loc = loc[:-1]
        return fallback


def _texts_as_numbers(data: Any, errors: list[Any]) -> bool:
    """Turn numbers found where text is expected into text, in place; True when any changed."""
    changed = False
    for err in errors:
        if err["type"] != "string_type" or not isinstance(err["input"], int | Decimal | float):
            continue
        node = data
        for step in err["loc"][:-1]:
            node = node[step]
        value = err["input"]
        node[err["loc"][-1]] = str(value) if isinstance(value, Decimal) else cell_text(value)
        changed = True
    return changed


def read_case_workbook(path: Path, indicators: Path | None = None) -> Case:
    book = Workbook(path)
    missing = [name for name in cs.SHEETS if name not in book.names]
    if missing:
        raise InvalidInput(
            [
                Problem(f"缺少工作表「{name}」（案例工作簿须有：{'、'.join(cs.SHEETS)}）", file=book.file)
                for name in missing
            ]
        )
    sheets = {}
    for name in cs.SHEETS:
        sheets[name] = book.sheet(name)
        book.refuse_unsaved_formulas(sheets[name])
    problems = [p for s in sheets.values() for p in bounded(s)]
    if problems:
        raise InvalidInput(problems)
    reader = _Reader(sheets)
    info = _info(reader, sheets[cs.INFO])
    ledger = _ledger(reader, sheets[cs.LEDGER], sheets[cs.SPEND], info.get("ledger", {}))
    tree, tree_problems = read_tree(sheets[cs.SYSTEM])
    system = checked_system(info.get("system", {}), tree, sheets[cs.SYSTEM], tree_problems)
    reader.problems += tree_problems
    evaluation = _evaluation(reader, info.get("evaluation", {}))
    head = (sheets[cs.INFO], 0, None)
    project = reader.model(Project, info.get("project", {}), "project", head)
    if reader.problems or None in (project, ledger, system, evaluation):
        raise InvalidInput(reader.problems or [Problem("工作簿内容不完整", file=book.file)])
    bands = load_bands(evaluation.bands, indicators)
    return Case(project, ledger, evaluation, system, bands)


def _info(reader: _Reader, sheet: Sheet) -> dict[str, Any]:
    rows = []
    for r in range(1, len(sheet.rows)):
        key, value = cell_text(sheet.cell(r, 2)), sheet.cell(r, 1)
        if not key or cell_text(value) == "":
            continue
        parts = key.split(".")
        if parts[0] not in ("project", "evaluation", "system") and parts[:2] != ["ledger", "payment_terms"]:
            reader.bad(sheet, f"无法识别的字段代码“{key}”", r, 2)
            continue
        value = _value(value, key)
        rows.append((parts, value))
        group = "ledger" if parts[0] == "ledger" else parts[0]
        loc = tuple(int(p) - 1 if p.isdigit() else p for p in parts[1:])
        reader.places[(group, loc)] = (sheet, r, 1)
    try:
        return cs.unflatten(rows)
    except ValueError as exc:
        reader.bad(sheet, f"字段代码有误：{exc}")
        return {}


def _value(value: Any, key: str) -> Any:
    if key in BOOLEAN_PATHS and cell_text(value) in (cs.YES, cs.NO):
        return cell_text(value) == cs.YES
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float):
        return int(value) if value.is_integer() else Decimal(repr(value))
    return value


def _ledger(reader: _Reader, sheet: Sheet, spend: Sheet, extra: dict[str, Any]) -> Ledger | None:
    total_row = next((r for r, line in enumerate(sheet.rows) if line and norm(line[0]) == "总投资"), None)
    header = next((r for r, line in enumerate(sheet.rows[:10]) if line and norm(line[0]) == "年度"), None)
    if total_row is None or header is None:
        reader.bad(sheet, f"找不到“{cs.TOTAL_LABEL}”一行或以“年度”开头的表头")
        return None
    total = reader.number(sheet, total_row, 1, cs.TOTAL_LABEL)
    if total is None:
        reader.bad(sheet, "请填写总投资（万元）", total_row, 1, field="总投资")
    plan, years = [], []
    for r in range(header + 1, len(sheet.rows)):
        if not any(cell_text(v) for v in sheet.rows[r]):
            continue
        year = reader.year(sheet, r, 0)
        figures = {
            k: reader.number(sheet, r, c, cs.LEDGER_HEADERS[c])
            for c, k in enumerate(cs.LEDGER_KEYS)
            if c in (1, 3, 4, 5, 6)
        }
        texts = {k: cell_text(sheet.cell(r, c)) for c, k in enumerate(cs.LEDGER_KEYS) if c in (2, 7, 8)}
        if figures["amount"] is not None:
            reader.places[("ledger", ("plan", len(plan)))] = (sheet, r, 1)
            plan.append({"year": year, "amount": figures.pop("amount"), "terms": texts.pop("terms")})
        figures.pop("amount", None)
        texts.pop("terms", None)
        funds = {k: v for k, v in (figures | texts).items() if v not in (None, "")}
        if funds:
            reader.places[("ledger", ("years", len(years)))] = (sheet, r, None)
            years.append({"year": year, **funds})
    lines = _spend_lines(reader, spend)
    data = {"total_investment": total, "plan": plan, "years": years, "spend_lines": lines, **extra}
    return reader.model(Ledger, data, "ledger", (sheet, total_row, 1))


def _spend_lines(reader: _Reader, sheet: Sheet) -> list[dict[str, Any]]:
    out = []
    for r in range(1, len(sheet.rows)):
        if not any(cell_text(v) for v in sheet.rows[r]):
            continue
        line: dict[str, Any] = {
            "year": reader.year(sheet, r, 0),
            "amount": reader.number(sheet, r, 3, "金额"),
        }
        for c in (1, 2, 6, 7):
            line[cs.SPEND_KEYS[c]] = cell_text(sheet.cell(r, c))
        unit = cell_text(sheet.cell(r, 4))
        if unit not in ("万元", "元"):
            shown = f"填写的是“{unit}”" if unit else "未填写"
            reader.bad(sheet, f"单位应为“万元”或“元”，{shown}", r, 4, field="单位")
        line["unit"] = unit
        planned = cell_text(sheet.cell(r, 5)) or cs.YES
        if planned not in (cs.YES, cs.NO):
            reader.bad(sheet, f"应填“是”或“否”，填写的是“{planned}”", r, 5, field="列入预算")
        line["planned"] = planned == cs.YES
        reader.places[("ledger", ("spend_lines", len(out)))] = (sheet, r, None)
        out.append(line)
    return out


def _evaluation(reader: _Reader, meta: dict[str, Any]) -> Evaluation | None:
    sheet = reader.sheets[cs.SCORES]
    scores: dict[str, dict[str, Any]] = {}
    for r in range(1, len(sheet.rows)):
        code = cell_text(sheet.cell(r, 0))
        if not code:
            continue
        _score_row(reader, sheet, r, scores.setdefault(code, {"_row": r}))
    for code in [c for c, e in scores.items() if set(e) == {"_row"}]:
        del scores[code]
    for code, entry in scores.items():
        reader.places[("evaluation", ("scores", code))] = (sheet, entry.pop("_row"), None)
    data = {**meta, "scores": scores, **_findings(reader, reader.sheets[cs.FINDINGS])}
    return reader.model(Evaluation, data, "evaluation", (reader.sheets[cs.INFO], 0, None))


def _score_row(reader: _Reader, sheet: Sheet, r: int, entry: dict[str, Any]) -> None:
    status = cell_text(sheet.cell(r, 3))
    if status and status not in (cs.SCORED, cs.UNSCORED, cs.NOT_APPLICABLE):
        reader.bad(
            sheet, f"评分状态应为“{cs.SCORED}”“{cs.UNSCORED}”或“{cs.NOT_APPLICABLE}”", r, 3, field="评分状态"
        )
    texts = [cell_text(sheet.cell(r, c)) for c in range(4, 12)]
    if status == cs.UNSCORED and not any(texts):
        return
    if status == cs.NOT_APPLICABLE:
        entry["not_applicable"] = True
    na_reason, inputs, rationale, evidence, reason, _points, source, proof = texts
    for key, value in (("na_reason", na_reason), ("rationale", rationale)):
        if value:
            entry[key] = value
    if evidence:
        entry["evidence"] = [e.strip() for e in evidence.splitlines() if e.strip()]
    if inputs:
        try:
            entry["inputs"] = parse_yaml(inputs, sheet.file).data
        except InvalidInput:
            reader.bad(
                sheet, f"评分输入无法识别：“{inputs}”（格式如 {{numerator: 1905, denominator: 1905}}）", r, 5
            )
    points = reader.number(sheet, r, 9, "扣分")
    items = reader.number(sheet, r, 12, "扣分处数")
    if reason or points is not None or source or proof:
        deduction = {"reason": reason, "points": points, "source": source, "evidence": proof, "items": items}
        entry.setdefault("deductions", []).append({k: v for k, v in deduction.items() if v not in ("", None)})


def _findings(reader: _Reader, sheet: Sheet) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {"findings": [], "recommendations": []}
    for r in range(1, len(sheet.rows)):
        kind, item_id, title, text, links = (cell_text(sheet.cell(r, c)) for c in range(5))
        if not any((kind, item_id, title, text, links)):
            continue
        if kind not in (cs.FINDING, cs.RECOMMENDATION):
            reader.bad(sheet, f"类别应为“问题”或“建议”，填写的是“{kind}”", r, 0, field="类别")
            continue
        key, link_key = ("findings", "indicators") if kind == cs.FINDING else ("recommendations", "findings")
        linked = [x.strip() for x in links.replace("，", cs.LIST_SEP).split(cs.LIST_SEP) if x.strip()]
        reader.places[("evaluation", (key, len(out[key])))] = (sheet, r, None)
        item = {"id": item_id, "title": title, "text": text, link_key: linked}
        out[key].append({k: v for k, v in item.items() if v not in ("", [])})
    return out
