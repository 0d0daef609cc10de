"""``workbench report`` as a whole process, against a bare python-docx script rebuilding the same
document, both run as subprocesses in the same run.

Run by hand:  .venv/bin/python bench/report_process.py [--runs 7] [--case projects/...]

1. ``workbench report CASE --out A.docx`` once, to get the document.
2. The floor script is written from that document: every body paragraph (its style and text, and
   any inline picture — the chart PNGs, same bytes, same width) and every table (its style and
   cell texts) in body order, as literals in a python-docx script that opens the same template
   (for its styles), empties the body and rebuilds it, then saves.  The PNGs sit next to it.
3. Both commands are run N times, taking turns (so a busy spell of the shared machine hits both),
   and the median wall time of each is printed with the ratio.  Target: report ≤ 1.5 × floor.

The first ``workbench report`` run (step 1) also fills the chart cache (workbench/reports/
chart_cache.py); ``--cold`` points each timed run at an empty cache folder, so every run draws
its charts with matplotlib — that figure is printed as well when asked.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).parent / "workbench"
TARGET = 1.5
BLIP = ".//" + qn("a:blip")
EXTENT = ".//" + qn("wp:extent")

FLOOR_HEAD = """
import copy, sys
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Emu

HERE = sys.argv[1]
doc = Document({template!r})
body = doc.element.body
section = copy.deepcopy(body.find(qn("w:sectPr")))
for child in list(body):
    body.remove(child)
body.append(section)
styles = {{}}


def style(name):
    if name not in styles:
        styles[name] = doc.styles[name]
    return styles[name]


def paragraph(name, text, picture=None, width=None):
    p = doc.add_paragraph(text, style=style(name))
    if picture:
        p.add_run().add_picture(HERE + "/" + picture, width=Emu(width))


def table(name, rows):
    t = doc.add_table(rows=1, cols=len(rows[0]))
    if name:
        t.style = style(name)
    for cell, text in zip(t.rows[0].cells, rows[0]):
        cell.text = text
    for row in rows[1:]:
        for cell, text in zip(t.add_row().cells, row):
            cell.text = text

"""


def floor_script(docx: bytes, template: Path, folder: Path) -> Path:
    """A python-docx script rebuilding ``docx`` (written into ``folder`` with its pictures)."""
    doc = Document(io.BytesIO(docx))
    paragraphs = {p._p: p for p in doc.paragraphs}
    tables = {t._tbl: t for t in doc.tables}
    lines = [FLOOR_HEAD.format(template=str(template))]
    pictures = 0
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:p"):
            p = paragraphs[el]
            blip, extent = el.find(BLIP), el.find(EXTENT)
            if blip is None:
                lines.append(f"paragraph({p.style.name!r}, {p.text!r})")
                continue
            pictures += 1
            name = f"picture{pictures}.png"
            (folder / name).write_bytes(p.part.related_parts[blip.get(qn("r:embed"))].blob)
            lines.append(f"paragraph({p.style.name!r}, {p.text!r}, {name!r}, {int(extent.get('cx'))})")
        elif el.tag == qn("w:tbl"):
            t = tables[el]
            rows = [[c.text for c in r.cells] for r in t.rows]
            lines.append(f"table({(t.style.name if t.style else None)!r}, {rows!r})")
    lines.append("doc.save(sys.argv[2])\n")
    script = folder / "floor.py"
    script.write_text("\n".join(lines), encoding="utf-8")
    return script


def summary(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    pictures = len(doc.element.body.findall(BLIP))
    return f"{len(doc.paragraphs)} 段落、{len(doc.tables)} 个表格、{pictures} 幅图"


def run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system, of the child) in ms."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=ROOT)
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (median reported)")
    parser.add_argument("--case", default="projects/yiyang-smart-brain-2018")
    parser.add_argument("--template", default="seed")
    parser.add_argument(
        "--from-source", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as the shell has it"
    )
    parser.add_argument("--cold", action="store_true", help="also time the report with an empty chart cache")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from workbench.reports import templates

    work = Path(tempfile.mkdtemp(prefix="wb-report-process-"))
    env = {**os.environ, "WORKBENCH_CACHE_DIR": str(work / "cache")}
    if not args.from_source:
        # Both commands read byte-compiled modules, as an installed Python does.  With
        # PYTHONDONTWRITEBYTECODE set (this machine's shells set it) the editable workbench would
        # compile its own ~150 modules from source on every run, while the floor's libraries were
        # byte-compiled by pip at install.  Compiled files go to the bench's temp folder.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    ours = [str(SCRIPT), "report", args.case, "--template", args.template, "--out", str(work / "ours.docx")]
    first, _ = run(ours, env)
    docx = (work / "ours.docx").read_bytes()
    script = floor_script(docx, templates.resolve(args.template), work)
    floor = [sys.executable, str(script), str(work), str(work / "floor.docx")]
    run(floor, env)
    if summary((work / "floor.docx").read_bytes()) != summary(docx):
        raise SystemExit("the floor script did not rebuild the same document")
    trials = {"floor": floor, "report": ours}
    if args.cold:
        trials["report, cold"] = ours
    samples: dict[str, list[tuple[float, float]]] = {label: [] for label in trials}
    for n in range(args.runs):
        for label, command in trials.items():
            cold = {"WORKBENCH_CACHE_DIR": str(work / f"cold-{n}")} if label.endswith("cold") else {}
            samples[label].append(run(command, {**env, **cold}))
    wall = {label: statistics.median(t[0] for t in times) for label, times in samples.items()}
    cpu = {label: statistics.median(t[1] for t in times) for label, times in samples.items()}
    print(f"文档：{args.case}（{args.template}）：{summary(docx)}；首次运行 {first:.0f} ms")
    compiled = "modules compiled from source" if args.from_source else "byte-compiled modules"
    print(
        f"median of {args.runs} runs, whole process, ms (floor and report take turns, {compiled}); "
        f"load {os.getloadavg()[0]:.1f}"
    )
    print(f"  {'':<30}{'wall':>8}{'cpu':>8}")
    print(f"  {'python-docx floor script':<30}{wall['floor']:8.0f}{cpu['floor']:8.0f}")
    for label in trials:
        if label != "floor":
            ratio, cpu_ratio = wall[label] / wall["floor"], cpu[label] / cpu["floor"]
            verdict = "ok" if ratio <= TARGET else f"over the {TARGET}× target"
            print(
                f"  {'workbench ' + label:<30}{wall[label]:8.0f}{cpu[label]:8.0f}"
                f"   = {ratio:4.2f}× floor ({verdict}); cpu {cpu_ratio:4.2f}×"
            )


if __name__ == "__main__":
    main()
