// The resident's map: relief centres by status, the simulation's hazard layers, and a route to
// the nearest open centre from wherever the map is tapped. Served by the daemon, everything
// comes from its API (OGC API – Features and /routes); in an offline copy (`refd export-site`,
// described by window.SUGINAMI_SITE) from the copy's own files, read as scripts because a
// browser refuses requests on file://. Nothing is fetched from the internet.
"use strict";

const SITE = window.SUGINAMI_SITE || null;

const TEXT = {
  "ja": { stays: "一時滞在施設", stranded: "帰宅困難のため一時滞在施設へ",
    reports: "被害報告 (確認済)", live: "最新の情報に自動で更新しています (最終更新 {time})", rerouted: "状況が変わったため経路を更新しました。",
    title: "震災救援所マップ", language: "言語", panel: "経路", hint: "地図をタップすると、そこからいちばん近い開設中の震災救援所までの道を表示します。",
    button: "地図の中心から経路を探す", legend: "凡例", open: "開設", full: "満員", closed: "閉鎖", not_reported: "報告なし (開設とみなす)",
    centres: "震災救援所", towns: "町丁目", collapse: "全壊棟数の期待値 (250 m メッシュ)", burnt: "焼失棟数の期待値 (250 m メッシュ)",
    benefit: "対策による焼失の減少 (町丁目)", routing: "経路を探しています…", noRoute: "経路が見つかりません", length: "距離",
    time: "徒歩", minutes: "分", capacity: "収容人数", occupancy: "避難者数", room: "空き", sources: "出典", to: "行き先",
    notice: "注意", offline: "このページは {time} 時点のオフライン版です。救援所の開設状況と通行止めはその時点のものです。",
    walkToRoad: "近くの交差点まで約 {m} m 歩きます。", follow: "青い線に沿って約 {m} m 進み、{name}へ向かいます。",
    arrive: "{name}に到着します。", tooFar: "地図上の道路から遠すぎます" },
  "ja-easy": { stays: "かえれない ひとが とまれる ところ", stranded: "いえに かえれない ので とまれる ところへ",
    reports: "ひがいの しらせ", live: "あたらしい じょうほうに かわります ({time})", rerouted: "みちが かわりました。",
    title: "ひなんする ところの ちず", language: "ことば", panel: "みち", hint: "ちずを タップ してください。いちばん ちかい ひなんじょ までの みちを だします。",
    button: "ちずの まんなか から みちを さがす", legend: "いろの いみ", open: "あいています", full: "いっぱいです", closed: "しまっています",
    not_reported: "わかりません", centres: "ひなんじょ", towns: "まち", collapse: "こわれる いえ (250 m)", burnt: "もえる いえ (250 m)",
    benefit: "たいさくで もえなく なる いえ", routing: "さがしています…", noRoute: "みちが みつかりません", length: "ながさ",
    time: "あるく じかん", minutes: "ふん", capacity: "はいれる ひと", occupancy: "いる ひと", room: "あいている", sources: "データの でどころ",
    to: "いくところ", notice: "ちゅうい", offline: "この ちずは {time} の じょうほう です。いまと ちがう かもしれません。",
    walkToRoad: "ちかくの みちまで {m} m あるきます。", follow: "あおい せんに そって {m} m あるきます。{name}に いきます。",
    arrive: "{name}に つきます。", tooFar: "みちから とおすぎます" },
  "en": { stays: "Temporary stay facilities", stranded: "I cannot get home: route to a temporary stay facility",
    reports: "Damage reports (verified)", live: "Updating live (last change {time})", rerouted: "Things changed, so the route was updated.",
    title: "Relief centre map", language: "Language", panel: "Route", hint: "Tap the map where you are to get the way to the nearest open relief centre.",
    button: "Route from the map centre", legend: "Legend", open: "Open", full: "Full", closed: "Closed", not_reported: "No report (counted as open)",
    centres: "Relief centres", towns: "Towns", collapse: "Expected collapsed buildings (250 m cells)", burnt: "Expected burnt buildings (250 m cells)",
    benefit: "Fewer burnt buildings with the mitigation (towns)", routing: "Finding the way…", noRoute: "No route", length: "Length",
    time: "Walk", minutes: "min", capacity: "Capacity", occupancy: "People present", room: "Room", sources: "Sources", to: "To",
    notice: "Note", offline: "Offline copy made at {time}: the relief centres\u2019 states and closed roads are as known then.",
    walkToRoad: "Walk about {m} m to the nearest road junction.", follow: "Follow the blue line for about {m} m to {name}.",
    arrive: "Arrive at {name}.", tooFar: "too far from the mapped roads" },
  "zh-Hans": { stays: "临时滞留设施", stranded: "无法回家：前往临时滞留设施",
    reports: "灾害报告 (已核实)", live: "正在实时更新 (最后更新 {time})", rerouted: "情况有变，路线已更新。",
    title: "震灾救援所地图", language: "语言", panel: "路线", hint: "点击地图上您所在的位置，即可显示前往最近的开放救援所的路线。",
    button: "从地图中心查找路线", legend: "图例", open: "开放", full: "已满", closed: "关闭", not_reported: "无报告",
    centres: "救援所", towns: "町丁目", collapse: "预计倒塌建筑数 (250 米网格)", burnt: "预计烧毁建筑数 (250 米网格)",
    benefit: "对策减少的烧毁建筑 (町丁目)", routing: "正在查找路线…", noRoute: "找不到路线", length: "距离",
    time: "步行", minutes: "分钟", capacity: "容量", occupancy: "在场人数", room: "空位", sources: "出处", to: "目的地", notice: "注意",
    offline: "此离线版制作于 {time}：救援所的开放状态和封闭道路均为当时的信息。", walkToRoad: "步行约 {m} 米到最近的路口。",
    follow: "沿蓝线前行约 {m} 米，前往{name}。", arrive: "到达{name}。", tooFar: "离地图上的道路太远" },
  "ko": { stays: "일시 체류 시설", stranded: "귀가 곤란: 일시 체류 시설로 안내",
    reports: "피해 보고 (확인됨)", live: "실시간으로 갱신 중 (최종 {time})", rerouted: "상황이 바뀌어 경로를 갱신했습니다.",
    title: "진재 구원소 지도", language: "언어", panel: "경로", hint: "지도에서 현재 위치를 누르면 가장 가까운 개설된 구원소까지의 길을 표시합니다.",
    button: "지도 중심에서 경로 찾기", legend: "범례", open: "개설", full: "만원", closed: "폐쇄", not_reported: "보고 없음",
    centres: "구원소", towns: "지역", collapse: "예상 붕괴 건물 수 (250 m 격자)", burnt: "예상 소실 건물 수 (250 m 격자)",
    benefit: "대책으로 줄어드는 소실 건물 (지역)", routing: "경로를 찾는 중…", noRoute: "경로를 찾을 수 없습니다", length: "거리",
    time: "도보", minutes: "분", capacity: "수용 인원", occupancy: "현재 인원", room: "여유", sources: "출처", to: "목적지", notice: "주의",
    offline: "이 오프라인판은 {time} 기준입니다. 구원소 개설 상황과 통행 금지 도로는 그 시점의 정보입니다.",
    walkToRoad: "가장 가까운 교차로까지 약 {m} m 걸으세요.", follow: "파란 선을 따라 약 {m} m 가서 {name}(으)로 향하세요.",
    arrive: "{name}에 도착합니다.", tooFar: "지도의 도로에서 너무 멉니다" },
};
// Okabe–Ito colours, told apart with colour-blindness; the state is also written in each label.
const STATE_COLOURS = { open: "#009e73", full: "#e69f00", closed: "#000000", not_reported: "#999999" };
// Viridis, dark to light: a sequential scale readable with colour-blindness and in grey.
const SCALE = ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"];

const params = new URLSearchParams(location.search);
let language = params.get("lang") || (navigator.language || "ja");
if (!TEXT[language]) language = Object.keys(TEXT).find((key) => language.toLowerCase().startsWith(key.toLowerCase())) || "ja";
const t = (key) => TEXT[language][key] || TEXT.en[key];
// A sentence with its {placeholders} filled.
const fill = (key, values) => t(key).replace(/\{(\w+)\}/g, (_, name) => values[name]);

const map = L.map("map", { zoomControl: true }).setView([35.6995, 139.6364], 13);
// Folded on a phone, where an open list would cover a third of the map.
const layers = L.control.layers(null, null, { collapsed: window.matchMedia("(max-width: 700px)").matches }).addTo(map);
const sources = new Set();
const notices = new Set();
let routeLayer = null;
// Where the last route was asked from: asked again when centres or roads change.
let lastRouteFrom = null;
// Relief-centre markers and their features, by facility id, for live updates.
const centreMarkers = new Map();
// Published damage reports, by id.
const reportsLayer = L.layerGroup();
const reportLayers = new Map();
// Okabe–Ito again, one colour per kind of report.
const REPORT_COLOURS = { road_blocked: "#d55e00", collapse: "#cc79a7", fire: "#e69f00", flooding: "#0072b2", injury: "#f0e442", other: "#56b4e9" };

// A collection's description and every feature, from the API or from the offline copy.
async function collection(id) {
  const found = SITE ? await offlineCollection(id) : await liveCollection(id);
  if (!found) return null;
  if (found.description.attribution) sources.add(found.description.attribution);
  if (/SYNTHETIC/.test(found.description.description || "")) notices.add(found.description.description);
  return found;
}

async function liveCollection(id) {
  const meta = await fetch(`collections/${id}`, { headers: { Accept: "application/json" } });
  if (!meta.ok) return null;
  const description = await meta.json();
  let url = `collections/${id}/items?limit=1000`;
  const features = [];
  for (let page = 0; url && page < 100; page++) {
    const answer = await fetch(url, { headers: { Accept: "application/geo+json" } });
    if (!answer.ok) break;
    const body = await answer.json();
    features.push(...body.features);
    const next = (body.links || []).find((link) => link.rel === "next");
    url = next ? next.href : null;
  }
  return { description, features };
}

async function offlineCollection(id) {
  const entry = SITE.collections[id];
  if (!entry) return null;
  if (!SITE.data[id]) await loadScript(entry.script);
  return { description: entry, features: SITE.data[id].features };
}

// Runs one of the copy's data scripts (each stores its document in SITE.data).
function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`cannot read ${src}`));
    document.head.appendChild(script);
  });
}

function label(centre) {
  const p = centre.properties;
  const count = (value) => (value === null || value === undefined ? "—" : value.toLocaleString());
  return `<strong>${escapeHTML(p.name)}</strong><br>${t(p.state)}<br>${t("capacity")}: ${count(p.capacity)}` +
    `<br>${t("occupancy")}: ${count(p.occupancy)}<br>${t("room")}: ${count(p.room)}`;
}

function escapeHTML(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function quantileBreaks(values) {
  const sorted = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return [0, 0, 0, 0];
  return [0.2, 0.4, 0.6, 0.8].map((q) => sorted[Math.floor(q * (sorted.length - 1))]);
}

// Two significant figures, so that small expectations (0.004 burnt) are not shown as 0.00.
const figure = (value) => (value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value === 0 ? "0" : value.toPrecision(2));

function choropleth(features, property, name) {
  const breaks = quantileBreaks(features.map((f) => f.properties[property] || 0));
  const colour = (value) => SCALE[breaks.filter((b) => value > b).length];
  const layer = L.geoJSON(features, {
    style: (f) => ({ color: "#555", weight: 0.3, fillColor: colour(f.properties[property] || 0), fillOpacity: 0.6 }),
    onEachFeature: (f, l) => l.bindTooltip(`${escapeHTML(f.properties.name || f.id)}: ${figure(f.properties[property] || 0)}`),
  });
  layers.addOverlay(layer, name);
  return { layer, breaks, name };
}

function legend(scales) {
  const states = ["open", "full", "closed", "not_reported"]
    .map((s) => `<div><span class="swatch" style="background:${STATE_COLOURS[s]}"></span>${t(s)}</div>`).join("");
  const ramps = scales.map((s) => `<div><strong>${escapeHTML(s.name)}</strong>` +
    SCALE.map((c, i) => `<div><span class="swatch" style="background:${c}"></span>` +
      `${i === 0 ? "≤ " + figure(s.breaks[0]) : i === SCALE.length - 1 ? "> " + figure(s.breaks[3]) : figure(s.breaks[i - 1]) + "–" + figure(s.breaks[i])}</div>`).join("") + "</div>").join("");
  document.getElementById("legend").innerHTML = `<div><strong>${t("centres")}</strong>${states}</div>${ramps}`;
}

// The route from a position to the nearest open centre: drawn, measured and told in steps.
async function route(longitude, latitude) {
  lastRouteFrom = [longitude, latitude];
  const box = document.getElementById("route");
  box.textContent = t("routing");
  const answer = SITE ? await offlineRoute(longitude, latitude) : await liveRoute(longitude, latitude);
  if (routeLayer) routeLayer.remove();
  if (answer.error) {
    box.innerHTML = `<p class="error">${t("noRoute")}: ${escapeHTML(answer.error)}</p>`;
    document.getElementById("status").textContent = "NO ROUTE";
    return;
  }
  const p = answer.properties;
  routeLayer = L.geoJSON(answer, { style: { color: "#0072b2", weight: 6 } }).addTo(map);
  map.fitBounds(routeLayer.getBounds(), { maxZoom: 17, padding: [30, 30] });
  const minutes = Math.max(1, Math.round(p.walking_time_s / 60));
  box.innerHTML = `<p>${t("to")}: <strong>${escapeHTML(p.destination.name || "")}</strong><br>` +
    `${t("length")}: ${Math.round(p.length_m)} m · ${t("time")}: ${minutes} ${t("minutes")}</p>` +
    `<ol id="instructions">${p.instructions.map((line) => `<li>${escapeHTML(line)}</li>`).join("")}</ol>` +
    `<p class="sources">${escapeHTML(p.network)}</p>`;
  if (/SYNTHETIC/.test(p.network)) notices.add(p.network);
  showNotices();
  document.getElementById("status").textContent = `ROUTED ${p.instructions.length} instructions`;
}

// The daemon's answer (`/routes`): a GeoJSON Feature, or its error's description.
async function liveRoute(longitude, latitude) {
  const stranded = document.getElementById("stranded").checked ? "&for=stranded" : "";
  const answer = await fetch(`routes?from=${longitude.toFixed(6)},${latitude.toFixed(6)}&lang=${encodeURIComponent(language)}${stranded}`);
  const body = await answer.json();
  return answer.ok ? body : { error: body.description || String(answer.status) };
}

// The offline answer, in the daemon's form: from the junction nearest to the position along
// the exported shelter tree's next hops to the centre that tree leads to.
let offlineTree = null;
const CELL_DEGREES = 0.002; // the junction grid: about 200 m

async function offlineRoute(longitude, latitude) {
  if (!offlineTree) {
    if (!SITE.data.routes) await loadScript(SITE.routes);
    const routes = SITE.data.routes;
    const grid = new Map();
    for (let junction = 0; junction < routes.next.length; junction++) {
      const key = cellKey(routes.positions[2 * junction], routes.positions[2 * junction + 1]);
      if (!grid.has(key)) grid.set(key, []);
      grid.get(key).push(junction);
    }
    offlineTree = { routes, grid };
  }
  const routes = offlineTree.routes;
  const start = nearestJunction(offlineTree, longitude, latitude);
  if (!start) return { error: t("tooFar") };
  const coordinates = [[longitude, latitude]];
  let junction = start.junction;
  // Bounded by the junction count: a next hop never comes back.
  for (let step = 0; junction >= 0 && step <= routes.next.length; step++) {
    coordinates.push([routes.positions[2 * junction], routes.positions[2 * junction + 1]]);
    const bends = routes.bends[String(junction)] || [];
    for (let i = 0; i + 1 < bends.length; i += 2) coordinates.push([bends[i], bends[i + 1]]);
    junction = routes.next[junction];
  }
  const centre = routes.centres[routes.centre[start.junction]];
  const onRoads = routes.metres[start.junction];
  // The last steps, from the centre's junction to the centre itself.
  const [last, end] = [coordinates[coordinates.length - 1], centre.position];
  const access = metresBetween(last[0], last[1], end[0], end[1]);
  coordinates.push(end);
  const length = start.metres + onRoads + access;
  const instructions = [];
  if (start.metres >= 5) instructions.push(fill("walkToRoad", { m: Math.round(start.metres) }));
  if (onRoads + access > 0) instructions.push(fill("follow", { m: Math.round(onRoads + access), name: centre.name }));
  instructions.push(fill("arrive", { name: centre.name }));
  return {
    type: "Feature",
    geometry: { type: "LineString", coordinates },
    properties: {
      destination: { id: centre.id, name: centre.name }, length_m: length,
      walking_time_s: length / routes.speed_m_s, instructions, network: routes.network,
    },
  };
}

function cellKey(longitude, latitude) {
  return `${Math.floor(longitude / CELL_DEGREES)},${Math.floor(latitude / CELL_DEGREES)}`;
}

// Metres between two nearby positions (equirectangular: within 0.1 % over a few kilometres).
function metresBetween(longitude1, latitude1, longitude2, latitude2) {
  const radians = Math.PI / 180;
  const x = (longitude2 - longitude1) * radians * Math.cos(((latitude1 + latitude2) / 2) * radians);
  const y = (latitude2 - latitude1) * radians;
  return 6371008.8 * Math.hypot(x, y);
}

// The nearest junction that reaches a centre, searching rings of grid cells outwards until no
// nearer one can lie in the next ring, up to the snapping limit the daemon uses.
function nearestJunction(tree, longitude, latitude) {
  const { routes, grid } = tree;
  const cellMetres = CELL_DEGREES * 111320 * Math.cos((latitude * Math.PI) / 180);
  const rings = Math.ceil(routes.maximum_snap_m / cellMetres) + 1;
  const column = Math.floor(longitude / CELL_DEGREES);
  const row = Math.floor(latitude / CELL_DEGREES);
  let best = null;
  for (let ring = 0; ring <= rings; ring++) {
    for (let dx = -ring; dx <= ring; dx++) {
      for (let dy = -ring; dy <= ring; dy++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
        for (const junction of grid.get(`${column + dx},${row + dy}`) || []) {
          const metres = metresBetween(longitude, latitude, routes.positions[2 * junction], routes.positions[2 * junction + 1]);
          if (!best || metres < best.metres) best = { junction, metres };
        }
      }
    }
    if (best && best.metres <= ring * cellMetres) break;
  }
  return best && best.metres <= routes.maximum_snap_m ? best : null;
}

function showNotices() {
  document.getElementById("notice").textContent = notices.size ? `${t("notice")}: ${[...notices].join(" ")}` : "";
  document.getElementById("notice").hidden = notices.size === 0;
  document.getElementById("sources").textContent = `${t("sources")}: ${[...sources].join(" / ")}`;
}

function translate() {
  document.documentElement.lang = language;
  for (const [id, key] of [["title", "title"], ["language-label", "language"], ["panel-title", "panel"], ["hint", "hint"],
    ["route-centre", "button"], ["legend-title", "legend"], ["stranded-text", "stranded"]]) {
    document.getElementById(id).textContent = t(key);
  }
  document.title = t("title");
  document.getElementById("map").setAttribute("aria-label", t("hint"));
}

async function start() {
  translate();
  const select = document.getElementById("language");
  select.value = language;
  select.addEventListener("change", () => {
    params.set("lang", select.value);
    location.search = params.toString();
  });
  document.getElementById("route-centre").addEventListener("click", () => {
    const centre = map.getCenter();
    route(centre.lng, centre.lat);
  });
  map.on("click", (event) => route(event.latlng.lng, event.latlng.lat));

  const towns = await collection("towns");
  if (towns) {
    const layer = L.geoJSON(towns.features, {
      style: { color: "#666", weight: 0.8, fillOpacity: 0.03 },
      onEachFeature: (f, l) => l.bindTooltip(escapeHTML(f.properties.name)),
    }).addTo(map);
    layers.addOverlay(layer, t("towns"));
    map.fitBounds(layer.getBounds());
  }
  const scales = [];
  const cells = await collection("damage_cells");
  if (cells) {
    scales.push(choropleth(cells.features, "collapse_mean", t("collapse")));
    if (cells.features.some((f) => "burnt_mean" in f.properties)) scales.push(choropleth(cells.features, "burnt_mean", t("burnt")));
    scales[0].layer.addTo(map);
  }
  const damageTowns = await collection("damage_towns");
  if (damageTowns && damageTowns.features.some((f) => "burnt_reduction" in f.properties)) {
    scales.push(choropleth(damageTowns.features, "burnt_reduction", t("benefit")));
  }
  const status = await collection("relief_centre_status");
  statusLayer(status ? status.features : [], { radius: 8, color: "#fff", weight: 2 }, t("centres"));
  // 一時滞在施設 for commuters who cannot get home, where the ward publishes them: blue rims
  // tell them from relief centres, and the box routes to them.
  const stays = SITE ? null : await collection("temporary_stay_facility_status");
  if (stays && stays.features.length > 0) {
    statusLayer(stays.features, { radius: 7, color: "#0072b2", weight: 3 }, t("stays"));
    document.getElementById("stranded-box").hidden = false;
  }
  const reports = await collection("damage_reports");
  for (const report of reports ? reports.features : []) showReport(report);
  reportsLayer.addTo(map);
  layers.addOverlay(reportsLayer, t("reports"));
  // `live=0` keeps the page as loaded (a printout, a screenshot, a headless browser that waits
  // for the network to fall idle, which a live stream never does).
  if (!SITE && params.get("live") !== "0") listen();
  legend(scales);
  // やさしい日本語 is no locale of its own: its dates are Japanese.
  const locale = language === "ja-easy" ? "ja" : language;
  if (SITE) notices.add(fill("offline", { time: new Date(SITE.exported_at).toLocaleString(locale) }));
  showNotices();
  document.getElementById("status").textContent = `LOADED ${status ? status.features.length : 0} centres`;
  // `#route=longitude,latitude` routes on load through the same path as a tap (links, tests).
  const asked = /^#route=(-?[0-9.]+),(-?[0-9.]+)$/.exec(location.hash);
  if (asked) await route(Number(asked[1]), Number(asked[2]));
}

// A layer of facilities coloured by their reported state, kept for live updates.
function statusLayer(features, style, name) {
  const group = L.layerGroup();
  for (const feature of features) {
    const [longitude, latitude] = feature.geometry.coordinates;
    const marker = L.circleMarker([latitude, longitude], { ...style, fillOpacity: 1 });
    centreMarkers.set(feature.id, { marker, feature });
    showCentre(feature.id);
    marker.addTo(group);
  }
  group.addTo(map);
  layers.addOverlay(group, name);
}

// A centre's marker as its feature now says.
function showCentre(id) {
  const { marker, feature } = centreMarkers.get(id);
  const state = feature.properties.state;
  marker.setStyle({ fillColor: STATE_COLOURS[state] || "#999", dashArray: state === "closed" ? "2 2" : null });
  marker.bindPopup(label(feature)).bindTooltip(`${feature.properties.name} (${t(state)})`);
}

// A published report on the map (a point, or the blocked stretch of road); anything else removes it.
function showReport(feature) {
  const old = reportLayers.get(feature.id);
  if (old) old.remove();
  reportLayers.delete(feature.id);
  if (feature.properties.state !== "published") return;
  const colour = REPORT_COLOURS[feature.properties.kind] || "#999";
  const layer = L.geoJSON(feature, {
    style: { color: colour, weight: 7, dashArray: "8 6" },
    pointToLayer: (_, at) => L.circleMarker(at, { radius: 6, color: "#000", weight: 1, fillColor: colour, fillOpacity: 1 }),
  }).bindTooltip(escapeHTML(feature.properties.text || feature.properties.kind));
  reportLayers.set(feature.id, layer);
  layer.addTo(reportsLayer);
}

// Live changes from the daemon (server-sent events): centres' states and published reports
// redrawn as they come, and a route on the screen asked again, so that nobody is sent to a
// centre that has just filled or along a road that has just been closed.
function listen() {
  if (!window.EventSource) return;
  const events = new EventSource("events");
  let again = null;
  const changed = () => {
    const locale = language === "ja-easy" ? "ja" : language;
    document.getElementById("live").textContent = fill("live", { time: new Date().toLocaleTimeString(locale) });
    if (lastRouteFrom && !again) {
      again = setTimeout(async () => {
        again = null;
        await route(lastRouteFrom[0], lastRouteFrom[1]);
        document.getElementById("route").insertAdjacentHTML("afterbegin", `<p class="notice">${escapeHTML(t("rerouted"))}</p>`);
      }, 300);
    }
  };
  events.addEventListener("status", (event) => {
    const status = JSON.parse(event.data);
    const entry = centreMarkers.get(status.facilityID);
    if (!entry) return;
    const p = entry.feature.properties;
    p.state = status.state;
    p.occupancy = status.occupancy ?? null;
    p.room = p.capacity === null || p.capacity === undefined ? null : Math.max(0, p.capacity - (status.occupancy || 0));
    showCentre(status.facilityID);
    changed();
  });
  events.addEventListener("report", (event) => {
    showReport(JSON.parse(event.data));
    changed();
  });
}

start().catch((error) => {
  document.getElementById("status").textContent = `ERROR ${error}`;
  document.getElementById("route").innerHTML = `<p class="error">${escapeHTML(error)}</p>`;
});
