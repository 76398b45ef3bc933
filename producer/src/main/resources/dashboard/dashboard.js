// dp3q dashboard: polls the overview and the selected batch every second and updates the page in place.
"use strict";
const POLL_MS = 1000;
const $ = (id) => document.getElementById(id);
let selected = new URLSearchParams(location.search).get("batch");
let readOnly = true;
let picked = null;
let lastBatch = null;
const cells = new Map();

if (new URLSearchParams(location.search).has("token")) {
  // the server keeps the token in a cookie; leave it out of the address bar and the history
  const params = new URLSearchParams(location.search);
  params.delete("token");
  history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
}

function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
function duration(ms) {
  if (ms == null) return "";
  const s = Math.round(ms / 1000);
  if (s < 60) return s + " s";
  if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s";
  return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
}
function mib(kb) { return kb == null ? "" : (kb / 1024).toFixed(0) + " MiB"; }
function exitOrSignal(x) { return x.signal != null ? "signal " + x.signal : x.exit_code != null ? "exit " + x.exit_code : ""; }
function logUrl(task, attempt) { return "api/log?task=" + encodeURIComponent(task) + (attempt ? "&attempt=" + attempt : ""); }

async function getJson(url) {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(url + ": HTTP " + response.status);
  return response.json();
}

function renderBatches(batches) {
  $("no-batches").hidden = batches.length > 0;
  if (!selected && batches.length) selected = batches[0].name;
  $("batches").tBodies[0].innerHTML = batches.map((b) => {
    const pct = (n) => (b.total ? (100 * n) / b.total : 0).toFixed(2) + "%";
    const actions = readOnly ? "" :
      (b.failed ? `<button class="replay-batch" data-batch="${esc(b.name)}">replay failed</button>` : "") +
      (["running", "queued"].includes(b.state) ? `<button class="cancel-batch danger" data-batch="${esc(b.name)}">cancel</button>` : "");
    return `<tr class="batch${b.name === selected ? " selected" : ""}" data-batch="${esc(b.name)}">
      <td>${esc(b.name)}</td>
      <td><div class="bar" title="${b.done} done, ${b.failed} failed, ${b.running} running, ${b.queued} queued of ${b.total}">
        <span class="done" style="width:${pct(b.done)}"></span><span class="failed" style="width:${pct(b.failed)}"></span>
        <span class="cancelled" style="width:${pct(b.cancelled)}"></span><span class="running" style="width:${pct(b.running)}"></span></div>
        <span class="counts">${b.done}/${b.total} done · ${b.failed} failed · ${b.running} running · ${b.queued} queued${b.cancelled ? " · " + b.cancelled + " cancelled" : ""}</span></td>
      <td>${b.rate_per_min ? b.rate_per_min + "/min" : ""}</td>
      <td>${b.eta_s != null ? duration(b.eta_s * 1000) : ""}</td>
      <td class="state state-${esc(b.state)}">${esc(b.state)}</td>
      <td>${actions}</td></tr>`;
  }).join("");
}

function describe(c) {
  const rows = [["task", c.task_id], ["state", c.state], ["worker", c.worker], ["slot", c.slot], ["attempt", c.attempt],
    ["started", c.started ? new Date(c.started).toLocaleTimeString() : ""], ["duration", duration(c.duration_ms)],
    ["exit", exitOrSignal(c)], ["reason", c.reason], ["CPU", c.cpu_ms != null ? duration(c.cpu_ms) : ""], ["peak RSS", mib(c.max_rss_kb)]];
  return "<dl>" + rows.filter((r) => r[1] !== "" && r[1] != null).map((r) => `<dt>${r[0]}</dt><dd>${esc(r[1])}</dd>`).join("") + "</dl>"
    + (c.has_log ? `<a class="log-link" href="${logUrl(c.task_id, c.attempt)}" target="_blank">full log</a>` : "");
}

function renderChunks(chunks) {
  const grid = $("chunks");
  const seen = new Set();
  for (const c of chunks) {
    seen.add(c.task_id);
    let cell = cells.get(c.task_id);
    if (!cell) {
      cell = document.createElement("span");
      cell.dataset.task = c.task_id;
      cell.addEventListener("mouseenter", () => { if (!picked) $("chunk-detail").innerHTML = describe(cell.info); });
      cell.addEventListener("click", () => {
        if (picked) cells.get(picked)?.classList.remove("picked");
        picked = picked === c.task_id ? null : c.task_id;
        cell.classList.toggle("picked", picked === c.task_id);
        $("chunk-detail").innerHTML = describe(cell.info);
      });
      cells.set(c.task_id, cell);
      grid.appendChild(cell);
    }
    cell.info = c;
    const cls = "chunk state-" + c.state + (picked === c.task_id ? " picked" : "");
    if (cell.className !== cls) cell.className = cls;
    if (cell.dataset.state !== c.state) cell.dataset.state = c.state;
    cell.title = `chunk ${c.chunk ?? "?"}: ${c.state}${c.worker ? " on " + c.worker + " slot " + c.slot : ""}`;
  }
  for (const [task, cell] of cells) if (!seen.has(task)) { cell.remove(); cells.delete(task); }
  if (picked && cells.get(picked)) $("chunk-detail").innerHTML = describe(cells.get(picked).info);
}

function renderLanes(lanes, now) {
  if (!lanes.length) { $("lanes").innerHTML = '<p class="muted">Nothing has run yet.</p>'; return; }
  const starts = lanes.flatMap((l) => l.bars.map((b) => Date.parse(b.start)));
  const t0 = Math.min(...starts);
  const t1 = Math.max(now, ...lanes.flatMap((l) => l.bars.map((b) => (b.end ? Date.parse(b.end) : now))));
  const width = 1000, label = 130, row = 18;
  const x = (t) => label + ((t - t0) / Math.max(1, t1 - t0)) * (width - label - 5);
  const svg = lanes.map((l, i) => {
    const y = i * row;
    const bars = l.bars.map((b) => {
      const s = x(Date.parse(b.start)), e = x(b.end ? Date.parse(b.end) : now);
      return `<rect class="${esc(b.outcome)}" x="${s.toFixed(1)}" y="${y + 2}" width="${Math.max(1.5, e - s).toFixed(1)}" height="${row - 5}">
        <title>${esc(b.task_id)} attempt ${b.attempt}: ${esc(b.outcome)}</title></rect>`;
    }).join("");
    return `<text x="0" y="${y + row - 6}">${esc(l.worker)} slot ${l.slot}</text>${bars}`;
  }).join("");
  $("lanes").innerHTML = `<svg viewBox="0 0 ${width} ${lanes.length * row + 14}" preserveAspectRatio="none">${svg}
    <text x="${label}" y="${lanes.length * row + 12}">${new Date(t0).toLocaleTimeString()}</text>
    <text x="${width}" text-anchor="end" y="${lanes.length * row + 12}">${new Date(t1).toLocaleTimeString()}</text></svg>`;
}

function renderWorkers(workers) {
  $("no-workers").hidden = workers.length > 0;
  $("workers").tBodies[0].innerHTML = workers.map((w) => `<tr data-worker="${esc(w.tag)}">
    <td>${esc(w.tag)}</td><td>${esc(w.host)} <span class="muted">pid ${w.pid}</span></td><td>${esc(w.pool)}</td>
    <td>${w.busy} busy, ${w.idle} idle of ${w.slots}</td><td class="state state-${esc(w.state)}">${esc(w.state)}</td>
    <td>${w.running.map((s) => `slot ${s.slot}: ${esc(s.task_id)} attempt ${s.attempt}, ${duration(Date.now() - Date.parse(s.since))}, CPU ${duration(s.cpu_ms)}, ${mib(s.rss_kb)}`).join("<br>")}</td></tr>`).join("");
}

function renderFailed(failed) {
  $("no-failed").hidden = failed.length > 0;
  $("failed").tBodies[0].innerHTML = failed.map((f) => `<tr data-task="${esc(f.task_id)}">
    <td>${esc(f.task_id)}<br><span class="muted">${f.time ? new Date(f.time).toLocaleString() : ""}</span></td><td>${f.attempt ?? ""}</td>
    <td>${esc(f.reason)}</td><td>${exitOrSignal(f)}</td>
    <td><pre class="stderr">${esc(f.stderr_tail || f.message || "")}</pre>
      ${f.has_log ? `<a class="log-link" href="${logUrl(f.task_id, f.attempt)}" target="_blank">full log</a>` : ""}</td>
    <td>${readOnly ? "" : `<button class="replay-task" data-batch="${esc(f.batch)}" data-chunk="${f.chunk ?? ""}" data-task="${esc(f.task_id)}">replay task</button>
      <button class="replay-batch" data-batch="${esc(f.batch)}">replay batch</button>`}</td></tr>`).join("");
  // the last lines say why it failed: show the end of the tail
  for (const pre of $("failed").querySelectorAll("pre.stderr")) pre.scrollTop = pre.scrollHeight;
}

async function refresh() {
  try {
    const overview = await getJson("api/overview");
    readOnly = overview.read_only;
    $("readonly").hidden = !readOnly;
    $("broker").textContent = overview.broker;
    renderBatches(overview.batches);
    renderWorkers(overview.workers);
    renderFailed(overview.failed);
    if (selected) {
      const page = await getJson("api/batch?name=" + encodeURIComponent(selected));
      if (lastBatch !== selected) { cells.clear(); $("chunks").innerHTML = ""; picked = null; lastBatch = selected; }
      $("batch-view").hidden = false;
      $("batch-name").textContent = page.batch.name;
      $("batch-state").textContent = page.batch.state;
      $("batch-state").className = "state state-" + page.batch.state;
      renderChunks(page.chunks);
      renderLanes(page.lanes, Date.parse(overview.now));
    }
    $("updated").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (e) {
    $("updated").textContent = "cannot reach the dashboard: " + e.message;
  }
}

function confirmThen(text, action) {
  $("confirm-text").textContent = text;
  const dialog = $("confirm");
  dialog.onclose = () => { if (dialog.returnValue === "yes") action(); };
  dialog.showModal();
}

async function act(path) {
  const response = await fetch(path, { method: "POST", headers: { "X-Dp3q-Action": "1" } });
  const body = await response.json().catch(() => ({}));
  toast(response.ok ? (body.lines || []).join("\n") || "done" : body.error || "HTTP " + response.status);
  refresh();
}

function toast(text) {
  const t = $("toast");
  t.textContent = text;
  t.hidden = false;
  clearTimeout(t.timer);
  t.timer = setTimeout(() => { t.hidden = true; }, 6000);
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  const row = event.target.closest("tr.batch");
  if (button && button.classList.contains("replay-task")) {
    const b = button.dataset;
    confirmThen(`Replay ${b.task}? Do it after fixing the cause.`, () => act(`api/actions/replay?batch=${encodeURIComponent(b.batch)}&chunk=${b.chunk}`));
  } else if (button && button.classList.contains("replay-batch")) {
    confirmThen(`Replay every failed task of batch ${button.dataset.batch}?`, () => act(`api/actions/replay?batch=${encodeURIComponent(button.dataset.batch)}`));
  } else if (button && button.classList.contains("cancel-batch")) {
    confirmThen(`Cancel batch ${button.dataset.batch}? Running chunks are killed, queued ones will not run.`, () => act(`api/actions/cancel?batch=${encodeURIComponent(button.dataset.batch)}`));
  } else if (row && !button) {
    selected = row.dataset.batch;
    refresh();
  }
});

refresh();
setInterval(refresh, POLL_MS);
