// Headquarters' and relief-centre staff's page for the safety of the people who need help
// (要配慮者 安否確認): who is still unconfirmed per centre and per town, on a list in the order
// to check them and on the map, and a form to record what was found. Everything comes from the
// daemon's /people API with the token typed in; the token stays in this tab (sessionStorage),
// and the roster's text is only ever set as text, never as HTML.
"use strict";

const STATES = {
  safe_at_centre: "救援所で無事", safe_at_home: "在宅で無事", safe_elsewhere: "無事（その他・場所不明）", injured: "負傷", hospitalised: "入院",
  missing: "行方不明", deceased: "死亡", unknown: "不明",
};
const NEEDS = {
  wheelchair: "車いす", bedridden: "寝たきり", dialysis: "人工透析", oxygen: "在宅酸素", hearing: "聴覚障害",
  sight: "視覚障害", language: "日本語が不自由", infant: "乳幼児",
};

const map = L.map("map").setView([35.6995, 139.6364], 13);
const people = L.layerGroup().addTo(map);
const status = document.getElementById("status");
const message = document.getElementById("message");

function token() { return sessionStorage.getItem("refd-token") || ""; }

async function api(path, options = {}) {
  const answer = await fetch("../" + path, {
    ...options,
    headers: { Accept: "application/json", Authorization: "Bearer " + token(), ...(options.headers || {}) },
  });
  const body = await answer.json().catch(() => ({}));
  return { ok: answer.ok, status: answer.status, body };
}

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
}

function tallies(id, list, key) {
  const body = document.querySelector(`#${id} tbody`);
  body.replaceChildren();
  for (const tally of list) {
    const row = document.createElement("tr");
    cell(row, tally.name || tally[key] || "（なし）");
    cell(row, String(tally.people), "count");
    cell(row, String(tally.unconfirmed), "count");
    body.appendChild(row);
  }
}

function describe(person) {
  const needs = (person.needs || []).map((need) => NEEDS[need] || need).join("・");
  const latest = person.latest
    ? `最新: ${STATES[person.latest.state] || person.latest.state} (${person.latest.observed_at}, ${person.latest.source})`
    : "最新: 報告なし";
  return {
    who: `${person.name || person.id}${person.kana ? "（" + person.kana + "）" : ""}`,
    where: [person.address, person.town && person.town.name].filter(Boolean).join(" / "),
    needs, latest,
  };
}

function item(person) {
  const node = document.getElementById("person").content.firstElementChild.cloneNode(true);
  const text = describe(person);
  node.dataset.person = person.id;
  node.querySelector(".who").textContent = text.who;
  node.querySelector(".where").textContent = text.where;
  node.querySelector(".needs").textContent = text.needs;
  node.querySelector(".reason").textContent = person.reason || "";
  node.querySelector(".latest").textContent = text.latest;
  node.querySelector(".record").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const record = { state: form.state.value, source: form.source.value };
    const answer = await api(`people/${encodeURIComponent(person.id)}/safety`, {
      method: "POST", headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify(record),
    });
    // Shown after the refresh, which sets its own message.
    if (answer.ok) await show();
    message.textContent = answer.ok
      ? `${text.who}: ${STATES[record.state]} を記録しました。`
      : `記録できません: ${answer.body.description || answer.status}`;
  });
  return node;
}

async function show() {
  status.textContent = "LOADING";
  const summary = await api("people/summary");
  if (!summary.ok) {
    message.textContent = `表示できません (${summary.status}): ${summary.body.description || ""}`;
    status.textContent = "ERROR " + summary.status;
    return;
  }
  document.getElementById("totals").textContent =
    `${summary.body.people} 人のうち未確認 ${summary.body.unconfirmed} 人`;
  tallies("by-centre", summary.body.by_centre, "centre");
  tallies("by-town", summary.body.by_town, "town_code");

  // The order to check in when the daemon has a simulation; otherwise the unconfirmed by id.
  let list = await api("people/priority");
  const rule = document.getElementById("rule");
  if (list.ok) {
    rule.textContent = "順位: " + list.body.rule;
  } else {
    rule.textContent = list.body.description || "";
    list = await api("people?state=unconfirmed");
  }
  const items = document.getElementById("people");
  items.replaceChildren(...(list.body.people || []).map(item));

  const geo = await api("people?state=unconfirmed&f=geojson");
  people.clearLayers();
  for (const feature of (geo.body.features || [])) {
    const [longitude, latitude] = feature.geometry.coordinates;
    const marker = L.circleMarker([latitude, longitude], { radius: 7, color: "#a00", fillOpacity: 0.7 });
    const text = describe(feature.properties);
    const popup = document.createElement("div");
    for (const line of [text.who, text.where, text.needs, text.latest]) {
      const p = document.createElement("p");
      p.textContent = line;
      popup.appendChild(p);
    }
    marker.bindPopup(popup);
    marker.addTo(people);
  }
  if (people.getLayers().length > 0) map.fitBounds(L.featureGroup(people.getLayers()).getBounds(), { maxZoom: 16 });
  message.textContent = "閲覧は監査ログに記録されています。";
  status.textContent =
    `READY people=${summary.body.people} unconfirmed=${summary.body.unconfirmed} listed=${items.children.length} markers=${people.getLayers().length}`;
}

document.getElementById("login").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem("refd-token", document.getElementById("token").value);
  show();
});

// The ward's outline for orientation (open data, no token needed).
fetch("../collections/towns/items?limit=1000", { headers: { Accept: "application/geo+json" } })
  .then((answer) => answer.ok ? answer.json() : null)
  .then((towns) => {
    if (!towns) return;
    const layer = L.geoJSON(towns.features, { style: { color: "#666", weight: 1, fillOpacity: 0.03 } }).addTo(map);
    if (people.getLayers().length === 0) map.fitBounds(layer.getBounds());
  });
if (token()) show();
