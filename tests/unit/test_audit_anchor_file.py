"""The audit chain's anchor file: a log of moves whose last whole line is the anchor."""

from __future__ import annotations

import json

import pytest

from workbench.domain.audit import Anchor
from workbench.storage import audit_anchor

URL = "sqlite:///anchor-test.db"


@pytest.fixture(autouse=True)
def anchor_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(audit_anchor.ENV_DIR, str(tmp_path / "anchors"))


def test_each_move_is_read_back_and_the_anchor_never_moves_backwards():
    assert audit_anchor.read(URL) is None
    audit_anchor.write(URL, Anchor(3, "c"))
    audit_anchor.write(URL, Anchor(5, "e"))
    audit_anchor.write(URL, Anchor(4, "d"))  # a process that finished late
    assert audit_anchor.read(URL) == Anchor(5, "e")


def test_a_line_cut_short_by_a_crash_leaves_the_move_before():
    audit_anchor.write(URL, Anchor(7, "g"))
    with open(audit_anchor.anchor_path(URL), "ab") as file:
        file.write(b'{"url": "x", "seq": 8, "ha')
    assert audit_anchor.read(URL) == Anchor(7, "g")
    audit_anchor.write(URL, Anchor(9, "i"))
    assert audit_anchor.read(URL) == Anchor(9, "i")


def anchor_file(text: str) -> None:
    path = audit_anchor.anchor_path(URL)
    path.parent.mkdir(parents=True)
    path.write_text(text)


def test_an_anchor_of_the_earlier_format_is_read_and_moved_on():
    anchor_file(json.dumps({"url": URL, "seq": 2, "hash": "b"}))  # one object, no line end
    assert audit_anchor.read(URL) == Anchor(2, "b")
    audit_anchor.write(URL, Anchor(3, "c"))
    assert audit_anchor.read(URL) == Anchor(3, "c")


def test_a_file_of_no_anchor_is_reported_unreadable():
    anchor_file("not an anchor\n")
    assert audit_anchor.read(URL) == Anchor(-1, "")


def test_a_long_log_is_replaced_by_its_last_move(monkeypatch):
    monkeypatch.setattr(audit_anchor, "COMPACT_BYTES", 400)
    for seq in range(1, 12):
        audit_anchor.write(URL, Anchor(seq, f"h{seq}"))
    lines = audit_anchor.anchor_path(URL).read_bytes().splitlines()
    assert len(lines) < 11 and audit_anchor.read(URL) == Anchor(11, "h11")
