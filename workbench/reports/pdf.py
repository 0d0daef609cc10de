"""Render a .docx to PDF with LibreOffice (preview and checks), when soffice is installed.

Each conversion gets its own LibreOffice profile folder (two conversions sharing one silently
lose one) and a fontconfig file that maps the official Chinese font names to the OFL fonts, so a
machine without CJK fonts still shows Chinese rather than empty boxes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from workbench.errors import NotFound, WorkbenchError
from workbench.reports.fonts import write_fontconfig

TIMEOUT_S = 180


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes) -> bytes:
    """The PDF LibreOffice makes of ``docx`` (bytes in, bytes out)."""
    exe = soffice()
    if exe is None:
        raise NotFound("未安装 LibreOffice（soffice），无法转换为 PDF")
    with tempfile.TemporaryDirectory(prefix="wb-pdf-") as tmp:
        work = Path(tmp)
        source = work / "report.docx"
        source.write_bytes(docx)
        env = {**os.environ, "FONTCONFIG_FILE": str(write_fontconfig(work / "fonts")), "HOME": tmp}
        cmd = [
            exe,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        target = work / "report.pdf"
        if not target.exists():
            raise WorkbenchError(f"LibreOffice 转换 PDF 失败：{(done.stderr or done.stdout).strip()[:300]}")
        return target.read_bytes()
