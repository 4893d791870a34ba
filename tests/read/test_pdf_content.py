"""The fast PDF reading (``pdf_content``, ``pdf_chars``) gives what pdfminer and pdfplumber give: the same
content-stream objects, the same characters to the last bit, the same rules and images."""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import PSEOF, PSKeyword

from extractor.read.pdf_chars import page_chars
from extractor.read.pdf_content import content_objects

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
READABLE = sorted(p for p in FIXTURES.glob("*.pdf")
                  if p.stem[-3:].isdigit() and not p.name.startswith(("scan_", "pdf_owner")))


def pdfminer_objects(*streams: bytes) -> list[Any]:
    """What pdfminer's own content parser yields for the streams."""
    try:
        parser = PDFContentParser([PDFStream({}, s) for s in streams])
    except PSEOF:
        return []
    out: list[Any] = []
    while True:
        try:
            out.append(parser.nextobject()[1])
        except PSEOF:
            return out


def same_objects(streams: tuple[bytes, ...]) -> None:
    mine = content_objects(streams)
    assert mine is not None
    ref = pdfminer_objects(*streams)
    assert repr(mine) == repr(ref)
    assert [type(o) for o in mine] == [type(o) for o in ref]


def plumber_chars(page: Any) -> list[tuple[object, ...]]:
    """pdfplumber's ``page.chars`` as ``Char`` fields (as ``pdf.py`` made them before ``page_chars``)."""
    return [(c["text"], float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"]),
             float(c.get("size") or (c["bottom"] - c["top"])), bool(c.get("upright", True)), float(c["matrix"][1]))
            for c in page.chars]


def same_pages(data: bytes) -> int:
    """Every page read both ways gives the same characters and the same other objects; the pages."""
    with pdfplumber.open(_stream(data)) as fast, pdfplumber.open(_stream(data)) as slow:
        for mine, ref in zip(fast.pages, slow.pages, strict=True):
            assert [tuple(vars(c).values()) for c in page_chars(mine)] == plumber_chars(ref)
            others = {k: v for k, v in ref.objects.items() if k != "char"}
            assert _named(repr(mine.objects)) == _named(repr(others))
        return len(fast.pages)


def _named(text: str) -> str:
    """An inline image is named by its object's ``id()``, which differs between two readings."""
    return re.sub(r"'name': '\d+'", "'name': …", text)


def _stream(data: bytes) -> Any:
    import io
    return io.BytesIO(data)


# ---------------------------------------------------------------- the tokeniser


@pytest.mark.parametrize("content", [
    b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET",
    b"[(A) -250 (B) 120.5 (C) -.5 (D)] TJ",  # kerning in a TJ array
    b"(a\\(b\\)c\\n\\t\\\\ \\101\\7x\\0123 \\q\\\r\nz (nested (twice)) end) Tj",  # escapes, octal, nesting
    b"<48 65 6C\n6C6F> Tj <> Tj <4> Tj <0041004200> Tj",  # hex: white space, empty, odd digit
    b"1 2.5 -3 +4 .5 -.25 5. 007 12abc 1.5.5 5-3 true false null",  # numbers as pdfminer splits them
    b"/Span <</MCID 0 /Alt (x) /Arr [1 2 /N] /D <</E true>>>> BDC EMC",  # nested dictionaries
    b"/A/B/C 1 2 3 Td'\"T* % a comment\n0 0 1 rg",  # names run together, ' and \" operators
    b"100 Tz 1.5 Tc 3 Tw 2 TL 1 Ts 0 Tr",
    b"  \n\t\r\f ",
    b"",
])
def test_the_tokeniser_yields_what_pdfminer_yields(content: bytes) -> None:
    same_objects((content,))


def test_streams_are_read_as_one_with_a_break_between() -> None:
    same_objects((b"BT /F1 12 Tf 1", b"2 0 Td (a) Tj", b"[(b) 1", b"(c)] TJ ET"))


@pytest.mark.parametrize("content", [
    b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q",  # an inline image: pdfminer reads its data
    b"{ 1 2 } exec",  # a PostScript procedure
    b"/A#20B Do",  # an escape in a name
    b"(unterminated",
    b"1 2 \x00 re",
    b"- 5 Td",
    b"[1 2 >> TJ",
    b"<</A>> BDC",  # a dictionary with a key and no value: pdfminer raises
])
def test_what_the_tokeniser_does_not_read_goes_to_pdfminer(content: bytes) -> None:
    assert content_objects((content,)) is None


# ---------------------------------------------------------------- pages


@pytest.mark.parametrize("path", READABLE, ids=lambda p: p.name)
def test_fixture_pages_read_as_pdfplumber_reads_them(path: Path) -> None:
    assert same_pages(path.read_bytes()) >= 1


def test_made_up_pages_read_as_pdfplumber_reads_them() -> None:
    """Type 1 and vertical CID text, spacing and scaling, TJ kerning, rules, a form and an inline image."""
    first = (b"BT /F1 12 Tf 110 Tz 1.5 Tc 3 Tw 72 700 Td (Hello \\(world\\) \\101\\102) Tj "
            b"[(A) -250 (B) 120 (C)] TJ 0 -14 TD (line two) ' 2 1 (three) \" T* <48 65 6C6C6F> Tj ET "
            b"q 1 0 0 RG 0.5 w 72 600 m 300 600 l S 72 500 200 50 re f 0 0 1 rg 10 10 m 20 30 40 10 60 20 c S Q "
            b"/Span <</MCID 0>> BDC BT /F2 10 Tf 0 1 -1 0 300 500 Tm <00410042> Tj ET EMC "
            b"% a comment\n/Fm1 Do")
    inline = b"q 10 0 0 10 50 50 cm BI /W 2 /H 1 /BPC 8 /CS /G ID \x00\xff EI Q BT /F1 9 Tf 50 40 Td (after) Tj ET"
    pdf = _pdf([first, inline])
    assert content_objects((inline,)) is None
    assert same_pages(pdf) == 2
    with pdfplumber.open(_stream(pdf)) as doc:
        chars = page_chars(doc.pages[0])
        text = "".join(c.text for c in chars)
        assert text.startswith("Hello (world) AB")
        assert "form" in text  # the Form XObject's text, read by the same interpreter
        assert any(c.text.startswith("(cid:") for c in chars)  # the CID font has no Unicode map
        assert [c.text for c in page_chars(doc.pages[1])][-5:] == list("after")


def _pdf(pages: list[bytes]) -> bytes:
    """A PDF of one page per content stream; fonts F1 (Helvetica), F2 (a vertical CID font), form Fm1."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /V /Encoding /Identity-V /DescendantFonts [5 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /V /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /DW 1000 /W [65 [500 600]] >>",
    ]
    form = b"BT /F1 8 Tf 5 5 Td (form) Tj ET 0 0 m 50 0 l S"
    objects.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] /Matrix [1 0 0 1 400 300] "
                   b"/Resources << /Font << /F1 3 0 R >> >> /Length %d >>\nstream\n%s\nendstream" % (len(form), form))
    resources = b"<< /Font << /F1 3 0 R /F2 4 0 R >> /XObject << /Fm1 6 0 R >> >>"
    kids = []
    for content in pages:
        packed = zlib.compress(content)
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources %s /Contents %d 0 R >>"
                       % (resources, len(objects)))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_keyword_token_is_pdfminers_own() -> None:
    objs = content_objects((b"q Q",))
    assert objs is not None and all(isinstance(o, PSKeyword) for o in objs)
    assert objs == pdfminer_objects(b"q Q")  # interned: the very same keyword objects
