"""Browser PDFs: a golden's web page → the PDF a user gets by printing it in Chromium ("Save as PDF").

The page is one of the HTML layouts (``html``, ``html_fragment``, ``word_html``,
``html_no_headings`` …) inside a site's navigation chrome (a fragment is put
into a page with a header, menu, breadcrumb, sidebar and footer), with the
tables' label columns narrow, as on many sites, so that long labels wrap over
several lines inside their cells. Chromium headless prints it with its own
page header and footer (date, title, URL, page x/y), which it adds by
default, as the print dialog does. Each document draws its widths, sidebar
and font size from a generator seeded by the golden, as the web layouts do.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from ..errors import ConfigError
from .layouts import LAYOUTS, render
from .tables import Cells
from .web import WEB_LAYOUTS, render_web

INSTALL_HINT = "run .ci/install-browser.sh (apt-get install chromium)"


@dataclass(frozen=True)
class BrowserLayout:
    name: str
    page: str
    """The HTML layout printed: a name in ``LAYOUTS`` or ``WEB_LAYOUTS``."""
    label_em: tuple[float, ...] = (2.0, 2.6, 3.0)
    """Widths of table 三's three label columns, in em: each document draws a factor around them."""
    suffix: str = ".pdf"


BROWSER_LAYOUTS: dict[str, BrowserLayout] = {
    layout.name: layout
    for layout in (
        BrowserLayout("browser_pdf_html", "html"),
        BrowserLayout("browser_pdf_html_fragment", "html_fragment"),
        BrowserLayout("browser_pdf_word_html", "word_html"),
        BrowserLayout("browser_pdf_html_no_headings", "html_no_headings"),
        BrowserLayout("browser_pdf_html_gbk_blank_zeros", "html_gbk_blank_zeros"),
    )
}


def chromium() -> str | None:
    """The Chromium binary, if installed (``CHROMIUM_PATH`` overrides the search)."""
    return (os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
            or shutil.which("google-chrome"))


def render_browser_pdf(cells: Cells, layout: BrowserLayout) -> bytes:
    """The PDF Chromium prints of the page holding ``cells``."""
    return print_to_pdf(page_html(cells, layout))


def expected_browser_cells(cells: Cells, layout: BrowserLayout) -> dict[str, object]:
    """The golden as the printed page conveys it: all of it (a blank zero reads as 0)."""
    return dict(cells)


def source_html(cells: Cells, layout: BrowserLayout) -> str:
    """The HTML layout's page as text (a GBK page decoded)."""
    if layout.page in WEB_LAYOUTS:
        return render_web(cells, WEB_LAYOUTS[layout.page]).decode("utf-8")
    spec = LAYOUTS[layout.page]
    return render(cells, spec).decode(spec.encoding)


def page_html(cells: Cells, layout: BrowserLayout) -> str:
    """The page as the browser shows it: the layout in site chrome, label columns narrowed (UTF-8)."""
    rng = _rng(cells, layout)
    src = source_html(cells, layout)
    title = f"{cells.get('meta.agency') or ''}{cells.get('meta.year')}年政府信息公开工作年度报告"
    is_page = "<html" in src[:400].lower()
    root = lxml_html.document_fromstring(src if is_page else _site_page(src, title, rng))
    for meta in root.iter("meta"):  # the page is saved as UTF-8 whatever it was served in
        if meta.get("charset"):
            meta.set("charset", "utf-8")
    head = root.find("head")
    if head is None:
        head = etree.SubElement(root, "head")
        root.insert(0, head)
    style = etree.SubElement(head, "style")
    style.text = _STYLE.format(size=rng.choice((14, 15, 16)))
    scale = rng.choice((0.9, 1.0, 1.15))
    for table in root.iter("table"):
        _narrow(table, [w * scale for w in layout.label_em])
    out: str = lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    return out


_STYLE = """
body {{ font-size: {size}px; margin: 0 auto; max-width: 980px; }}
/* the only CJK font of a bare Linux box has no bold face: Chromium would draw synthetic bold
   glyphs as Type3 outlines (~10 KB each); the site's stylesheet keeps headings regular */
h1, h2, b, strong {{ font-weight: normal; }}
h1 {{ font-size: 1.6em; text-align: center; }} h2 {{ font-size: 1.15em; }}
table {{ table-layout: fixed; width: 100% !important; border-collapse: collapse; }}
td {{ word-break: break-all; overflow-wrap: anywhere; }}
.site-head {{ font-size: 1.8em; padding: 8px 0; }} .nav a, .crumb, .meta {{ margin-right: 1em; }}
.side {{ float: left; width: 160px; }} .side li {{ list-style: none; }} .side + .article {{ margin-left: 176px; }}
"""


def _narrow(table: etree._Element, label_em: list[float]) -> None:
    """A ``<colgroup>``: the label columns narrow (table 三's three, section 二's one), the rest shared."""
    rows = table.xpath("./tr|./tbody/tr|./thead/tr")
    first = next((r for r in rows if r.xpath("./td|./th")), None)
    if first is None:
        return
    width = sum(int(td.get("colspan", "1") or 1) for td in first.xpath("./td|./th"))
    text = "".join(table.itertext())
    if "申请人情况" in text:
        labels = label_em[:3]
    elif "信息内容" in text:
        labels = [label_em[-1] + 2.5]
    else:
        return
    colgroup = etree.Element("colgroup")
    for k in range(width):
        col = etree.SubElement(colgroup, "col")
        if k < len(labels):
            col.set("style", f"width:{labels[k]:.2f}em")
    table.insert(0, colgroup)


def _site_page(fragment: str, title: str, rng: random.Random) -> str:
    """A CMS's article page around a content fragment: header, menu, breadcrumb, maybe a sidebar, footer."""
    side = ("<div class='side'><ul><li>政府信息公开指南</li><li>政府信息公开制度</li><li>法定主动公开内容</li>"
            "<li>政府信息公开年报</li><li>依申请公开</li></ul></div>") if rng.random() < 0.5 else ""
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            "<div class='site-head'>人民政府门户网站</div>"
            "<div class='nav'><a href='/'>首页</a><a href='/zwgk'>政务公开</a><a href='/zcwj'>政策文件</a>"
            "<a href='/bs'>办事服务</a><a href='/hd'>互动交流</a></div>"
            "<div class='crumb'>当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>"
            f"{side}<div class='article'><h1>{title}</h1>"
            "<div class='meta'>发布时间：2023-01-30 来源：办公室 浏览次数：1024 字号：[大 中 小]</div>"
            f"{fragment}<div class='tools'>【打印本页】【关闭窗口】</div></div>"
            "<div style='clear:both'></div><footer>主办单位：人民政府办公室 网站标识码：1234000001 "
            "ICP备案号：05000000号 公网安备 11010502000001号</footer></body></html>")


def _rng(cells: Cells, layout: BrowserLayout) -> random.Random:
    key = json.dumps(dict(cells), sort_keys=True, ensure_ascii=False, default=str) + layout.name
    return random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))


def print_to_pdf(page: str, timeout: float = 120.0) -> bytes:
    """Print an HTML page to PDF with Chromium headless, header and footer included (a private profile,
    so runs don't clash; no sandbox, as a container running as root needs)."""
    binary = chromium()
    if binary is None:
        raise ConfigError(f"Chromium is not installed: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="nianbao-chromium-") as tmp:
        folder = Path(tmp)
        src = folder / "report.html"
        src.write_text(page, encoding="utf-8")
        out = folder / "report.pdf"
        proc = subprocess.run(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={out}", src.as_uri()],
            capture_output=True, timeout=timeout, env={**os.environ, "HOME": tmp}, check=False)
        if not out.exists():
            raise ConfigError(f"Chromium did not print the page (exit {proc.returncode}): "
                              f"{proc.stderr.decode(errors='replace')[-400:]}")
        return out.read_bytes()
