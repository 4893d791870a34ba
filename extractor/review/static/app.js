// nianbao review page: claim the next cell, show it, send decisions. No build step.
// It talks to the review router of `nianbao serve` / `nianbao review DB --web` (paths relative to
// /review/), with the bearer token taken from the URL fragment: #token=…&reviewer=…&document=…&skipped=1
"use strict";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.hash.slice(1));
const scope = { document: params.get("document") || null, skipped: params.get("skipped") === "1" };
let token = params.get("token") || sessionStorage.getItem("nianbao-token") || "";
let current = null;

if (params.get("token")) {
  sessionStorage.setItem("nianbao-token", token);
  history.replaceState(null, "", location.pathname + location.search);  // the token leaves the address bar
}

function reviewer() {
  return $("reviewer").value.trim() || "reviewer";
}

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(method, path, body) {
  const options = { method, headers: { Authorization: `Bearer ${token}` } };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify({ ...body, reviewer: reviewer() });
  }
  const response = await fetch(path, options);
  const data = await response.json();
  if (!response.ok) {
    const detail = Array.isArray(data.detail) ? data.detail.map((d) => d.msg).join("; ") : data.detail;
    throw new ApiError(response.status, detail || response.statusText);
  }
  return data;
}

function show(value) {
  return value === null || value === undefined ? "null" : String(value);
}

function text(id, value) {
  $(id).textContent = value;
}

const session = { started: Date.now(), decided: 0 };
let zoom = 1;
let pageUrl = null;

function setProgress(progress) {
  text("progress", progress.text);
  $("progress").dataset.done = progress.done;
  const left = progress.pending + progress.skipped;
  let eta = "";
  if (session.decided && left) {
    const minutes = Math.ceil(((Date.now() - session.started) / session.decided) * left / 60000);
    eta = ` · about ${minutes} min left at this pace`;
  }
  text("remaining", `${left} cells left${eta}`);
}

async function next() {
  const data = await api("POST", "next", { sha256: scope.document, include_skipped: scope.skipped });
  setProgress(data.progress);
  current = data.item;
  $("item").hidden = current === null;
  $("done").hidden = current !== null;
  document.body.dataset.item = current ? String(current.item_id) : "";
  if (current) render(current);
}

function render(v) {
  text("document", v.document);
  text("table", v.table_name);
  text("cell", v.cell);
  text("labels", v.row + (v.column ? " / " + v.column : ""));
  text("value", show(v.value));
  text("unit", v.unit);
  text("method", `(${v.method}, confidence ${v.confidence.toFixed(2)})`);
  const chosen = v.group && v.group.choices.length;  // the readings are the item's choices below
  text("readings", chosen ? "" : Object.entries(v.readings).map(([k, x]) => `${k} reads ${x}`).join(" · "));
  const flags = $("flags");
  flags.replaceChildren(...v.flags.map((flag, i) => {
    const li = document.createElement("li");
    li.textContent = `${flag}: ${v.flag_words[i]}`;
    return li;
  }));
  text("note", v.note ? "note: " + v.note : "");
  text("earlier", v.decision ? `earlier: ${v.decision.action} by ${v.decision.reviewer}` : "");
  $("identities").replaceChildren(...v.identities.map((identity) => {
    const div = document.createElement("div");
    const side = (terms, sum) => terms.map((t) => `${t.label} ${show(t.value)}`).join(" + ") + ` = ${show(sum)}`;
    div.textContent = `fails: ${identity.text} — ${side(identity.left, identity.left_sum)} vs ${side(identity.right, identity.right_sum)}`;
    return div;
  }));
  const head = $("row").tHead.rows[0];
  const body = $("row").tBodies[0].rows[0];
  head.replaceChildren();
  body.replaceChildren();
  for (const n of v.row_cells) {
    const th = document.createElement("th");
    th.textContent = n.label;
    th.title = n.cell;
    if (n.decided) th.className = "decided";
    else if (n.flagged) th.className = "flagged";
    const td = document.createElement("td");
    td.textContent = show(n.value);
    if (n.current) { th.classList.add("current"); td.classList.add("current"); }
    head.append(th);
    body.append(td);
  }
  renderGroup(v);
  renderPage(v).then(() => prefetchNext(v));
  renderGrid(v.context.grid);
  renderSource(v.context);
  const input = $("correction");
  input.value = "";
  input.blur();
}

function renderSource(c) {
  text("page", c.page ? `page ${c.page}` : (c.source === "evidence" ? "(evidence only: the source file is gone or changed)" : ""));
  const pre = $("source");
  if (c.source === "none") {
    pre.textContent = "no evidence: the value was not found in the text";
    return;
  }
  const t = c.text;
  const [s, e] = c.evidence || [0, 0];
  const [ns, ne] = c.number || [e, e];
  const ev = document.createElement("mark");
  ev.className = "ev";
  const num = document.createElement("mark");
  num.className = "num";
  num.textContent = t.slice(ns, ne);
  ev.append(t.slice(s, ns), num, t.slice(ne, e));
  pre.replaceChildren(t.slice(0, s), ev, t.slice(e));
}

function renderGroup(v) {
  const g = v.group;
  $("group").hidden = !g;
  $("group").dataset.kind = g ? g.kind : "";
  if (!g) return;
  text("group-words", `${g.members.length} cells, one decision: ${g.words}`);
  // a reading is told by the cells that differ between readings, and of those by where its numbers go:
  // the cells it gives a number other than 0 (the rest of the differing cells are 0)
  const differing = g.members.filter((m) => g.choices.some((ch) => show(ch[m.cell]) !== show(g.choices[0][m.cell])));
  $("choices").replaceChildren(...g.choices.map((choice, i) => {
    const li = document.createElement("li");
    const placed = differing.filter((m) => choice[m.cell] !== 0);
    const shown = (placed.length ? placed : differing).map((m) => `${m.label} ${show(choice[m.cell])}`);
    li.textContent = shown.join(" · ") + (placed.length && placed.length < differing.length ? " · the rest 0" : "");
    if (i === 0) li.className = "given";
    li.title = `press ${i + 1}`;
    li.addEventListener("click", () => choose(i + 1));
    return li;
  }));
  $("members").tBodies[0].replaceChildren(...g.members.map((m) => {
    const tr = document.createElement("tr");
    if (m.current) tr.className = "current";
    if (m.decided) tr.classList.add("decided");
    const name = document.createElement("td");
    name.textContent = m.label;
    name.title = m.cell;
    const given = document.createElement("td");
    given.textContent = show(m.value);
    const cell = document.createElement("td");
    const input = document.createElement("input");
    input.size = 8;
    input.dataset.cell = m.cell;
    input.placeholder = show(m.value);
    cell.append(input);
    tr.append(name, given, cell);
    return tr;
  }));
}

async function renderPage(v) {
  $("pageview").hidden = !v.page_image;
  const img = $("pageimg");
  delete img.dataset.loaded;
  if (pageUrl) URL.revokeObjectURL(pageUrl);
  pageUrl = null;
  img.removeAttribute("src");
  if (!v.page_image) return;
  text("pageno", `${v.context.page || ""} (zoom ${zoom}×)`);
  $("pagebox").classList.toggle("zoomed", zoom > 1);
  const response = await fetch(`items/${v.item_id}/page.png?zoom=${zoom}`,
                               { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok || !current || current.item_id !== v.item_id) return;
  pageUrl = URL.createObjectURL(await response.blob());
  img.onload = () => { img.dataset.loaded = "1"; };
  img.src = pageUrl;
}

async function prefetchNext(v) {
  // the next PDF item's page is drawn on the server while this one is decided (the server caches it)
  if (!v.page_image) return;
  try {
    const mine = new Set(v.group ? v.group.members.map((m) => m.cell) : [v.cell]);
    const list = await api("GET", `items?sha256=${v.sha256}&limit=100`);
    const next = list.items.find((i) => !i.decision && !mine.has(i.cell) && (!i.claimed_by || i.claimed_by === reviewer()));
    if (next) fetch(`items/${next.id}/page.png?zoom=${zoom}`, { headers: { Authorization: `Bearer ${token}` } });
  } catch (err) {
    // a prefetch that fails costs nothing: the item is drawn when it is shown
  }
}

function setZoom(step) {
  zoom = Math.min(3, Math.max(1, zoom + step));
  if (current) renderPage(current);
}

function renderGrid(grid) {
  $("gridview").hidden = !grid;
  if (!grid) return;
  $("grid").replaceChildren(...grid.rows.map((cells, r) => {
    const tr = document.createElement("tr");
    if (r === grid.row) tr.className = "row";
    for (const [c, value] of cells.entries()) {
      const td = document.createElement("td");
      td.textContent = value;  // text only: the table is shown as data, never as the page's HTML
      if (c === grid.column) td.className = r === grid.row ? "cell" : "col";
      tr.append(td);
    }
    return tr;
  }));
}

function decided(result) {
  session.decided += 1;
  let message = `✓ ${result.cells.length > 1 ? result.cells.length + " cells" : result.cell}: ${result.action}`;
  if (result.cells.length <= 1 && (result.action === "accept" || result.action === "correct")) message += ` = ${show(result.value)}`;
  if (result.resolved.length) message += ` · left the queue (identities hold): ${result.resolved.join(", ")}`;
  text("message", message);
}

async function decideItem(action, extra) {
  if (!current) return;
  text("error", "");
  try {
    decided(await api("POST", `items/${current.item_id}/item-decision`, { action, ...extra }));
    await next();
  } catch (err) {
    text("error", err.message);
  }
}

function choose(n) {
  if (current && current.group && n <= current.group.choices.length) decideItem("choose", { choice: n });
}

async function decide(action, value) {
  if (!current) return;
  text("error", "");
  try {
    decided(await api("POST", `items/${current.item_id}/decision`, { action, value: value ?? null }));
    $("correction").blur();
    await next();
  } catch (err) {
    text("error", err.message);
  }
}

async function undo() {
  text("error", "");
  try {
    const result = await api("POST", "undo", {});
    text("message", result.undone ? `undid ${result.undone.action} of ${result.undone.cell}` : "nothing to undo");
    await next();
  } catch (err) {
    text("error", err.message);
  }
}

document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (target instanceof HTMLInputElement) {
    if (event.key === "Escape") target.blur();
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const grouped = current && current.group;
  const keys = {
    a: () => (grouped ? decideItem("accept") : decide("accept")),
    u: () => decide("unknown"),
    s: () => (grouped ? decideItem("skip") : decide("skip")),
    z: () => undo(),
    c: () => { $("correction").focus(); $("correction").select(); },
    "+": () => setZoom(1),
    "=": () => setZoom(1),
    "-": () => setZoom(-1),
  };
  const digit = /^[1-9]$/.test(event.key) ? () => choose(Number(event.key)) : null;
  const handler = digit || keys[event.key];
  if (handler) {
    event.preventDefault();
    handler();
  }
});

$("decide").addEventListener("submit", (event) => {
  event.preventDefault();
  decide("correct", $("correction").value);
});
$("group-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const values = {};
  for (const input of $("members").querySelectorAll("input")) {
    if (input.value.trim()) values[input.dataset.cell] = input.value.trim();
  }
  decideItem("values", { values });
});
$("group-accept").addEventListener("click", () => decideItem("accept"));
$("group-skip").addEventListener("click", () => decideItem("skip"));
$("zoom-in").addEventListener("click", () => setZoom(1));
$("zoom-out").addEventListener("click", () => setZoom(-1));
for (const button of document.querySelectorAll("button[data-action]")) {
  button.addEventListener("click", () => decide(button.dataset.action));
}
$("undo").addEventListener("click", () => undo());
$("reviewer").addEventListener("change", () => {
  localStorage.setItem("nianbao-reviewer", reviewer());
  next();
});

async function start() {
  $("login").hidden = true;
  try {
    await next();
  } catch (err) {
    if (err.status === 401) {
      $("login").hidden = false;
      $("token").focus();
    }
    text("error", err.message);
  }
}

$("login").addEventListener("submit", (event) => {
  event.preventDefault();
  token = $("token").value.trim();
  sessionStorage.setItem("nianbao-token", token);
  text("error", "");
  start();
});

$("reviewer").value = params.get("reviewer") || localStorage.getItem("nianbao-reviewer") || "";
start();
