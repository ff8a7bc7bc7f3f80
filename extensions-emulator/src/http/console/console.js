// The emulator's console: reads the JSON routes under /_emulator/api (the admin cookie goes
// with every request), and the live request stream (server-sent events). No framework, no
// network beyond the emulator itself. Every value from the emulator is put in the page as
// text, never as HTML.
"use strict";

const state = {
  tenant: null,
  info: null,
  schemaIds: new Set(),
  selected: null, // {collection, id}
  requests: [], // newest last
  cursor: 0,
  chosenRequest: null,
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

async function api(path, options) {
  const opts = Object.assign({ credentials: "same-origin", headers: {} }, options || {});
  if (opts.method && opts.method !== "GET") {
    opts.headers["X-Emulator-Console"] = "1";
    if (opts.body !== undefined) opts.headers["Content-Type"] = "application/json";
  }
  const response = await fetch(path, opts);
  if (response.status === 401) {
    document.body.replaceChildren(
      el("main", {}, el("h1", { text: "The console needs the admin token" }),
        el("p", { text: "Open the console URL the emulator printed at start (/_emulator/?token=…)." })));
    throw new Error("unauthorized");
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    throw new Error(`${response.status} ${response.statusText}: ${text.slice(0, 200)}`);
  }
  if (!response.ok) {
    const message = body && body.error ? body.error.message : response.statusText;
    throw new Error(message);
  }
  return body;
}

const tenantQuery = () => "tenant=" + encodeURIComponent(state.tenant);

function pretty(value) {
  return el("pre", { class: "json", tabindex: "0" }, JSON.stringify(value, null, 2));
}

function time(ms) {
  const d = new Date(ms);
  const pad = (n, w) => String(n).padStart(w || 2, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

// ---------- tabs

const TABS = ["data", "definitions", "requests", "throttling", "controls", "try"];

function showTab(name, focus) {
  for (const t of TABS) {
    const tab = $("tab-" + t);
    const on = t === name;
    tab.setAttribute("aria-selected", on ? "true" : "false");
    tab.tabIndex = on ? 0 : -1;
    $("panel-" + t).hidden = !on;
    if (on && focus) tab.focus();
  }
  state.tab = name;
  if (name === "definitions") loadDefinitions();
  if (name === "throttling") loadChart();
  if (name === "controls") loadControls();
  history.replaceState(null, "", "#" + name);
}

function setUpTabs() {
  TABS.forEach((t, i) => {
    const tab = $("tab-" + t);
    tab.addEventListener("click", () => showTab(t));
    tab.addEventListener("keydown", (e) => {
      let next = null;
      if (e.key === "ArrowRight") next = TABS[(i + 1) % TABS.length];
      if (e.key === "ArrowLeft") next = TABS[(i + TABS.length - 1) % TABS.length];
      if (e.key === "Home") next = TABS[0];
      if (e.key === "End") next = TABS[TABS.length - 1];
      if (next) { e.preventDefault(); showTab(next, true); }
    });
  });
}

// ---------- data

let searchTimer = null;

async function loadResources() {
  const q = $("search").value;
  const found = await api(`/_emulator/api/resources?${tenantQuery()}&q=${encodeURIComponent(q)}&limit=200`);
  $("matched").textContent = found.matched > found.items.length
    ? `${found.matched} match; the first ${found.items.length} are shown.`
    : `${found.matched} ${found.matched === 1 ? "resource" : "resources"}`;
  const list = $("resources");
  // The list is drawn again after writes: keep the keyboard on the resource it was on.
  const focused = list.contains(document.activeElement) ? document.activeElement.dataset : null;
  list.replaceChildren(...found.items.map((r) => {
    const current = state.selected && state.selected.collection === r.collection && state.selected.id === r.id;
    return el("li", {}, el("button", {
      type: "button",
      "aria-current": current ? "true" : null,
      "data-collection": r.collection,
      "data-id": r.id,
      onclick: () => selectResource(r.collection, r.id),
    }, el("span", { class: "kind", text: r.collection + " " }), r.name || r.id,
    r.name && r.name !== r.id ? el("span", { class: "kind", text: " · " + r.id }) : null));
  }));
  if (focused) {
    const again = [...list.querySelectorAll("button")].find((b) => b.dataset.collection === focused.collection && b.dataset.id === focused.id);
    if (again) again.focus();
  }
}

async function selectResource(collection, id) {
  state.selected = { collection, id };
  for (const b of $("resources").querySelectorAll("button")) {
    b.setAttribute("aria-current", b.dataset.collection === collection && b.dataset.id === id ? "true" : "false");
  }
  await refreshResource();
}

const CHILDREN = {
  messages: "Messages", events: "Events", contacts: "Contacts",
  todoLists: "To-do lists", tasks: "Tasks", threads: "Threads", posts: "Posts",
};
const ATTRIBUTES = ["onPremisesExtensionAttributes", "extensionAttributes"];
const DIRECTORY_OBJECTS = ["users", "groups", "devices", "organization", "administrativeUnits"];

// The emulator sends each kind apart: schema extension data under "@emulator.schema",
// directory extension values and extension attributes under "@emulator.directory".
function kindOf(key, value) {
  if (key === "extensions") return "open";
  if (CHILDREN[key] && Array.isArray(value)) return "children";
  return "field";
}

function renderNode(node, collection, depth) {
  const parts = { field: [], open: [], schema: [], directory: [], attributes: [], children: [] };
  for (const [k, v] of Object.entries(node)) {
    if (k === "@emulator.schema") {
      parts.schema.push(...Object.entries(v || {}));
    } else if (k === "@emulator.directory") {
      for (const [name, value] of Object.entries(v || {})) {
        (ATTRIBUTES.includes(name) ? parts.attributes : parts.directory).push([name, value]);
      }
    } else {
      parts[kindOf(k, v)].push([k, v]);
    }
  }
  const out = [];
  const heading = (text) => el(depth === 0 ? "h3" : "h4", { text });
  if (depth === 0) {
    out.push(el("h2", {}, `${collection} `, el("span", { class: "mono", text: node.id })));
  }
  const fields = parts.field.filter(([k]) => depth === 0 || k !== "id");
  if (fields.length) {
    out.push(el("section", { "aria-label": "Fields" }, depth === 0 ? heading("Fields") : null,
      el("dl", { class: "kv" }, fields.map(([k, v]) => [el("dt", { text: k }), el("dd", { text: typeof v === "string" ? v : JSON.stringify(v) })]))));
  }
  const open = parts.open.length ? parts.open[0][1] : [];
  if (open.length || depth === 0) {
    // Seeded extensions belong to no app (null) and count against no app's two.
    const perApp = {};
    for (const e of open) {
      const app = e["@emulator.app"];
      if (app) perApp[app] = (perApp[app] || 0) + 1;
    }
    const directory = DIRECTORY_OBJECTS.includes(collection) && depth === 0;
    out.push(el("section", { "aria-label": "Open extensions", class: "kind-open" }, heading(`Open extensions (${open.length})`),
      open.length ? null : el("p", { class: "hint", text: "none" }),
      open.map((e) => {
        const props = Object.assign({}, e);
        const app = props["@emulator.app"];
        for (const k of ["@emulator.app", "@odata.type", "extensionName", "id"]) delete props[k];
        const limit = directory && perApp[app] >= 2;
        return el("div", { class: "card", "data-extension": e.extensionName || e.id },
          el("h4", {}, e.extensionName || e.id,
            el("span", { class: "badge" + (limit ? " limit" : ""), text: app ? `created by app ${app}${limit ? ": 2 of 2 per app (the limit)" : ""}` : "seeded (no app)" })),
          pretty(props));
      })));
  }
  if (parts.schema.length) {
    out.push(el("section", { "aria-label": "Schema extension data" }, heading("Schema extension data"),
      parts.schema.map(([k, v]) => el("div", { class: "card", "data-schema": k }, el("h4", { text: k }), pretty(v)))));
  }
  if (parts.directory.length) {
    out.push(el("section", { "aria-label": "Directory extension values" }, heading("Directory extension values"),
      el("dl", { class: "kv" }, parts.directory.map(([k, v]) => [el("dt", { class: "mono", text: k }), el("dd", { text: JSON.stringify(v) })]))));
  }
  if (parts.attributes.length) {
    out.push(el("section", { "aria-label": "Extension attributes" }, heading("Extension attributes"),
      parts.attributes.map(([k, v]) => el("dl", { class: "kv", "data-attributes": k },
        Object.entries(v || {}).filter(([, x]) => x !== null).map(([a, x]) => [el("dt", { text: a }), el("dd", { text: String(x) })])))));
  }
  for (const [k, items] of parts.children) {
    out.push(el("section", { "aria-label": CHILDREN[k] }, heading(`${CHILDREN[k]} (${items.length})`),
      items.map((item) => el("div", { class: "card" },
        el("h4", {}, item.subject || item.displayName || item.title || item.topic || "", el("span", { class: "badge mono", text: item.id })),
        renderNode(item, k, depth + 1)))));
  }
  return out;
}

async function refreshResource() {
  if (!state.selected) return;
  const { collection, id } = state.selected;
  const target = $("resource");
  try {
    const node = await api(`/_emulator/api/resource?${tenantQuery()}&collection=${encodeURIComponent(collection)}&id=${encodeURIComponent(id)}`);
    target.replaceChildren(...renderNode(node, collection, 0));
    target.dataset.loadedAt = String(Date.now());
  } catch (e) {
    target.replaceChildren(el("p", { class: "hint", text: `${collection} ${id}: ${e.message}` }));
  }
}

// ---------- definitions

async function loadDefinitions() {
  const defs = await api(`/_emulator/api/definitions?${tenantQuery()}`);
  state.schemaIds = new Set(defs.schemaExtensions.map((d) => d.id));
  const limit = defs.schemaLimitPerOwner;
  $("schema-table").tBodies[0].replaceChildren(...(defs.schemaExtensions.length ? defs.schemaExtensions.map((d) => {
    const count = defs.schemaPerOwner[d.owner] || 0;
    const here = d["@emulator.tenant"] === state.tenant;
    return el("tr", {},
      el("td", { class: "mono", text: d.id }),
      el("td", { text: d.status }),
      el("td", {}, el("span", { class: "mono", text: d["@emulator.tenant"] }), here ? el("span", { class: "badge", text: "this tenant" }) : null),
      el("td", { class: "mono", text: d.owner }),
      el("td", {}, `${count} of ${limit}`, count >= limit ? el("span", { class: "badge limit", text: "at the limit" }) : null),
      el("td", { text: (d.targetTypes || []).join(", ") }),
      el("td", { text: (d.properties || []).map((p) => `${p.name}: ${p.type}`).join(", ") }));
  }) : [el("tr", {}, el("td", { colspan: "7", class: "hint", text: "No schema extension is registered." }))]));
  const byApp = new Map();
  for (const app of defs.applications) byApp.set(app.appId, { app, defs: [] });
  for (const d of defs.extensionProperties) {
    const key = d.appId || d.owner || "";
    if (!byApp.has(key)) byApp.set(key, { app: { appId: key }, defs: [] });
    byApp.get(key).defs.push(d);
  }
  const blocks = [...byApp.values()].map(({ app, defs: list }) => el("div", { class: "card" },
    el("h3", {}, app.displayName || "application", el("span", { class: "badge mono", text: `appId ${app.appId}` }),
      el("span", { class: "badge", text: `${list.length} definition${list.length === 1 ? "" : "s"}` })),
    list.length ? el("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": `Definitions of ${app.displayName || app.appId}` },
      el("table", {}, el("thead", {}, el("tr", {}, ["Name", "Type", "Multi-valued", "Targets"].map((h) => el("th", { scope: "col", text: h })))),
        el("tbody", {}, list.map((d) => el("tr", {},
          el("td", { class: "mono", text: d.name }),
          el("td", { text: d.dataType }),
          el("td", { text: d.isMultiValued ? "yes" : "no" }),
          el("td", { text: (d.targetObjects || []).join(", ") })))))) : el("p", { class: "hint", text: "No directory extension definition." })));
  $("directory-defs").replaceChildren(...(blocks.length ? blocks : [el("p", { class: "hint", text: "No application is registered in this tenant." })]));
}

// ---------- requests

function statusClass(r) {
  if (r.status === null || r.status === undefined) return "status-none";
  if (r.status === 429) return "status-429";
  return "status-" + String(r.status)[0];
}

function matches(r) {
  const status = $("filter-status").value;
  const path = $("filter-path").value.trim().toLowerCase();
  const app = $("filter-app").value;
  if (status === "emulator" && !r.note) return false;
  if (status === "429" && r.status !== 429) return false;
  if (["2", "4", "5"].includes(status) && !(r.status && String(r.status)[0] === status)) return false;
  if (path && !r.target.toLowerCase().includes(path)) return false;
  if (app && r.app !== app) return false;
  return true;
}

function requestRow(r) {
  const statusText = r.status === null ? r.outcome : String(r.status) + (r.outcome === "dropped" ? " (dropped)" : "");
  return el("tr", {
    "data-n": String(r.n),
    class: state.chosenRequest === r.n ? "chosen" : null,
    onclick: (e) => { if (!e.target.closest("button")) showRequest(r.n); },
  },
  el("td", { class: "mono", text: time(r.at) }),
  el("td", { text: r.method }),
  // The path is the row's button: keyboard and screen-reader users open a request with it.
  el("td", { class: "mono" }, el("button", {
    type: "button", class: "link", "data-n": String(r.n),
    "aria-pressed": state.chosenRequest === r.n ? "true" : "false",
    onclick: () => showRequest(r.n),
  }, r.target)),
  el("td", { class: statusClass(r), text: statusText }),
  el("td", { class: "mono", text: r.app || "" }),
  el("td", { class: r.note ? "note-" + r.note.kind : "", text: r.note ? r.note.text : "" }));
}

// Rendering waits for the next frame, so a burst of events draws once.
let renderPending = false;
function renderRequests() {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => { renderPending = false; drawRequests(); });
}

function drawRequests() {
  // The rows are drawn again: keep the keyboard on the request it was on.
  const focused = document.activeElement && document.activeElement.closest("#request-table") ? document.activeElement.dataset.n : null;
  const shown = [];
  for (let i = state.requests.length - 1; i >= 0 && shown.length < 1000; i--) {
    if (matches(state.requests[i])) shown.push(state.requests[i]);
  }
  $("request-table").tBodies[0].replaceChildren(...shown.map(requestRow));
  $("request-count").textContent = `${shown.length} shown of ${state.requests.length} received`;
  if (focused) {
    const again = $("request-table").querySelector(`button[data-n="${focused}"]`);
    if (again) again.focus();
  }
}

function knownApps(items) {
  const select = $("filter-app");
  const have = new Set([...select.options].map((o) => o.value));
  for (const r of items) {
    if (r.app && !have.has(r.app)) {
      have.add(r.app);
      select.append(el("option", { value: r.app, text: r.app }));
    }
  }
}

function received(items) {
  if (!items.length) return;
  state.requests.push(...items);
  if (state.requests.length > 20000) state.requests.splice(0, state.requests.length - 20000);
  knownApps(items);
  renderRequests();
  // A write may have changed the resource on screen: read it again.
  if (state.selected && items.some((r) => r.method !== "GET")) scheduleRefresh();
  if (state.tab === "throttling") loadChart();
}

let refreshTimer = null;
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => { refreshResource(); loadResources(); }, 50);
}

async function showRequest(n) {
  state.chosenRequest = n;
  for (const row of $("request-table").tBodies[0].rows) {
    const chosen = row.dataset.n === String(n);
    row.classList.toggle("chosen", chosen);
    const button = row.querySelector("button");
    if (button) button.setAttribute("aria-pressed", chosen ? "true" : "false");
  }
  const target = $("request-detail");
  let r;
  try {
    r = await api(`/_emulator/api/requests/${n}`);
  } catch (e) {
    target.replaceChildren(el("p", { class: "hint", text: e.message }));
    return;
  }
  const parts = [
    el("h3", {}, `${r.method} `, el("span", { class: "mono", text: r.target })),
    el("dl", { class: "kv" },
      el("dt", { text: "Status" }), el("dd", { class: statusClass(r), text: r.status === null ? r.outcome : String(r.status) }),
      el("dt", { text: "Time" }), el("dd", { text: time(r.at) }),
      el("dt", { text: "App" }), el("dd", { class: "mono", text: r.app || "(no configured app's token)" }),
      el("dt", { text: "The emulator" }), el("dd", { text: r.note ? r.note.text : "answered as Graph would" }),
      r.level !== null && r.level !== undefined ? [el("dt", { text: "Bucket after" }), el("dd", { text: `${r.level.toFixed(1)} tokens` })] : null),
  ];
  if (r.items && r.items.length) {
    parts.push(el("h4", { text: `$batch items (${r.items.length})` }),
      el("table", {}, el("thead", {}, el("tr", {}, ["Method", "URL", "Status", "The emulator"].map((h) => el("th", { scope: "col", text: h })))),
        el("tbody", {}, r.items.map((i) => el("tr", {},
          el("td", { text: i.method }), el("td", { class: "mono", text: i.target }),
          el("td", { class: statusClass(i), text: String(i.status) }), el("td", { text: i.note ? i.note.text : "" }))))));
  }
  if (r.exchange) {
    const headers = (h) => el("dl", { class: "kv" }, h.map(([k, v]) => [el("dt", { class: "mono", text: k }), el("dd", { class: "mono", text: v })]));
    parts.push(el("h4", { text: "Request" }), headers(r.exchange.request.headers),
      r.exchange.request.body === null ? el("p", { class: "hint", text: "no body" }) : pretty(r.exchange.request.body),
      el("h4", { text: "Response" }), headers(r.exchange.response.headers),
      r.exchange.response.body === null ? el("p", { class: "hint", text: "no body" }) : pretty(r.exchange.response.body));
  } else {
    parts.push(el("p", { class: "hint", text: "Its bodies were not kept: the emulator keeps bodies only while a console is open." }));
  }
  target.replaceChildren(...parts);
}

function connect() {
  const source = new EventSource(`/_emulator/api/events?after=${state.cursor}`);
  source.addEventListener("requests", (e) => {
    const page = JSON.parse(e.data);
    state.cursor = page.cursor;
    received(page.items);
    $("live").textContent = "live";
    $("live").classList.add("on");
  });
  source.onerror = () => {
    $("live").textContent = "reconnecting…";
    $("live").classList.remove("on");
    source.close();
    // Still allowed? (A restarted emulator has a new token: the page then says so.)
    setTimeout(() => api("/_emulator/api/info").then(connect, () => setTimeout(connect, 2000)), 1000);
  };
}

// ---------- throttling

let chartBusy = false;
async function loadChart() {
  if (chartBusy) return;
  chartBusy = true;
  try {
    const c = await api("/_emulator/api/throttle?seconds=120");
    const unlimited = c.capacity >= 4294967295;
    $("throttle-summary").textContent = !c.throttle
      ? "Throttling is off (Controls): every request is accepted."
      : unlimited
        ? "The throttle is unlimited: every request is accepted."
        : `Each app may send ${c.capacity} requests per ${c.windowSeconds} s (a bucket of ${c.capacity} tokens refilled at that rate). The last ${c.seconds / 60} minutes, a second per bar.`;
    const charts = c.apps.map((a) => chartOf(a, c));
    $("charts").replaceChildren(...(charts.length ? charts : [el("p", { class: "hint", text: "No request from any app in the last minutes." })]));
  } finally {
    chartBusy = false;
  }
}

function chartOf(a, c) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = (tag, attrs) => {
    const n = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    return n;
  };
  const accepted = a.accepted.reduce((x, y) => x + y, 0);
  const throttled = a.throttled.reduce((x, y) => x + y, 0);
  const levelNow = [...a.level].reverse().find((l) => l !== null);
  const width = a.accepted.length;
  const peak = Math.max(1, ...a.accepted.map((x, i) => x + a.throttled[i]));
  const H = 100;
  const label = `${a.app}: ${accepted} accepted and ${throttled} answered 429 in the last ${c.seconds / 60} minutes` +
    (levelNow !== undefined ? `; the bucket holds ${levelNow} of ${c.capacity} tokens now` : "");
  const picture = svg("svg", { viewBox: `0 0 ${width} ${H}`, preserveAspectRatio: "none", role: "img", "aria-label": label });
  a.accepted.forEach((n, i) => {
    const t = a.throttled[i];
    const ha = (n / peak) * H, ht = (t / peak) * H;
    if (n) picture.append(svg("rect", { x: i, y: H - ha, width: 0.9, height: ha, fill: "#4f7fb8" }));
    if (t) picture.append(svg("rect", { x: i, y: H - ha - ht, width: 0.9, height: ht, fill: "#b3261e" }));
  });
  const points = a.level.map((l, i) => (l === null ? null : `${i + 0.5},${H - (l / c.capacity) * H}`)).filter((p) => p);
  if (points.length) picture.append(svg("polyline", { points: points.join(" "), fill: "none", stroke: "#1d6b2f", "stroke-width": 1.5, "vector-effect": "non-scaling-stroke" }));
  const rows = [];
  a.accepted.forEach((n, i) => {
    if (n || a.throttled[i]) {
      const at = c.end - (width - 1 - i) * 1000;
      rows.push(el("tr", { "data-accepted": String(n), "data-throttled": String(a.throttled[i]) },
        el("td", { class: "mono", text: time(at).slice(0, 8) }), el("td", { text: String(n) }),
        el("td", { text: String(a.throttled[i]) }), el("td", { text: a.level[i] === null ? "" : String(a.level[i]) })));
    }
  });
  return el("div", { class: "chart", "data-app": a.app, "data-accepted": String(accepted), "data-throttled": String(throttled) },
    el("h3", {}, el("span", { class: "mono", text: a.app }), el("span", { class: "badge", text: `${accepted} accepted` }),
      el("span", { class: "badge" + (throttled ? " limit" : ""), text: `${throttled} × 429` })),
    picture,
    el("details", {}, el("summary", { text: "The numbers, a second at a time" }),
      el("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": `Numbers for ${a.app}` },
        el("table", {}, el("thead", {}, el("tr", {}, ["Second", "Accepted", "429", "Bucket level"].map((h) => el("th", { scope: "col", text: h })))),
          el("tbody", {}, rows.reverse())))));
}

setInterval(() => { if (state.tab === "throttling") loadChart(); }, 2000);

// ---------- controls

async function loadControls() {
  const info = await api("/_emulator/api/info");
  applyControls(info.controls);
}

function applyControls(c) {
  $("control-faults").checked = c.faults;
  $("control-faults").disabled = c.faultRules === 0;
  $("faults-hint").textContent = c.faultRules === 0
    ? "No fault rule is configured (start the emulator with --fault-error-rate and the like, or EmulatorConfig::faults)."
    : `${c.faultRules} fault rule${c.faultRules === 1 ? "" : "s"} configured; ${c.faults ? "injecting" : "not injecting"}.`;
  $("control-throttle").checked = c.throttle;
  $("throttle-hint").textContent = c.throttleRequests >= 4294967295
    ? `The limit is unlimited; ${c.throttle ? "on" : "off"}.`
    : `${c.throttleRequests} requests per ${c.throttleWindowSeconds} s per app; ${c.throttle ? "on" : "off"}.`;
}

async function setControl(name, on) {
  const c = await api("/_emulator/api/controls", { method: "POST", body: JSON.stringify({ [name]: on }) });
  applyControls(c);
}

async function reset() {
  $("reset-status").textContent = "resetting…";
  try {
    await api(`/_emulator/reset?${tenantQuery()}`, { method: "POST" });
    $("reset-status").textContent = "Reset: the tenant is back to its seed.";
  } catch (e) {
    $("reset-status").textContent = "Reset failed: " + e.message;
  }
  await loadDefinitions().catch(() => {});
  await loadResources();
  await refreshResource();
}

// ---------- try

async function tryRequest(e) {
  e.preventDefault();
  const answer = $("try-answer");
  answer.textContent = "sending…";
  let body = $("try-body").value;
  try {
    const r = await api("/_emulator/api/try", {
      method: "POST",
      body: JSON.stringify({ tenant: state.tenant, app: $("try-app").value, method: $("try-method").value, path: $("try-path").value, body }),
    });
    const headers = r.headers.map(([k, v]) => `${k}: ${v}`).join("\n");
    answer.textContent = `HTTP ${r.status}\n${headers}\n\n${r.body === null ? "" : JSON.stringify(r.body, null, 2)}`;
  } catch (err) {
    answer.textContent = "Not sent: " + err.message;
  }
}

// ---------- start

async function start() {
  setUpTabs();
  state.info = await api("/_emulator/api/info");
  const tenants = $("tenant");
  tenants.replaceChildren(...state.info.tenants.map((t) => el("option", { value: t, text: t === state.info.defaultTenant ? `${t} (default)` : t })));
  state.tenant = state.info.defaultTenant;
  tenants.value = state.tenant;
  const fillApps = () => {
    const apps = state.info.apps.filter((a) => a.tenant === state.tenant);
    $("try-app").replaceChildren(...apps.map((a) => el("option", { value: a.appId, text: a.appId + (a.me ? ` (me: ${a.me})` : "") })));
    $("download").href = `/_emulator/state?${tenantQuery()}&download=1`;
  };
  fillApps();
  tenants.addEventListener("change", async () => {
    state.tenant = tenants.value;
    state.selected = null;
    $("resource").replaceChildren(el("p", { class: "hint", text: "Choose a resource." }));
    fillApps();
    await loadDefinitions();
    await loadResources();
  });
  applyControls(state.info.controls);
  $("search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(loadResources, 150); });
  for (const id of ["filter-status", "filter-path", "filter-app"]) $(id).addEventListener("input", renderRequests);
  $("request-filters").addEventListener("submit", (e) => e.preventDefault());
  $("control-faults").addEventListener("change", (e) => setControl("faults", e.target.checked));
  $("control-throttle").addEventListener("change", (e) => setControl("throttle", e.target.checked));
  $("reset").addEventListener("click", reset);
  $("try-form").addEventListener("submit", tryRequest);
  await loadDefinitions();
  await loadResources();
  connect();
  const wanted = location.hash.slice(1);
  showTab(TABS.includes(wanted) ? wanted : "data");
  document.body.dataset.ready = "true";
}

start().catch((e) => {
  if (e.message !== "unauthorized") {
    document.body.append(el("p", { role: "alert", text: "The console could not start: " + e.message }));
  }
});
