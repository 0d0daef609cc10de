"""The arrows between the workbench's modules (DESIGN.md): no import circles, and a command line
that loads only what a command uses."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import grimp


def import_circles(graph: grimp.ImportGraph) -> Iterator[set[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            child = next(edges, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    yield component


def test_the_circle_finder_finds_a_circle_of_three_and_nothing_else():
    graph = grimp.ImportGraph()
    for importer, imported in [("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d")]:
        graph.add_import(importer=importer, imported=imported)

    assert list(import_circles(graph)) == [{"p.a", "p.b", "p.c"}]


def test_no_workbench_modules_import_each_other_in_a_circle():
    graph = grimp.build_graph("workbench", cache_dir=None)

    assert list(import_circles(graph)) == []


def test_the_command_line_package_has_no_circle_and_its_hub_imports_no_command():
    graph = grimp.build_graph("workbench", cache_dir=None)

    from workbench.cli import MODULE_ORDER

    commands = {f"workbench.cli.{name}" for name in MODULE_ORDER}

    assert commands, "the command modules of workbench/cli/"
    assert not any(c & {"workbench.cli", *commands} for c in import_circles(graph))
    assert not graph.find_modules_directly_imported_by("workbench.cli.core") & commands


def test_showing_the_command_line_help_loads_no_service_storage_format_or_chart_module():
    probe = (
        "import sys; from workbench.cli import app\n"
        "heavy = ('workbench.services', 'workbench.storage', 'workbench.formats', 'workbench.reports',"
        " 'matplotlib', 'sqlalchemy', 'openpyxl', 'pydantic', 'argon2', 'docx', 'docxtpl', 'jinja2',"
        " 'pandas', 'numpy', 'streamlit', 'plotly', 'alembic', 'psycopg', 'yaml', 'zxcvbn')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))"
    )

    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)

    assert done.stdout.strip() == "[]"
