"""Hostile input in the app: a hostile upload ends in one Chinese message and the page goes on
working; user text full of Markdown shows as text — no remote image, no live link — on every
page that shows it."""

from __future__ import annotations

import re

from screen import shown, texts
from signin import PAGE_USER
from test_page_start import YIYANG_DIR, case_zip, opened_on_scoring, tab_button

from workbench.services import evaluations, findings

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)
HOSTILE = "![](http://attacker.example/x.png) [点我](javascript:alert(1)) <img src=x> [d](data:text/html,x)"
LIVE = re.compile(r"(?<!\\)(!\[|\]\(|<img)")  # an image, a link target or raw HTML, unescaped


def test_an_alias_bomb_uploaded_as_a_case_file_is_refused_and_the_page_still_imports(open_page):
    at = open_page("start")
    uploader = at.get("file_uploader")[0]
    for name in ("project.yaml", "ledger.yaml"):
        uploader.upload(name, (YIYANG_DIR / name).read_bytes(), "application/x-yaml")
    uploader.upload("evaluation.yaml", ALIAS_BOMB.encode(), "application/x-yaml")

    at = tab_button(at, "导入案例")

    assert not at.exception
    assert texts(at.error) == [
        "文件 上传的文件：evaluation.yaml，第 2 行：不支持锚点引用（“*名称”）：请把引用的内容直接写出"
    ]
    at.get("file_uploader")[0].upload("yiyang.zip", case_zip(YIYANG_DIR), "application/zip")
    at.text_input(key="import_as").set_value("after-the-bomb")
    at = tab_button(at, "导入案例")
    opened_on_scoring(at, "after-the-bomb", status="定稿")


def test_a_finding_title_full_of_markdown_shows_as_text_on_the_dashboard_and_findings_pages(
    open_page, app_db, draft
):
    findings.add_finding(app_db.uow(), PAGE_USER, draft, {"title": HOSTILE, "text": HOSTILE})
    versions = evaluations.get_case(app_db.uow(), PAGE_USER, draft).versions
    entry = {"deductions": [{"reason": HOSTILE, "points": 1}]}
    evaluations.save_score(app_db.uow(), PAGE_USER, draft, "B21", entry, versions.of_score("B21"))

    for page in ("dashboard", "findings", "scoring"):
        at = open_page(page, draft)
        raw = [str(e.value) for kind in ("markdown", "caption", "error", "info") for e in getattr(at, kind)]
        assert not [m for m in raw if LIVE.search(m)], page
        if page != "scoring":
            assert HOSTILE in shown(at), page  # the user reads exactly what was typed
