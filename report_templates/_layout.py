"""How the report templates look: GB/T 9704-2012 page, styles and a writer of template blocks.

Used by build_templates.py.  Layout follows GB/T 9704-2012: A4, margins
37/35/28/26 mm, title 方正小标宋简体 二号, body 仿宋_GB2312 三号 on 22 lines a page, headings
一、 黑体 and （一） 楷体_GB2312 (set through the East-Asian font slot), Latin in Times New Roman,
page numbers "— n —" in 宋体 四号 at the outside edge.  Placeholders are docxtpl (Jinja) tags
over the report context (workbench/reports/context.py); `cn` turns 1 into 一.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

LATIN = "Times New Roman"
LINE = Pt(28.95)  # 22 lines on the 225 mm type area
CENTER, LEFT, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)
# 28 characters on the 156 mm line: 三号 (16 pt) characters 0.25 pt closer (28 × 15.75 pt ≤ 442 pt)
CHAR_SPACING = -5
MERGE_MARK = "纵向合并:1,2"  # table alt-text title: merge equal cells of columns 1-2 downwards


# --- styles and page ----------------------------------------------------------------------


def set_fonts(element, east_asia: str, latin: str = LATIN) -> None:
    """Name the fonts explicitly (Latin and East-Asian slots), dropping any theme fonts."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asia)):
        fonts.set(qn(attr), name)


@dataclass(frozen=True)
class Look:
    font: str
    size: float = 16
    bold: bool = False
    align: object = JUSTIFY
    indent: bool = True  # first line indented two characters
    exact: Pt | None = LINE  # exact line spacing; None = single (images, tables)
    before: float = 0
    after: float = 0
    keep: bool = False
    page_break: bool = False


def style_paragraph(style, look: Look) -> None:
    set_fonts(style.element, look.font)
    style.font.size, style.font.bold = Pt(look.size), look.bold
    style.font.color.rgb = None
    style.font.italic = False
    pf = style.paragraph_format
    pf.alignment = look.align
    pf.space_before, pf.space_after = Pt(look.before), Pt(look.after)
    pf.keep_with_next, pf.page_break_before, pf.widow_control = look.keep, look.page_break, False
    if look.exact is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing, pf.line_spacing_rule = look.exact, WD_LINE_SPACING.EXACTLY
    ind = style.element.get_or_add_pPr().get_or_add_ind()
    for attr in ("w:firstLine", "w:firstLineChars", "w:hanging", "w:left", "w:leftChars"):
        ind.attrib.pop(qn(attr), None)
    ind.set(qn("w:firstLineChars"), "200" if look.indent else "0")
    ind.set(qn("w:firstLine"), str(int(look.size * 40)) if look.indent else "0")


PARAGRAPH_STYLES = {
    "Normal": Look("仿宋_GB2312"),
    "Heading 1": Look("黑体", keep=True),
    "Heading 2": Look("楷体_GB2312", keep=True),
    "Heading 3": Look("仿宋_GB2312", bold=True, keep=True),
    "公文标题": Look("方正小标宋简体", 22, align=CENTER, indent=False, exact=Pt(36), after=28.95),
    "附件标识": Look("黑体", align=LEFT, indent=False, page_break=True),
    "附件标题": Look("方正小标宋简体", 18, align=CENTER, indent=False, exact=Pt(30), after=12),
    "表题": Look("黑体", 14, align=CENTER, indent=False, exact=None, before=6, after=4, keep=True),
    "表格文字": Look("仿宋_GB2312", 10.5, align=CENTER, indent=False, exact=None),
    "表格表头": Look("黑体", 10.5, align=CENTER, indent=False, exact=None),
    "注释": Look("仿宋_GB2312", 12, exact=Pt(20)),
    "图": Look("仿宋_GB2312", align=CENTER, indent=False, exact=None, before=6, after=0, keep=True),
    "图题": Look("黑体", 14, align=CENTER, indent=False, exact=None, before=2, after=8),
    "落款": Look("仿宋_GB2312", align=RIGHT, indent=False),
    "页码": Look("宋体", 14, align=RIGHT, indent=False, exact=None),
}
CHARACTER_STYLES = {"二级标题字符": ("楷体_GB2312", False), "三级标题字符": ("仿宋_GB2312", True)}


def _tighten(style, twentieths: int) -> None:
    """Character spacing (in 1/20 pt), placed where the schema wants it: before the size."""
    rpr = style.element.get_or_add_rPr()
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(twentieths))
    size = rpr.find(qn("w:sz"))
    if size is not None:
        size.addprevious(spacing)
    else:
        rpr.append(spacing)


def setup_styles(doc: DocumentObject) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr_default.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr, name in (
        ("w:ascii", LATIN),
        ("w:hAnsi", LATIN),
        ("w:cs", LATIN),
        ("w:eastAsia", "仿宋_GB2312"),
    ):
        fonts.set(qn(attr), name)
    lang = rpr_default.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    for name, look in PARAGRAPH_STYLES.items():
        style = (
            doc.styles[name] if name in doc.styles else doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        )
        if name not in ("Normal",) and style.base_style is None:
            style.base_style = doc.styles["Normal"]
        style_paragraph(style, look)
    _tighten(doc.styles["Normal"], CHAR_SPACING)
    for name, (font, bold) in CHARACTER_STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        set_fonts(style.element, font)
        style.font.bold = bold


def setup_page(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(23)
    grid = section._sectPr.find(qn("w:docGrid"))  # no snapping: body lines are exact instead
    grid.set(qn("w:linePitch"), str(int(LINE.pt * 20)))
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], LEFT)


def _page_number(p, align) -> None:
    """'— n —' with a PAGE field, one character in from the outside edge."""
    p.style = "页码"
    p.alignment = align
    side = "w:right" if align == RIGHT else "w:left"
    ind = p._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn(side), "280")
    p.add_run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = p.add_run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    p.add_run(" —")


# --- blocks -------------------------------------------------------------------------------


class Writer:
    """Adds template paragraphs and tables to a document."""

    def __init__(self, doc: DocumentObject):
        self.doc = doc

    @staticmethod
    def ref(key: str, kind: str = "表") -> str:
        """A table's or figure's number as a mark (〔表:spend〕): the renderer numbers the captions
        in the order they appear in the finished report, so numbers stay continuous whichever
        tables and figures a case leaves out, and replaces every mark with 表N / 图N."""
        return f"〔{kind}:{key}〕"

    def p(self, text: str, style: str = "Normal") -> None:
        self.doc.add_paragraph(text, style=style)

    def counters(self) -> None:
        """Heading numbers counted while rendering, so a section left out leaves no gap."""
        self.tag("set hn = namespace(h1=0, h2=0)")

    @contextmanager
    def h1(self, title: str, cond: str = "") -> Iterator[None]:
        """一、title and its body, numbered in the order they are printed; left out when ``cond``
        (a Jinja test) is false."""
        with self._when(cond):
            self.tag("set hn.h1 = hn.h1 + 1")
            self.tag("set hn.h2 = 0")
            self.p(f"{{{{ hn.h1|cn }}}}、{title}", "Heading 1")
            yield

    @contextmanager
    def h2(self, title: str, cond: str = "") -> Iterator[None]:
        """（一）title under the current 一、 heading, numbered as printed."""
        with self._when(cond):
            self.tag("set hn.h2 = hn.h2 + 1")
            self.p(f"（{{{{ hn.h2|cn }}}}）{title}", "Heading 2")
            yield

    @contextmanager
    def _when(self, cond: str) -> Iterator[None]:
        if cond:
            self.tag(f"if {cond}")
        yield
        if cond:
            self.tag("endif")

    def tag(self, text: str) -> None:
        """A docxtpl paragraph tag ({%p ... %}); the paragraph disappears when rendered."""
        self.doc.add_paragraph(f"{{%p {text} %}}")

    def runin(self, head: str, body: str, char_style: str = "二级标题字符") -> None:
        """A run-in heading: the numbered title in its own character style, then the text."""
        para = self.doc.add_paragraph(style="Normal")
        para.add_run(head, style=char_style)
        para.add_run(body)

    def each(self, loop: str, head: str, body: str, char_style: str = "二级标题字符") -> None:
        self.tag(f"for {loop}")
        self.runin(head, body, char_style)
        self.tag("endfor")

    def chart(self, name: str, caption: str) -> None:
        """A chart with its caption (图N …) under it; only when the report has charts."""
        self.tag(f"if has_charts and charts.{name}")
        self.p(f"{{{{ charts.{name} }}}}", "图")
        self.p(f"{self.ref(name, '图')}  {caption}", "图题")
        self.tag("endif")

    def landscape(self) -> None:
        """Start a new page in landscape (for a wide table such as the 评分表 with 评分标准)."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(30), Mm(25)

    def table(self, caption: str, cols: list[Col], loop: str, totals=(), merge: bool = False, bold=None):
        if caption:
            self.p(caption, "表题")
        table = self.doc.add_table(rows=4 + len(totals), cols=len(cols))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _header_row(table.rows[0], cols)
        table.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
        _fill_row(table.rows[2], [c.cell for c in cols], cols, bold)
        table.rows[3].cells[0].text = "{%tr endfor %}"
        for row, texts in zip(table.rows[4:], totals, strict=True):
            _fill_row(row, texts, cols, bold=None, all_bold=True)
        for column, col in zip(table.columns, cols, strict=True):
            column.width = Mm(col.width)  # the grid, which LibreOffice and fixed layout follow
        for row in table.rows:
            for cell, col in zip(row.cells, cols, strict=True):
                cell.width = Mm(col.width)
        if merge:
            caption_el = OxmlElement("w:tblCaption")
            caption_el.set(qn("w:val"), MERGE_MARK)
            table._tbl.tblPr.append(caption_el)


@dataclass(frozen=True)
class Col:
    header: str
    width: float
    cell: str
    align: object = CENTER


def _header_row(row, cols: list[Col]) -> None:
    header = OxmlElement("w:tblHeader")
    row._tr.get_or_add_trPr().append(header)
    for cell, col in zip(row.cells, cols, strict=True):
        cell.paragraphs[0].style = "表格表头"
        cell.paragraphs[0].add_run(col.header)


def _fill_row(row, texts, cols: list[Col], bold: str | None, all_bold: bool = False) -> None:
    for cell, text, col in zip(row.cells, texts, cols, strict=True):
        para = cell.paragraphs[0]
        para.style, para.alignment = "表格文字", col.align
        if bold and text:  # two runs: plain for ordinary rows, bold where `bold` holds
            para.add_run(f"{{% if not ({bold}) %}}{text}{{% endif %}}")
            para.add_run(f"{{% if {bold} %}}{text}{{% endif %}}").bold = True
        else:
            para.add_run(text).bold = all_bold or None


Block = Callable[[Writer], None]
