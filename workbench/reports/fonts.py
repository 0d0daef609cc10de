"""Chinese fonts for charts and for rendering documents on machines without CJK fonts.

The .docx keeps the official font names (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体, 宋体), so a
reader's Word shows the real fonts.  Charts and PDF previews here use the OFL fonts shipped inside
the mplfonts wheel (Noto Sans/Serif CJK SC, Source Han Serif SC).  The wheel also ships SimHei.ttf,
a commercial font: it is never used.
"""

from __future__ import annotations

import functools
import importlib.util
import shutil
from pathlib import Path
from xml.sax.saxutils import escape

from workbench.errors import NotFound

# OFL files inside the mplfonts wheel and the family names fontconfig reads from them.
OFL_FONTS = {
    "Noto Sans CJK SC": "NotoSansCJKsc-Regular.otf",
    "Noto Serif CJK SC": "NotoSerifCJKsc-Regular.otf",
    "Source Han Serif SC": "SourceHanSerifSC-Regular.otf",
}
CHART_FAMILY = "Noto Sans CJK SC"

# Official names used in the templates -> the OFL family that stands in for them in previews.
STAND_INS = {
    "方正小标宋简体": "Source Han Serif SC",
    "仿宋_GB2312": "Noto Serif CJK SC",
    "仿宋": "Noto Serif CJK SC",
    "楷体_GB2312": "Noto Serif CJK SC",
    "楷体": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
    "Times New Roman": "Noto Serif CJK SC",
}


@functools.cache
def font_dir() -> Path:
    """The folder of fonts inside the installed mplfonts package (not imported: it has side effects)."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise NotFound("未安装 mplfonts，找不到图表所需的中文字体（pip install mplfonts）")
    folder = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    missing = [name for name in OFL_FONTS.values() if not (folder / name).exists()]
    if missing:
        raise NotFound(f"mplfonts 字体文件缺失：{'、'.join(missing)}（目录 {folder}）")
    return folder


def font_file(family: str = CHART_FAMILY) -> Path:
    return font_dir() / OFL_FONTS[family]


def fontconfig_text(ofl_dir: Path, cache_dir: Path | None = None) -> str:
    """A fonts.conf that keeps the system fonts, adds the OFL fonts and maps the official names."""
    aliases = "\n".join(
        f'  <alias binding="same"><family>{escape(official)}</family>'
        f"<prefer><family>{escape(family)}</family></prefer></alias>"
        for official, family in STAND_INS.items()
    )
    cache = f"  <cachedir>{escape(str(cache_dir))}</cachedir>\n" if cache_dir else ""
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{escape(str(ofl_dir))}</dir>\n{cache}{aliases}\n</fontconfig>\n"
    )


def write_fontconfig(folder: Path) -> Path:
    """Write fonts.conf into ``folder`` (with its own cache there) and return its path."""
    ofl = folder / "ofl"
    ofl.mkdir(parents=True, exist_ok=True)
    for name in OFL_FONTS.values():  # only the OFL files: the wheel's folder also holds SimHei
        link = ofl / name
        if not link.exists():
            try:
                link.symlink_to(font_dir() / name)
            except OSError:
                shutil.copyfile(font_dir() / name, link)
    path = folder / "fonts.conf"
    path.write_text(fontconfig_text(ofl, folder / "cache"), "utf-8")
    return path
