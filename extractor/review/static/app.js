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

function setProgress(progress) {
  text("progress", progress.text);
  $("progress").dataset.done = progress.done;
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
  text("readings", Object.entries(v.readings).map(([k, x]) => `${k} reads ${x}`).join(" · "));
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

async function decide(action, value) {
  if (!current) return;
  text("error", "");
  try {
    const result = await api("POST", `items/${current.item_id}/decision`, { action, value: value ?? null });
    let message = `✓ ${result.cell}: ${result.action}` + (action === "accept" || action === "correct" ? ` = ${show(result.value)}` : "");
    if (result.resolved.length) message += ` · left the queue (identities hold): ${result.resolved.join(", ")}`;
    text("message", message);
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
  const keys = {
    a: () => decide("accept"),
    u: () => decide("unknown"),
    s: () => decide("skip"),
    z: () => undo(),
    c: () => { $("correction").focus(); $("correction").select(); },
  };
  const handler = keys[event.key];
  if (handler) {
    event.preventDefault();
    handler();
  }
});

$("decide").addEventListener("submit", (event) => {
  event.preventDefault();
  decide("correct", $("correction").value);
});
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
