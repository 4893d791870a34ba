"""Files built to hurt a parser, as an attacker or a broken crawler would send them.

Each builder writes one file and returns its path: rows with far more numbers
than columns, a report with its lines shuffled, a PDF whose page tree declares
5,000 pages, a DOCX whose XML unpacks to 120 MB (a zip bomb), HTML nested past
the parser's depth limit, and HTML large enough to need far more memory than
the worker may use.
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

from conftest import DOCS, FIXTURES, seed_doc

TAB_SEED = DOCS / seed_doc("004")
NEW_ROW = "一、本年新收政府信息公开申请数量\t4\t0\t0\t0\t0\t0\t4"


def many_numbers_row(folder: Path, n: int) -> Path:
    """Table 三's first row with ``n`` numbers for its 7 columns."""
    text = TAB_SEED.read_text("utf-8")
    assert NEW_ROW in text
    numbers = "\t".join(str((i * 7) % 10) for i in range(n))
    path = folder / f"row_of_{n}_numbers.txt"
    path.write_text(text.replace(NEW_ROW, f"一、本年新收政府信息公开申请数量\t{numbers}"), "utf-8")
    return path


def shuffled_lines(folder: Path, seed: int = 0) -> Path:
    lines = TAB_SEED.read_text("utf-8").splitlines()
    random.Random(seed).shuffle(lines)
    path = folder / f"shuffled_{seed}.txt"
    path.write_text("\n".join(lines), "utf-8")
    return path


def many_pages_pdf(folder: Path, pages: int = 5000) -> Path:
    """A small, valid PDF of ``pages`` empty pages (its page tree says /Count 5000)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               "<< /Type /Pages /Kids [" + " ".join(f"{3 + i} 0 R" for i in range(pages))
               + f"] /Count {pages} >>"]
    objects += ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path = folder / f"pages_{pages}.pdf"
    path.write_bytes(bytes(out))
    return path


def zip_bomb_docx(folder: Path, unpacked_mb: int = 120) -> Path:
    """A real report's DOCX whose document.xml is padded to ``unpacked_mb`` MB (it packs to a few hundred KB)."""
    source = FIXTURES / "docx_000.docx"
    path = folder / "zip_bomb.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename != "word/document.xml":
                out.writestr(item, data)
                continue
            head, _, rest = data.partition(b"?>")
            with out.open("word/document.xml", "w", force_zip64=True) as fh:
                fh.write(head + b"?>")
                block = b" " * 1_000_000
                for _ in range(unpacked_mb):
                    fh.write(block)
                fh.write(rest)
    return path


def deep_html(folder: Path, depth: int = 100_000) -> Path:
    body = TAB_SEED.read_text("utf-8").replace("\n", "<br>")
    path = folder / "deep.html"
    path.write_text(f"<html><body>{'<div>' * depth}{body}{'</div>' * depth}</body></html>", "utf-8")
    return path


def huge_table_html(folder: Path, rows: int = 60_000) -> Path:
    """A report's page with a table of ``rows`` × 7 cells after it: about 30 MB, under the file limit."""
    row = "<tr>" + "<td>1</td>" * 7 + "</tr>"
    text = TAB_SEED.read_text("utf-8").replace("\n", "<br>")
    path = folder / "huge_table.html"
    path.write_text(f"<html><body>{text}<table>{row * rows}</table></body></html>", "utf-8")
    return path
