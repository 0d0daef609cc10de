"""The app's pages, in the order of the sidebar menu (used by streamlit_app.py and the page
benchmark, so both draw the same navigation), and which role sees which.

A page is in the menu when the signed-in role holds one of the permissions its entry names
(``admin.my_permissions``); 个人设置 is everyone's.  Hiding is a convenience only: the services
refuse whatever the role may not do.  A page the role may not see is still registered, hidden
from the menu, so that opening its address directly shows a Chinese refusal (``refusal``)
rather than Streamlit's English "page not found".
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from workbench.domain.permissions import PERMISSION_LABELS

# Absolute paths: Streamlit resolves relative ones against the main script, which is the repo
# root for the app but not for the benchmark's floor app.
VIEWS = Path(__file__).resolve().parent / "views"
START = VIEWS / "start.py"
SCORING = VIEWS / "scoring.py"
TODO = VIEWS / "todo.py"
ROOT = "home"  # the address the root page reserves (it opens the role's first page)
REPORT = VIEWS / "report.py"


@dataclass(frozen=True)
class Entry:
    section: str
    path: Path
    title: str
    icon: str
    needs: frozenset[str]  # any one of these shows the page; empty: every signed-in user

    @property
    def url_path(self) -> str:
        return self.path.stem


def _entry(section: str, name: str, title: str, icon: str, *needs: str) -> Entry:
    return Entry(section, VIEWS / f"{name}.py", title, f":material/{icon}:", frozenset(needs))


# Reviewers read the 评分 page (without its form) to review the scores.
# 待办 comes first: the page a working role opens on (``pages(todo_first=...)``).
ENTRIES: list[Entry] = [
    _entry("评价", "todo", "待办", "checklist", "evaluation.view"),
    _entry("评价", "overview", "项目总览", "home", "evaluation.view"),
    _entry("评价", "project", "项目信息", "info", "evaluation.score"),
    _entry("评价", "ledger", "资金台账", "account_balance_wallet", "evaluation.score"),
    _entry("评价", "indicators", "指标体系", "account_tree", "evaluation.create", "evaluation.score"),
    _entry("评价", "scoring", "评分", "edit_note", "evaluation.score", "workflow.review", "workflow.return"),
    _entry("评价", "panel", "专家评分", "groups", "panel.score"),
    _entry("评价", "findings", "问题与建议", "report", "evaluation.findings"),
    _entry("评价", "evidence", "佐证材料", "attach_file", "evidence.view"),
    _entry("评价", "selfeval", "自评表", "assignment", "selfeval.view", "selfeval.submit"),
    _entry("评价", "rectification", "整改台账", "task_alt", "rectification.view"),
    _entry("评价", "report", "报告", "description", "evaluation.report"),
    _entry("评价", "dashboard", "领导看板", "dashboard", "dashboard.view"),
    _entry("评价", "trend", "历年趋势", "timeline", "dashboard.view"),
    _entry("评价", "result_use", "结果应用", "balance", "dashboard.view", "workflow.finalize"),
    _entry("评价", "portfolio", "绩效评价总览", "leaderboard", "dashboard.view"),
    _entry("开始", "start", "新建评价", "add_circle", "evaluation.create"),
    _entry("开始", "score_import", "导入评分表", "upload_file", "evaluation.create"),
    _entry("管理", "users", "用户管理", "group", "users.manage"),
    _entry("管理", "security", "角色与安全设置", "shield_person", "roles.manage", "security.manage"),
    _entry("管理", "audit_log", "审计日志", "fact_check", "audit.view"),
    _entry("管理", "backup", "备份与恢复", "backup", "backup.run"),
    _entry("账号", "account", "个人设置", "manage_accounts"),
]


def allowed(entry: Entry, permissions: Iterable[str] | None) -> bool:
    """Whether ``permissions`` (None: every permission) show ``entry``."""
    return permissions is None or not entry.needs or bool(entry.needs & set(permissions))


def pages(permissions: Iterable[str] | None = None, *, todo_first: bool = True) -> dict[str, list[st.Page]]:
    """The menu for ``permissions`` (None: every page), and the root address, which opens the
    first page shown: 待办 when ``todo_first``, else the one after it (a 领导 with nothing waiting
    opens on 项目总览).  No menu page is Streamlit's default page: the default page lives at the
    root and loses its own address, so a bookmark of it would say in English "Page not found"."""
    held = None if permissions is None else frozenset(permissions)
    menu: dict[str, list[st.Page]] = {}
    first: Entry | None = None
    for entry in ENTRIES:
        shown = allowed(entry, held)
        if shown and first is None and (todo_first or entry.path != TODO):
            first = entry
        page = st.Page(
            entry.path, title=entry.title, icon=entry.icon, visibility="visible" if shown else "hidden"
        )
        menu.setdefault(entry.section, []).append(page)
    landing = first or ENTRIES[-1]  # 个人设置 is everyone's
    root = st.Page(
        functools.partial(st.switch_page, landing.path),
        title=landing.title,
        url_path=ROOT,
        default=True,
        visibility="hidden",
    )
    menu[landing.section].append(root)
    return menu


def refusal(page: Any, role: str, permissions: Iterable[str]) -> str | None:
    """The Chinese refusal for a page opened by its address that ``role`` may not see (else None)."""
    entry = next((e for e in ENTRIES if e.url_path == getattr(page, "url_path", None)), None)
    if entry is None or allowed(entry, permissions):
        return None
    needed = PERMISSION_LABELS.get(sorted(entry.needs)[0], "访问此页面")
    return f"角色“{role}”无权{needed}：“{entry.title}”页面未向您开放。"
