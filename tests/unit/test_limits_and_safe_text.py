"""What values may be (numbers, text, ids, file names), how user text is shown on a page, and how
a failure of the machine is named."""

from __future__ import annotations

import errno
import re
from decimal import Decimal

import pytest
from pydantic import ValidationError

from workbench.domain.ledger import Ledger
from workbench.domain.limits import clean_file_name, safe_id
from workbench.domain.project import Project
from workbench.errors import DISK_FULL, READ_ONLY, InvalidInput, explain
from workbench.ui.safe_text import md, plain_text


@pytest.mark.parametrize("amount", ["1e999999", "1e15", "-1e16", "Infinity", "NaN", "9" * 5000])
def test_an_amount_no_project_can_have_is_never_accepted(amount):
    with pytest.raises(ValidationError):
        Ledger(total_investment=amount)


def test_the_largest_real_amounts_are_still_accepted():
    assert Ledger(total_investment=Decimal("999999999999.99")).total_investment == Decimal("999999999999.99")


@pytest.mark.parametrize("bad", ["../../x", "a\nb", "a/b", "a\\b", ".hidden", " x", "x\u202e", "x" * 81])
def test_an_id_that_could_name_another_path_or_hide_characters_is_refused(bad):
    with pytest.raises(ValueError):
        safe_id(bad)


@pytest.mark.parametrize(
    "good", ["yiyang-smart-brain-2018", "B21", "1.1.2", "益阳智慧大脑+政务服务项目", "F1"]
)
def test_the_ids_and_codes_in_use_are_accepted(good):
    assert safe_id(good) == good


def test_a_project_with_a_path_for_an_id_is_refused_with_a_chinese_reason():
    with pytest.raises(ValidationError, match="不能含换行、控制字符、斜杠"):
        Project(id="../../x", name="项目", year=2018, unit={"name": "单位"})


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("../../evaluation.yaml", "evaluation.yaml"),
        ("C:\\Users\\me\\合同.pdf", "合同.pdf"),
        ("a\x00b.yaml", "a_b.yaml"),
        ("\u202egpj.exe", "gpj.exe"),
        ("..", "上传的文件"),
        ("", "上传的文件"),
        ("a<b>:c.zip", "a_b__c.zip"),
    ],
)
def test_an_upload_name_is_cleaned_to_one_safe_component(name, cleaned):
    assert clean_file_name(name) == cleaned


def test_an_upload_name_is_cut_to_255_bytes_keeping_its_extension():
    cleaned = clean_file_name("测" * 300 + ".xlsx")

    assert len(cleaned.encode()) <= 255 and cleaned.endswith(".xlsx") and cleaned.startswith("测")


@pytest.mark.parametrize(
    "hostile",
    [
        "![](http://host/x)",
        "[点我](javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<img src=http://host/x>",
        "http://host/x",
        ":red[警告] $x^2$ :material/home:",
    ],
)
def test_user_text_keeps_no_markdown_link_image_html_or_directive(hostile):
    escaped = plain_text(hostile)

    assert re.search(r"(?<!\\)[\[\]()<>!:$/]", escaped) is None  # every such character escaped
    assert escaped.replace("\\", "").replace("\u2060", "") == hostile


def test_a_template_keeps_its_own_markdown_and_escapes_only_the_values():
    assert md("**{}** 扣 {} 分", "![](x)", "1.5") == "**\\!\\[\\]\\(x\\)** 扣 1\\.5 分"


@pytest.mark.parametrize("address", ["http://host/x", "HTTPS://host", "www.example.com", "a@example.com"])
def test_a_bare_address_gets_an_invisible_joiner_so_no_autolink_finds_it(address):
    assert re.search(r"(?i)(https|http(?!s)|www|@)(?!\u2060)", plain_text(address)) is None


def test_a_full_disk_and_a_read_only_database_are_named_and_a_bug_is_not():
    wrapped = RuntimeError("commit failed")
    wrapped.__cause__ = OSError(errno.ENOSPC, "No space left on device")

    assert explain(wrapped).messages == [DISK_FULL]
    assert explain(Exception("attempt to write a readonly database")).messages == [READ_ONLY]
    assert explain(Exception("cannot execute UPDATE in a read-only transaction")).messages == [READ_ONLY]
    assert explain(KeyError("bug")) is None
    assert isinstance(explain(InvalidInput("x")), InvalidInput)
