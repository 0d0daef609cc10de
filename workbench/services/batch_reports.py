"""批量生成报告: one Word report per evaluation of a year or a department, and an index.

Each report goes the way ``workbench report`` and the 报告 page go (``stored_reports.report``:
the ``evaluation.report`` permission per evaluation, the report checks, the audit record).  One
evaluation that fails — checks with errors, a refusal, a broken stored part — is one 失败 line of
the index with its Chinese reason; the others go on.  Reports are made and written one at a
time, so memory does not grow with their number (bench/batch_reports.py measures it).
"""

from __future__ import annotations

import gc
import logging
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.portfolio import BatchLine, PortfolioRow
from workbench.errors import NotFound, WorkbenchError, explain, unexpected
from workbench.formats.portfolio_xlsx import index_workbook
from workbench.services import stored_reports
from workbench.services.actors import Actor
from workbench.services.ports import UnitOfWork
from workbench.services.reporting import write_file

log = logging.getLogger("workbench.batch_reports")
INDEX_NAME = "报告清单.xlsx"
UNSAFE = re.compile(r"[^0-9A-Za-z_\-\u4e00-\u9fff]+")
Progress = Callable[[int, int, BatchLine], None]  # (done, total, line just finished)


@dataclass(frozen=True)
class BatchResult:
    lines: list[BatchLine]
    index: bytes  # the index workbook (报告清单.xlsx)

    @property
    def failed(self) -> list[BatchLine]:
        return [b for b in self.lines if not b.ok]


def file_name(row: PortfolioRow, taken: set[str]) -> str:
    """``<year>_<evaluation id>.docx`` with anything but letters, digits, CJK, - and _ replaced,
    unique among ``taken`` (which it joins) and never a path."""
    stem = UNSAFE.sub("_", row.evaluation_id).strip("_")[:80] or "评价"
    name, n = f"{row.year}_{stem}.docx", 2
    while name in taken:
        name, n = f"{row.year}_{stem}_{n}.docx", n + 1
    assert Path(name).name == name and not name.startswith(".")
    taken.add(name)
    return name


def reason(exc: BaseException) -> str:
    """Why a report was not made, in Chinese: the check's summary first, then the first errors."""
    known = exc if isinstance(exc, WorkbenchError) else explain(exc)
    if known is None:
        return unexpected(exc, log)
    errors = [p for p in known.problems if p.is_error] or known.problems
    shown = [errors[-1], *errors[:-1][:2]] if len(errors) > 1 else errors
    more = len(errors) - len(shown)
    return "；".join(str(p) for p in shown) + (f"；另有 {more} 个错误" if more > 0 else "")


def reports(
    uow: UnitOfWork,
    actor: Actor,
    rows: Sequence[PortfolioRow],
    template: str = "seed",
    *,
    charts: bool = True,
) -> Iterator[tuple[BatchLine, bytes | None]]:
    """Each evaluation's report in turn, with its line of the index (None content when it failed)."""
    taken: set[str] = set()
    for row in rows:
        name = file_name(row, taken)
        try:
            content = stored_reports.report(uow, actor, row.evaluation_id, template, charts=charts).content
        except Exception as exc:  # one evaluation failing is reported; the rest go on
            yield BatchLine(row, name, ok=False, reason=reason(exc)), None
            continue
        finally:
            # A rendered document leaves reference cycles holding lxml trees (C memory the
            # collector does not count), promoted before a full collection comes: without this
            # the process grew by about 1 MB a report (bench/batch_reports.py).  Young
            # generations suffice, at a few ms a report.
            gc.collect(1)
        yield BatchLine(row, name, ok=True), content


def write_folder(
    uow: UnitOfWork,
    actor: Actor,
    rows: Sequence[PortfolioRow],
    folder: Path,
    *,
    title: str,
    template: str = "seed",
    charts: bool = True,
    progress: Progress | None = None,
) -> BatchResult:
    """The reports as .docx files in ``folder`` (made if its parent exists) and the index
    ``报告清单.xlsx`` beside them."""
    folder = Path(folder)
    if not folder.parent.is_dir():
        raise NotFound(f"输出目录的上级目录不存在：{folder.parent}")
    folder.mkdir(exist_ok=True)
    lines = []
    for line, content in reports(uow, actor, rows, template, charts=charts):
        if content is not None:
            try:
                write_file(folder / line.file_name, content)
            except OSError as exc:
                line = BatchLine(line.row, line.file_name, ok=False, reason=f"写入文件失败：{reason(exc)}")
        lines.append(line)
        if progress:
            progress(len(lines), len(rows), line)
    index = index_workbook(title, lines)
    write_file(folder / INDEX_NAME, index)
    return BatchResult(lines, index)


def zip_archive(
    uow: UnitOfWork,
    actor: Actor,
    rows: Sequence[PortfolioRow],
    *,
    title: str,
    template: str = "seed",
    charts: bool = True,
    progress: Progress | None = None,
) -> tuple[bytes, BatchResult]:
    """The reports and the index in one .zip (for a download); spooled to disk while it grows."""
    lines = []
    with tempfile.SpooledTemporaryFile(max_size=8 * 2**20) as spool:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
            for line, content in reports(uow, actor, rows, template, charts=charts):
                if content is not None:
                    archive.writestr(line.file_name, content)
                lines.append(line)
                if progress:
                    progress(len(lines), len(rows), line)
            index = index_workbook(title, lines)
            archive.writestr(INDEX_NAME, index)
        spool.seek(0)
        return spool.read(), BatchResult(lines, index)
