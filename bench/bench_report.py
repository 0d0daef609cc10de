"""Benchmark: generating the Word report against bare python-docx writing the same document.

    .venv/bin/python bench/bench_report.py [--repeat 5]

For the Yiyang case and a synthetic 120-indicator case, in both outlines (seed, mof2020):
- workbench: ``build_report(case, template, charts=False)`` — the whole path: scoring, report checks,
  context, docxtpl rendering, table merges, saving to bytes;
- baseline: bare python-docx writing the same paragraphs (same styles) and tables (header, then rows
  via ``add_row().cells``, never ``table.cell(i, j)``) onto the same template's styles, saved to bytes.
Target: workbench ≤ 1.5 × baseline without charts.  Chart cost is measured separately.
Prints the best of N runs (and the median) in milliseconds; run by hand, never in the test suite.
"""

from __future__ import annotations

import argparse
import copy
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.formats.cases import load_case  # noqa: E402
from workbench.reports import templates  # noqa: E402
from workbench.reports.charts import report_charts  # noqa: E402
from workbench.reports.synthetic import synthetic_case  # noqa: E402
from workbench.services.reporting import build_report  # noqa: E402

TARGET = 1.5


def blocks(docx: bytes) -> list[tuple]:
    """The rendered document as ('p', style, text) and ('t', style, rows) in body order."""
    doc = Document(io.BytesIO(docx))
    paragraphs = {p._p: p for p in doc.paragraphs}
    tables = {t._tbl: t for t in doc.tables}
    out: list[tuple] = []
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:p"):
            p = paragraphs[el]
            out.append(("p", p.style.name, p.text))
        elif el.tag == qn("w:tbl"):
            t = tables[el]
            out.append(("t", t.style.name if t.style else None, [[c.text for c in r.cells] for r in t.rows]))
    return out


def baseline(template: Path, content: list[tuple]) -> bytes:
    """Bare python-docx, the fast way: the same paragraphs and tables on the template's styles."""
    doc = Document(template)
    body = doc.element.body
    section = copy.deepcopy(body.find(qn("w:sectPr")))
    for child in list(body):
        body.remove(child)
    body.append(section)
    styles = {name: doc.styles[name] for name in {style for _, style, _ in content if style}}
    for kind, style, data in content:
        if kind == "p":
            doc.add_paragraph(data, style=styles[style])
            continue
        table = doc.add_table(rows=1, cols=len(data[0]))
        table.style = styles[style] if style else None
        for cell, text in zip(table.rows[0].cells, data[0], strict=True):
            cell.text = text
        for row in data[1:]:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()  # warm up: imports, font registration, caches
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return min(runs), statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cases = {
        "益阳（24 项末级指标）": load_case(ROOT / "projects" / "yiyang-smart-brain-2018"),
        "合成（120 项末级指标）": synthetic_case(),
    }
    found = templates.available()
    print(f"报告生成耗时（毫秒，{args.repeat} 次取最好 / 中位数；不含图表）")
    print(
        f"{'案例':<16}{'模板':<10}{'段落':>6}{'表格行':>7}{'工作台':>16}{'python-docx 基线':>20}{'倍数':>8}"
    )
    for label, case in cases.items():
        for name in ("seed", "mof2020"):
            docx = build_report(case, name, charts=False).content
            content = blocks(docx)
            ours = timed(lambda c=case, n=name: build_report(c, n, charts=False), args.repeat)
            base = timed(lambda n=name, b=content: baseline(found[n], b), args.repeat)
            paras = sum(1 for b in content if b[0] == "p")
            rows = sum(len(b[2]) for b in content if b[0] == "t")
            ratio = ours[0] / base[0]
            mark = "✓" if ratio <= TARGET else "✗"
            print(
                f"{label:<14}{name:<10}{paras:>6}{rows:>7}{ours[0]:>9.0f} / {ours[1]:<5.0f}"
                f"{base[0]:>12.0f} / {base[1]:<5.0f}{ratio:>7.2f}× {mark}"
            )
    print(f"\n图表耗时（毫秒，{args.repeat} 次取最好 / 中位数）")
    for label, case in cases.items():
        card = case.scorecard()
        charts = timed(lambda c=card, k=case: report_charts(c, k.ledger), args.repeat)
        full = timed(lambda k=case: build_report(k, "seed", charts=True), args.repeat)
        print(
            f"{label:<14}三幅图 {charts[0]:.0f} / {charts[1]:.0f}；含图表的完整报告（seed）{full[0]:.0f} / {full[1]:.0f}"
        )


if __name__ == "__main__":
    main()
