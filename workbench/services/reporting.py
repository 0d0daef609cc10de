"""Use cases: check a case before reporting, build the Word report, export the score table.

They take a domain ``Case`` (from case files today, from the database later) and return bytes
plus what a user must be told; writing to disk is a thin wrapper that replaces the target file
only once the new one is complete.  Errors found by the report checks stop the report; warnings
travel with it in its log.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from workbench.domain.base import fmt2
from workbench.domain.case import Case
from workbench.domain.checks import evaluation_checks, report_checks
from workbench.domain.ledger_decisions import decision_log
from workbench.domain.narrative import PassageMemo, passages, score_problems
from workbench.domain.quality import QualityItem, quality_items
from workbench.domain.scoring import Scorecard
from workbench.errors import InvalidInput, NotFound, Problem
from workbench.formats.cases import load_case
from workbench.formats.multiyear import load_prior
from workbench.reports import templates
from workbench.reports.chart_cache import report_charts
from workbench.reports.context import Supplements, build_context
from workbench.reports.render import render_docx

SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Checklist:
    """报告核对清单: what the checks found, what the evaluator decided on the ledger, the notes
    kept out of the document, and the 报告质量自检 — shown on the 报告 page and in the log."""

    problems: list[Problem]
    ledger: list[str]
    notes: list[str]
    quality: list[QualityItem]

    def lines(self) -> list[str]:
        errors = sum(1 for p in self.problems if p.is_error)
        return [
            f"检查结果：{errors} 个错误，{len(self.problems) - errors} 个警告或提示",
            *[f"{SEVERITY.get(p.severity, p.severity)}：{p}" for p in self.problems],
            *self.ledger,
            *self.notes,
            "报告质量自检：",
            *[f"  {q.line()}" for q in self.quality],
        ]


def checklist(case: Case, card: Scorecard | None = None) -> Checklist:
    """Every report check, the ledger decisions, the notes that stay out of the report
    (reconstruction, the source's slips the case data normalised) and the quality self-check."""
    card = card or case.scorecard()
    problems = check_report(case, card)
    ev = case.evaluation
    notes = [f"评分表说明（不印入报告）：{ev.reconstructed}"] if ev.reconstructed else []
    notes += [f"落款：{ev.evaluator.unnamed}，报告不印落款" for _ in [1] if ev.evaluator.unnamed]
    notes += [
        f"原文笔误（案例数据已统一）：{e.place}，原文“{e.original}”，现为“{e.now}”"
        + (f"（{e.note}）" if e.note else "")
        for e in ev.source_edits
    ]
    return Checklist(
        problems,
        decision_log(case.ledger, ev.ledger_decisions),
        notes,
        quality_items(case, card, problems),
    )


@dataclass(frozen=True)
class Output:
    """A finished document and what the user must know about it."""

    content: bytes
    problems: list[Problem] = field(default_factory=list)
    log: list[str] = field(default_factory=list)


def load_case_folder(folder: Path) -> Case:
    return load_case(Path(folder))


def folder_supplements(folder: Path) -> Supplements:
    """What a case folder adds beside the case: the prior year and its 整改 items
    (``rectification.yaml``, written by ``export-case`` for a next year's evaluation)."""
    return Supplements(prior=load_prior(Path(folder)))


def check_report(case: Case, card: Scorecard | None = None, memo: PassageMemo | None = None) -> list[Problem]:
    """Every report check (ledger, scores and links, narrative figures); errors first (each
    narrative passage's findings kept in ``memo`` when given)."""
    problems = report_checks(case, card or case.scorecard(), memo)
    return sorted(problems, key=lambda p: not p.is_error)


def _stop_on_errors(problems: list[Problem], what: str) -> None:
    errors = [p for p in problems if p.is_error]
    if errors:
        summary = Problem(f"{what}未生成：检查发现 {len(errors)} 个错误，请先改正后重试")
        raise InvalidInput([*problems, summary])


def _log(case: Case, card: Scorecard, head: list[str], checks: Checklist, now: datetime) -> list[str]:
    ev = case.evaluation
    return [
        f"生成时间：{now:%Y-%m-%d %H:%M:%S}",
        f"项目：{case.project.name}（{case.project.id}）",
        f"评价：{ev.title or ev.id}（{ev.id}，状态：{ev.status}）",
        *head,
        f"指标体系：{card.system_name}；等级划分：{card.band_set.name}",
        f"总分：{fmt2(card.total)} / {fmt2(card.declared_total)}，等级：{card.grade}",
        *checks.lines(),
    ]


def build_report(
    case: Case,
    template: str = "seed",
    *,
    charts: bool = True,
    now: datetime | None = None,
    supplements: Supplements | None = None,
) -> Output:
    """The Word report for ``case`` in the named template (or a .docx path), with its log;
    ``supplements`` adds the self-evaluation comparison and the expert-panel note when there are any."""
    path = templates.resolve(template)
    card = case.scorecard()
    checks = checklist(case, card)
    problems = checks.problems
    _stop_on_errors(problems, "报告")
    context = build_context(case, card, supplements)
    images = report_charts(card, case.decided_ledger) if charts else None
    content = render_docx(path, context, images)
    head = [
        f"模板：{path.stem}（{path}）",
        f"图表：{'已插入 ' + str(len(images)) + ' 幅' if images else '未插入'}",
    ]
    return Output(
        content, problems, ["绩效评价报告生成记录", *_log(case, card, head, checks, now or datetime.now())]
    )


def export_score_table(case: Case, supplements: Supplements | None = None) -> Output:
    """The printable 评分表 (.xlsx).  Not blocked by checks: a draft with 未评分 rows prints too.
    The expert-panel note of ``supplements`` goes under the table."""
    card = case.scorecard()
    _stop_on_errors(score_problems(card, passages(case)), "评分表")
    problems = evaluation_checks(case, card)
    notes = [supplements.panel_note] if supplements and supplements.panel_note else []
    from workbench.formats.score_xlsx import score_table_workbook  # openpyxl: only for this

    content, truncated = score_table_workbook(case, card, notes)
    if truncated:
        cells = "、".join(truncated)
        problems.append(
            Problem(
                f"单元格 {cells} 的文字超过 Excel 上限 32,767 字，已截断（报告中为全文）", severity="warning"
            )
        )
    return Output(content, problems)


# --- files ------------------------------------------------------------------------------------


def checked_target(out: Path, suffix: str) -> Path:
    """``out`` if it names a ``suffix`` file in a folder that exists, else a Chinese refusal."""
    out = Path(out)
    if out.suffix.lower() != suffix:
        raise InvalidInput(f"输出文件名须以 {suffix} 结尾：{out}")
    if out.is_dir():
        raise InvalidInput(f"输出路径是一个文件夹，请给出文件名：{out}")
    if not out.parent.is_dir():
        raise NotFound(f"输出目录不存在：{out.parent}")
    return out


def write_file(path: Path, data: bytes) -> None:
    """Write a finished document to ``path`` (replacing it only once complete)."""
    _replace(path, data)


def _replace(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file, so a failure leaves the old file intact."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def log_path(out: Path) -> Path:
    return out.with_name(out.name + ".log.txt")


def write_report(
    case: Case, template: str, out: Path, *, charts: bool = True, supplements: Supplements | None = None
) -> Output:
    """Build the report and write it to ``out`` (.docx) with its log next to it (.docx.log.txt)."""
    out = checked_target(out, ".docx")
    result = build_report(case, template, charts=charts, supplements=supplements)
    _replace(out, result.content)
    _replace(log_path(out), ("\n".join([*result.log, f"输出文件：{out}"]) + "\n").encode("utf-8"))
    return result


def write_score_table(case: Case, out: Path) -> Output:
    out = checked_target(out, ".xlsx")
    result = export_score_table(case)
    _replace(out, result.content)
    return result
