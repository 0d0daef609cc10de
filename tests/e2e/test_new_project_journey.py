"""A new project from nothing, in a real browser (Debian Chromium via Playwright) against
``streamlit run`` on a database file of its own — forms only, no files:

新建评价 from the 10号 generic indicator system with a blank project → 项目信息 (unit, procurement,
one performance target) → 资金台账 (investment, plan, funds of the year, two spend lines, one of
them entered in 元 so the unit check speaks) → 评分 every indicator → 报告 → download the Word report,
which names the project, the total and the grade.

Each step leaves a 1366×768 screenshot in a folder the test prints (outside the repository).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from actors import EVALUATOR
from browser import CHROMIUM, STEP_MS, add_people, choose, served, settled, sign_in
from docx import Document
from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Chromium 未安装（/usr/bin/chromium）：跳过浏览器测试"
    ),
]
PROJECT = "城区智慧停车平台建设项目"
# Each leaf of the 10号 generic system with what the evaluator enters: (code, name, inputs by label,
# deduction).  Inputs by the label the form shows; a tier is chosen from its list.
SCORES: list[tuple[str, str, dict[str, str], str | None]] = [
    ("D11", "立项依据充分性", {}, None),
    ("D12", "立项程序规范性", {}, None),
    ("D21", "绩效目标合理性", {}, "绩效目标未细化量化"),
    ("D22", "绩效指标明确性", {}, None),
    ("D31", "预算编制科学性", {}, None),
    ("D32", "资金分配合理性", {}, None),
    ("P11", "资金到位率", {"比率（%，或填写下面两项）": "100"}, None),
    ("P12", "预算执行率", {"预算执行率（%，或填写下面两项）": "96"}, None),
    ("P13", "资金使用合规性", {}, None),
    ("P21", "管理制度健全性", {}, None),
    ("P22", "制度执行有效性", {}, None),
    ("O11", "实际完成率", {"实际值": "10", "目标值": "10"}, None),
    ("O21", "质量达标率", {"实际值（%）": "100"}, None),
    ("O31", "完成及时性", {"档位": "达成"}, None),
    ("O41", "成本控制", {"实际值（万元）": "480", "目标值（万元）": "500"}, None),
    ("E11", "社会效益", {"档位": "达成"}, None),
    ("E12", "可持续影响", {"档位": "达成"}, None),
    ("E21", "服务对象满意度", {"满意度（%，或填写下面两项）": "92"}, None),
]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(tmp_path_factory.mktemp("new-project"), lambda db: add_people(db, EVALUATOR)) as url:
        yield url


class Camera:
    """Numbered 1366×768 screenshots of the steps, in a folder outside the repository."""

    def __init__(self, page: Page, folder: Path) -> None:
        self.page, self.folder, self.count = page, folder, 0
        print(f"\nscreenshots: {folder}")

    def shot(self, name: str) -> None:
        settled(self.page)
        self.count += 1
        self.page.screenshot(path=self.folder / f"{self.count:02d}-{name}.png")


def go(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    page.get_by_role("heading", name=title, exact=True).wait_for()
    settled(page)


def field(page: Page, label: str):
    return page.get_by_role("textbox", name=label, exact=True)


def new_evaluation(page: Page, camera: Camera) -> None:
    go(page, "新建评价")
    page.get_by_role("tab", name="按指标体系新建").click()
    choose(page, "指标体系", re.compile("10号框架通用版"))
    field(page, "项目名称 *").fill(PROJECT)
    field(page, "评价年度 *").fill("2024")
    field(page, "项目单位 *").fill("某市城市管理局")
    camera.shot("new-evaluation")
    page.get_by_role("button", name="新建评价").click()
    page.get_by_role("heading", name="评分", exact=True).wait_for()
    page.get_by_text("已新建评价").wait_for()
    camera.shot("created")


def project_facts(page: Page, camera: Camera) -> None:
    go(page, "项目信息")
    field(page, "单位性质").fill("行政单位")
    field(page, "采购方式").fill("公开招标")
    field(page, "中标（承建）单位").fill("某信息技术有限公司")
    field(page, "绩效目标第1行绩效目标").fill("建成停车诱导屏")
    field(page, "绩效目标第1行目标值").fill("10块")
    field(page, "绩效目标第1行实际完成").fill("10块")
    camera.shot("project-form")
    page.get_by_role("button", name="保存项目信息").click()
    page.get_by_text("已保存项目信息").wait_for()
    camera.shot("project-saved")


def ledger(page: Page, camera: Camera) -> None:
    go(page, "资金台账")
    field(page, "总投资（万元）").fill("500")
    cells = {
        "分年支付计划第1行年度": "2024",
        "分年支付计划第1行计划金额（万元）": "500",
        "年度资金第1行年度": "2024",
        "年度资金第1行预算安排（万元）": "500",
        "年度资金第1行实际到位（万元）": "500",
        "年度资金第1行已支付（万元）": "488.4",
        "年度资金第1行实际支出（万元）": "488.4",
        "支出明细第1行年度": "2024",
        "支出明细第1行支出事项": "软硬件建设费",
        "支出明细第1行收款单位": "某信息技术有限公司",
        "支出明细第1行金额": "480",
    }
    fill_and_save(page, cells)
    # the second spend line as the seed printed one: “8.4元”, where only 8.4 万元 makes the sum hold
    fill(
        page, {"支出明细第2行年度": "2024", "支出明细第2行支出事项": "空调维修费", "支出明细第2行金额": "8.4"}
    )
    choose(page, "支出明细第2行单位", re.compile("^元$"))
    camera.shot("ledger-form")
    fill_and_save(page, {})
    slip = page.get_by_test_id("stAlert").filter(has_text="“空调维修费”记为 8.4元")
    slip.wait_for()
    slip.scroll_into_view_if_needed()
    camera.shot("ledger-unit-slip")
    choose(page, "支出明细第2行单位", re.compile("^万元$"))  # the evaluator corrects the unit
    fill_and_save(page, {})
    slip.wait_for(state="detached")  # the check is satisfied once the unit is right
    camera.shot("ledger-corrected")


def fill(page: Page, cells: dict[str, str]) -> None:
    for label, value in cells.items():
        field(page, label).fill(value)


def fill_and_save(page: Page, cells: dict[str, str]) -> None:
    fill(page, cells)
    page.get_by_role("button", name="保存台账").click()
    page.get_by_text("已保存资金台账").wait_for()
    settled(page)


def score_all(page: Page, camera: Camera) -> None:
    """保存并转到下一项 through the indicators in the order of the system (the last: 保存评分)."""
    go(page, "评分")
    for n, (code, name, inputs, deduction) in enumerate(SCORES):
        page.get_by_text(f"› {name}（分值").wait_for()  # the form of this indicator is drawn
        settled(page)
        form = page.get_by_test_id("stForm")
        for label, value in inputs.items():
            if label == "档位":
                choose(page, "档位", re.compile(f"^{value}"))
            else:
                form.get_by_role("textbox", name=label, exact=True).fill(value)
        if deduction:
            form.get_by_role("textbox", name="扣分理由", exact=True).first.fill(deduction)
            form.get_by_role("textbox", name="扣分", exact=True).first.fill("1")
            camera.shot("scoring-a-deduction")
        last = n == len(SCORES) - 1
        page.get_by_role("button", name="保存评分" if last else "保存并转到下一项").click()
        page.get_by_text(f"已保存指标 {code} 的评分").wait_for()
    page.get_by_text("全部末级指标均已评分，可到“报告”页生成报告。").wait_for()
    camera.shot("all-scored")
    page.get_by_role("heading", name="评分", exact=True).scroll_into_view_if_needed()
    camera.shot("total")


def report(page: Page, camera: Camera, folder: Path) -> Path:
    go(page, "报告")
    camera.shot("report-page")
    page.get_by_role("button", name="生成报告").click()
    download_button = page.get_by_role("button", name="下载 Word 报告（.docx）")
    download_button.wait_for()
    download_button.scroll_into_view_if_needed()
    camera.shot("report-made")
    with page.expect_download() as pending:
        download_button.click()
    saved = folder / "report.docx"
    pending.value.save_as(saved)
    return saved


def metric(page: Page, label: str) -> str:
    found = page.get_by_test_id("stMetric").filter(has_text=label).first
    return found.get_by_test_id("stMetricValue").inner_text().strip()


def test_a_project_entered_in_forms_ends_in_a_downloaded_report(app_url, chromium, tmp_path):
    page = chromium.new_page(accept_downloads=True, viewport={"width": 1366, "height": 768})
    page.set_default_timeout(STEP_MS)
    camera = Camera(page, tmp_path)
    page.goto(app_url)
    sign_in(page, EVALUATOR.username)
    try:
        new_evaluation(page, camera)
        project_facts(page, camera)
        ledger(page, camera)
        score_all(page, camera)
        total, grade = metric(page, "总分").split(" / ")[0], metric(page, "等级")
        saved = report(page, camera, tmp_path)
    except Exception:
        page.screenshot(path=tmp_path / "failed.png")
        raise
    page.close()

    assert (total, grade) == ("99.00", "优秀")  # 1 point off D21, everything else met
    document = Document(io.BytesIO(saved.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert PROJECT in text
    assert "某市城市管理局为行政单位" in text and "项目采用公开招标方式，由某信息技术有限公司承建" in text
    assert "该项目整体绩效分值100分，得分99分，被评为“优秀”等级" in text
    assert "财政于2024年安排项目资金500.00万元" in text and "2024—2024" not in text  # a one-year plan
