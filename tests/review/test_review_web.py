"""The browser reviewer: the review router over HTTP (as ``nianbao review DB --web`` serves it),
and the page end to end in headless chromium.

The browser tests need Playwright (the dev extra) and a chromium binary
(Debian's, installed by ``.ci/install-browser.sh``). Without chromium they are
skipped, except under CI, where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from conftest import FIXTURES, load_golden, require_tool, same
from review_fixtures import SEED_000, SEED_001, corrupted, seed

from extractor.records import Cell
from extractor.review import ReviewStore, reviewed_records, sync_records
from extractor.review_items import queued_cells, review_items
from extractor.service.review_api import ReviewSite, page_url, review_app

TOKEN = "t" * 32


@pytest.fixture
def serve() -> Iterator[Any]:
    """Start the review app on a port the OS picked: ``serve(db) -> base URL``."""
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(db: Path, **kw: Any) -> str:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(review_app(ReviewSite(db, **kw), TOKEN), log_level="warning"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        servers.append((server, thread))
        deadline = time.monotonic() + 15
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the review app did not start"
            time.sleep(0.01)
        host, port = sock.getsockname()[:2]
        return f"http://{host}:{port}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


def _call(base: str, path: str, body: dict[str, Any] | None = None,
          token: str = TOKEN) -> tuple[int, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base + "/review/", headers=headers, timeout=10) as client:
        response = client.get(path) if body is None else client.post(path, json=body)
    return response.status_code, response.json()


def test_api_next_decide_undo_progress(tmp_path: Path, serve: Any) -> None:
    db = tmp_path / "review.db"
    sync_records(db, [corrupted(seed(SEED_000), "t3.new.natural_person", 81)], 0.8)
    base = serve(db)
    status, page = _call(base, "next", {"reviewer": "alice"})
    item = page["item"]
    assert status == 200 and item["cell"] == "t3.new.natural_person" and item["value"] == 81
    assert item["identities"] and item["context"]["number"] and item["progress"]["total"] == 10
    # the failed identities are one review item, all alice's: bob gets none of its cells, nor can decide them
    assert {m["cell"] for m in item["group"]["members"]} >= {"t3.new.natural_person", "t3.new.total"}
    _, other = _call(base, "next", {"reviewer": "bob"})
    assert other["item"] is None
    assert item["page_image"] is False  # a text document: no page to draw
    status, none = _call(base, f"items/{item['item_id']}/page.png")
    assert status == 404 and "page position" in none["detail"]
    decision = f"items/{item['item_id']}/decision"
    status, refused = _call(base, decision, {"action": "accept", "reviewer": "bob"})
    assert status == 409 and "being reviewed by alice" in refused["detail"]
    status, bad = _call(base, decision, {"action": "correct", "value": "eighteen", "reviewer": "alice"})
    assert status == 422 and "whole number" in bad["detail"]
    status, missing = _call(base, "items/999999/decision", {"action": "accept", "reviewer": "alice"})
    assert status == 404
    status, done = _call(base, decision, {"action": "correct", "value": "18", "reviewer": "alice"})
    assert status == 200 and "t3.new.total" in done["resolved"]
    assert done["progress"]["total"] == done["progress"]["done"]
    status, undone = _call(base, "undo", {"reviewer": "alice"})
    assert undone["undone"]["cell"] == "t3.new.natural_person"
    _, progress = _call(base, "progress")
    assert progress["done"] == 0


def test_the_page_is_public_but_the_queue_needs_the_token(tmp_path: Path, serve: Any) -> None:
    db = tmp_path / "review.db"
    sync_records(db, [corrupted(seed(SEED_000), "t3.new.natural_person", 81)], 0.8)
    base = serve(db)
    status, refused = _call(base, "next", {"reviewer": "eve"}, token="wrong" * 8)
    assert status == 401 and "bearer token" in refused["detail"]
    with httpx.Client(base_url=base, timeout=10) as client:
        assert client.post("/review/next", json={"reviewer": "eve"}).status_code == 401
        page = client.get("/review/")
        assert page.status_code == 200 and "nianbao review" in page.text
        assert client.get("/review/static/app.js").status_code == 200
        assert client.get("/review/static/secrets.txt").status_code == 404
        plain = client.post("/review/undo", content=b"{}", headers={"Authorization": f"Bearer {TOKEN}",
                                                                   "Content-Type": "text/plain"})
        assert plain.status_code == 422
        huge = client.post("/review/undo", content=b"x" * 2_000_000, headers={"Authorization": f"Bearer {TOKEN}"})
        assert huge.status_code == 413


# ---------------------------------------------------------------- the real browser


def _chromium() -> str:
    found = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which(
        "chromium-browser")
    why = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        why = "playwright is not installed (pip install -e '.[all,dev]')"
    if found is None:
        why = why or "no chromium found (apt-get install chromium, or run .ci/install-browser.sh)"
    require_tool(why is None, why or "")
    assert found is not None
    return found


@pytest.fixture
def page() -> Iterator[Any]:
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True,
                                     args=["--no-sandbox", "--disable-dev-shm-usage"])
        tab = browser.new_page()
        tab.set_default_timeout(15_000)
        yield tab
        browser.close()


def _shown(tab: Any) -> tuple[str, str]:
    tab.wait_for_selector("#item:not([hidden])")
    return tab.inner_text("#document"), tab.inner_text("#cell")


def _decided(tab: Any, item_before: str) -> None:
    tab.wait_for_function("prev => document.body.dataset.item !== prev", arg=item_before)


def test_browser_corrects_a_value_and_the_database_has_it(tmp_path: Path, serve: Any,
                                                          page: Any) -> None:
    db = tmp_path / "review.db"
    sync_records(db, [corrupted(seed(SEED_000), "t3.new.natural_person", 81)], 0.8)
    page.goto(page_url(serve(db), TOKEN, reviewer="grace"))
    document, cell = _shown(page)
    assert (document, cell) == (SEED_000, "t3.new.natural_person")
    assert page.inner_text("#value") == "81"
    assert "FAILS" in page.inner_text("#identities")
    assert page.inner_text("mark.num").strip()  # the number is highlighted in the source
    assert page.input_value("#reviewer") == "grace"
    before = page.evaluate("document.body.dataset.item")
    page.keyboard.press("c")
    page.keyboard.type("18")
    page.keyboard.press("Enter")
    _decided(page, before)
    page.wait_for_selector("#done:not([hidden])")  # the rest of the row left the queue
    assert "left the queue" in page.inner_text("#message")
    con = sqlite3.connect(db)
    action, value, original, reviewer = con.execute(
        "SELECT action, value, original, reviewer FROM decisions").fetchone()
    assert (action, json.loads(value), reviewer) == ("correct", 18, "grace")
    assert Cell.model_validate_json(original).value == 81
    # z undoes it and shows the cell again
    page.keyboard.press("z")
    page.wait_for_selector("#item:not([hidden])")
    assert page.inner_text("#cell") == "t3.new.natural_person"
    assert con.execute("SELECT undone FROM decisions").fetchone()[0] == 1
    con.close()


def test_browser_reviews_seed_001_to_its_golden(tmp_path: Path, serve: Any, page: Any) -> None:
    db = tmp_path / "review.db"
    record = seed(SEED_001)
    sync_records(db, [record], 0.8)
    golden = load_golden(SEED_001)
    page.goto(page_url(serve(db), TOKEN, reviewer="heidi"))
    answered = 0
    while True:
        page.wait_for_function("document.body.dataset.item !== undefined")
        before = page.evaluate("document.body.dataset.item")
        if not before:
            break
        _, cell = _shown(page)
        value = golden[cell]
        if value is None:
            page.keyboard.press("u")
        elif answered % 2:
            page.click("#correction")
            page.fill("#correction", str(value))
            page.click("#decide button[type=submit]")
        else:
            page.keyboard.press("c")
            page.keyboard.type(str(value))
            page.keyboard.press("Enter")
        answered += 1
        _decided(page, before)
    flagged = [c for c, x in record.cells.items() if x.flags or x.confidence < 0.8]
    assert answered == len(flagged) == 20
    assert page.inner_text("#progress").startswith("20 of 20 decided")
    with ReviewStore(db) as store:
        [exported] = reviewed_records(store)
    for cell_id in flagged:
        assert exported.cells[cell_id].method.value == "review"
        assert same(exported.cells[cell_id].value, golden[cell_id]), cell_id
        assert "reviewed by heidi" in (exported.cells[cell_id].note or "")


# ---------------------------------------------------------------- review items in the browser (issue 18)

OUTLINE_RED = (220, 0, 0)


def _decide_until(tab: Any, kind: str) -> None:
    """Accept the items before the first review item of ``kind``."""
    while True:
        tab.wait_for_function("document.body.dataset.item !== undefined")
        before = tab.evaluate("document.body.dataset.item")
        assert before, f"the queue ran out before a {kind} item"
        if tab.evaluate("document.getElementById('group').dataset.kind") == kind:
            return
        tab.keyboard.press("a")
        _decided(tab, before)


def _live_decisions(db: Path) -> dict[str, tuple[str, object, int]]:
    con = sqlite3.connect(db)
    rows = con.execute("SELECT cell, action, value, act FROM decisions WHERE undone = 0").fetchall()
    con.close()
    return {cell: (action, None if value is None else json.loads(value), act) for cell, action, value, act in rows}


def test_issue_18_pdf_item_shows_the_page_with_the_cell_outlined(tmp_path: Path, serve: Any,
                                                                  page: Any) -> None:
    from PIL import Image

    from extractor.pipeline import extract_file

    record = corrupted(extract_file(FIXTURES / "pdf_000.pdf"), "t3.new.natural_person", 81)
    db = tmp_path / "review.db"
    sync_records(db, [record], 0.8)
    base = serve(db)
    page.goto(page_url(base, TOKEN, reviewer="ivan"))
    _decide_until(page, "identity")
    assert page.inner_text("#cell") == "t3.new.natural_person"
    page.wait_for_selector("#pageimg[data-loaded='1']")
    assert page.evaluate("document.getElementById('pageimg').naturalWidth") > 500
    page.screenshot(path=str(tmp_path / "pdf_item.png"), full_page=True)
    # the image served is the page region with the cell's bbox outlined in red
    item_id = page.evaluate("document.body.dataset.item")
    with httpx.Client(base_url=base + "/review/", timeout=30) as client:
        assert client.get(f"items/{item_id}/page.png").status_code == 401
        png = client.get(f"items/{item_id}/page.png", headers={"Authorization": f"Bearer {TOKEN}"})
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    image = Image.open(__import__("io").BytesIO(png.content)).convert("RGB")
    red = dict((color, n) for n, color in image.getcolors(maxcolors=2**24) or []).get(OUTLINE_RED, 0)
    assert red > 100
    assert list((tmp_path / "review.db.pages").glob("*.png"))  # cached beside the database
    # one correction and the identity holds: its other cells leave the queue
    before = page.evaluate("document.body.dataset.item")
    page.keyboard.press("c")
    page.keyboard.type("18")
    page.keyboard.press("Enter")
    _decided(page, before)
    assert _live_decisions(db)["t3.new.natural_person"][:2] == ("correct", 18)
    with ReviewStore(db) as store:
        assert store.queue() == [i for i in store.queue() if i.decision is not None]


def test_issue_18_ambiguous_row_is_one_item_with_its_readings(tmp_path: Path, serve: Any,
                                                              page: Any) -> None:
    record = seed(SEED_001)
    golden = load_golden(SEED_001)
    db = tmp_path / "review.db"
    sync_records(db, [record], 0.8)
    page.goto(page_url(serve(db), TOKEN, reviewer="judy"))
    _decide_until(page, "ambiguous")
    item = page.evaluate("document.body.dataset.item")
    _, view = _call(page.url.split("/review/")[0], f"items/{item}")
    group = view["item"]["group"]
    cells = [m["cell"] for m in group["members"]]
    assert len(cells) > 1 and len(group["choices"]) > 1
    assert page.locator("#choices li").count() == len(group["choices"])
    # a reading is shown by where its numbers go, not by all 18 cells: three coupled rows, one number each
    given = page.locator("#choices li").first.inner_text()
    assert given.count(" · ") == 3 and given.endswith("the rest 0")
    right = next(i for i, choice in enumerate(group["choices"], 1)
                 if all(same(choice[c], golden[c]) for c in cells))
    page.screenshot(path=str(tmp_path / "ambiguous_item.png"), full_page=True)
    page.keyboard.press(str(right))
    _decided(page, item)
    decisions = _live_decisions(db)
    assert all(same(decisions[c][1], golden[c]) for c in cells)
    assert len({decisions[c][2] for c in cells}) == 1  # one act: undone together
    page.keyboard.press("z")
    page.wait_for_function("prev => document.body.dataset.item === prev", arg=item)
    assert not set(cells) & set(_live_decisions(db))


def test_issue_18_truncated_table_is_one_item(tmp_path: Path, serve: Any, page: Any) -> None:
    from extractor.pipeline import extract_file
    from extractor.render import LAYOUTS, render

    # the page ends inside table 三, after the first number of a row whose blank cells are dropped: which
    # column that number is in, and what the rest of the row holds, is for a person to say
    text = render(load_golden(SEED_000), LAYOUTS["pipe_dropped"]).decode("utf-8")
    cut = text.index(" | 1", text.index("（二）部分公开")) + len(" | 1")
    source = tmp_path / "cut_in_table_three.txt"
    source.write_text(text[:cut], "utf-8")
    record = extract_file(source)
    [unread] = [i for i in review_items(record, queued_cells(record, 0.8)) if i.kind == "truncated"]
    truncated = list(unread.cells)
    # the cells of the rows past the end are certainly null: flagged, but no decision
    past = [c for c, x in record.cells.items() if "truncated" in x.flags and c not in truncated]
    assert len(past) >= 15 and all(record.cells[c].value is None for c in past)  # section 四, at least
    db = tmp_path / "review.db"
    sync_records(db, [record], 0.8)
    page.goto(page_url(serve(db), TOKEN, reviewer="kim"))
    _decide_until(page, "truncated")
    assert page.locator("#members tbody tr").count() == len(truncated) > 1
    assert "the source stops here" in page.inner_text("#group-words")
    page.screenshot(path=str(tmp_path / "truncated_item.png"), full_page=True)
    first = truncated[0]
    before = page.evaluate("document.body.dataset.item")
    page.fill(f"#members input[data-cell='{first}']", "7")
    page.click("#group-form button[type=submit]")
    _decided(page, before)
    decisions = _live_decisions(db)
    assert decisions[first][:2] == ("correct", 7)
    assert all(decisions[c][:2] == ("accept", record.cells[c].value) for c in truncated[1:])
    assert len({decisions[c][2] for c in truncated}) == 1
