"""Debian's Chromium for the browser tests (Playwright cannot download its own browser here),
drawing Chinese with the OFL CJK fonts the reports use (the machine has none), so the screenshots
the tests save can be read."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    from workbench.reports.fonts import write_fontconfig

    fonts = {"FONTCONFIG_FILE": str(write_fontconfig(tmp_path_factory.mktemp("chromium-fonts")))}
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env={**os.environ, **fonts}
        )
        yield launched
        launched.close()
