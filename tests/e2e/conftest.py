"""Debian's Chromium for the browser tests (Playwright cannot download its own browser here), with
the OFL Chinese fonts of the report renderer so screenshots show glyphs, not boxes."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS

from workbench.reports.fonts import write_fontconfig


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    fonts = write_fontconfig(tmp_path_factory.mktemp("fonts"))
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts)}
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
        yield launched
        launched.close()
