/* casekg graph view: builds the vis-network from the embedded JSON, then wires search, filter and info panel.
   Every text from the data reaches the page through textContent, never innerHTML. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("casekg-data").textContent);
  var kinds = D.kinds, kindIndex = {};
  kinds.forEach(function (k, i) { kindIndex[k.key] = i; });
  var hidden = {};
  var adjacency = D.nodes.map(function () { return []; });
  D.edges.forEach(function (e, i) { adjacency[e.a].push(i); if (e.b !== e.a) adjacency[e.b].push(i); });

  function el(tag, cls, text) {
    var x = document.createElement(tag);
    if (cls) x.className = cls;
    if (text !== undefined && text !== null) x.textContent = String(text);
    return x;
  }
  function kindOf(n) { return kinds[D.nodes[n].k]; }
  function field(n, key) {
    var f = D.nodes[n].f || [];
    for (var i = 0; i < f.length; i++) if (f[i][0] === key) return f[i][1];
    return "";
  }
  function evidenceLine(ev) {
    var bits = [];
    if (ev.c) bits.push(ev.c);
    if (ev.r !== undefined && ev.r !== null) bits.push(D.nodes[ev.r].l);
    if (ev.o) bits.push("chars " + ev.o[0] + "–" + ev.o[1]);
    if (ev.n) bits.push(ev.n);
    return bits.join(" · ");
  }
  function sentence(ev) { return ev.s !== undefined && ev.s !== null ? D.strings[ev.s] : ""; }

  function nodeTitle(i) {
    var n = D.nodes[i], k = kindOf(i), lines = [field(i, "title") || field(i, "reference") || field(i, "label") || n.l, k.label];
    var curie = field(i, "CURIE");
    if (curie) lines.push(curie);
    lines.push(adjacency[i].length + " relation(s) — click for evidence");
    return lines.join("\n");
  }
  function edgeTitle(i) {
    var e = D.edges[i], lines = [D.nodes[e.a].l + " — " + e.l + " → " + D.nodes[e.b].l];
    var evs = e.e || [];
    for (var j = 0; j < Math.min(evs.length, 2); j++) {
      var s = sentence(D.evidence[evs[j]]);
      lines.push(s ? "“" + s + "”" : evidenceLine(D.evidence[evs[j]]));
    }
    if (evs.length > 2) lines.push("… " + (evs.length - 2) + " more (click)");
    return lines.join("\n");
  }

  var big = D.nodes.length > D.physicsMaxNodes;
  var compact = { box: "square", ellipse: "dot" };
  var edgeFont = big ? 0 : 10;
  var nodes = new vis.DataSet(D.nodes.map(function (n, i) {
    var k = kinds[n.k], inside = k.inside && !(big && compact[k.shape]);
    return {
      id: i, label: n.l, x: n.x, y: n.y, value: n.v, title: nodeTitle(i),
      shape: big && compact[k.shape] ? compact[k.shape] : k.shape,
      color: { background: k.color, border: k.border, highlight: { background: k.color, border: "#111" },
               hover: { background: k.color, border: "#111" } },
      font: inside ? { color: k.fontColor, strokeWidth: 0 } : undefined
    };
  }));
  var edges = new vis.DataSet(D.edges.map(function (e, i) {
    return { id: i, from: e.a, to: e.b, label: e.l, title: edgeTitle(i), value: e.w,
             dashes: e.d === 1, font: { size: edgeFont } };
  }));
  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    physics: big ? { enabled: false } : {
      enabled: true, solver: "barnesHut",
      barnesHut: { gravitationalConstant: -3000, springLength: 120, springConstant: 0.03, avoidOverlap: 0.2 },
      stabilization: { enabled: true, iterations: 150, updateInterval: 50, fit: true },
      minVelocity: 1.0
    },
    nodes: { borderWidth: 1, font: { size: 14, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#fff" },
             scaling: { min: 8, max: 30, label: { enabled: false, drawThreshold: 6 } } },
    edges: {
      smooth: false, arrows: { to: { enabled: D.directed, scaleFactor: 0.5 } },
      color: { color: "#9aa3ad", highlight: "#222", hover: "#444", opacity: 0.8 },
      font: { size: 10, color: "#444", strokeWidth: 3, strokeColor: "#fff", align: "middle" },
      scaling: { min: 1, max: 8, label: { enabled: false } }, selectionWidth: 1.5
    },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                   navigationButtons: false, keyboard: false, multiselect: true }
  };
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  window.casekgNetwork = network;
  window.casekgData = D;
  window.casekgReady = false;

  function markReady() {
    network.once("afterDrawing", function () {
      window.casekgReady = true;
      window.casekgReadyAt = performance.now();
    });
    network.redraw();
  }
  if (big) {
    network.fit({ animation: false });
    markReady();
  } else {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      markReady();
    });
  }

  document.getElementById("summary").textContent =
    D.nodes.length + " nodes, " + D.edges.length + " edges" + (D.note ? " · " + D.note : "") +
    (big ? " · precomputed layout, physics off" : "");

  /* legend and kind filter */
  var legend = document.getElementById("legend");
  var counts = kinds.map(function () { return 0; });
  D.nodes.forEach(function (n) { counts[n.k] += 1; });
  kinds.forEach(function (k, i) {
    if (!counts[i]) return;
    var li = el("li"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.id = "kind-" + k.key; box.dataset.kind = k.key;
    var lab = el("label"); lab.htmlFor = box.id;
    var sw = el("span", "swatch sw-" + k.shape); sw.style.background = k.color; sw.style.borderColor = k.border;
    lab.appendChild(sw); lab.appendChild(document.createTextNode(" " + k.label + " "));
    lab.appendChild(el("span", "count", "(" + counts[i] + ")"));
    li.appendChild(box); li.appendChild(lab); legend.appendChild(li);
    box.addEventListener("change", function () { setKindVisible(i, box.checked); });
  });
  function setKindVisible(kind, visible) {
    hidden[kind] = !visible;
    var updates = [];
    D.nodes.forEach(function (n, i) { if (n.k === kind) updates.push({ id: i, hidden: !visible }); });
    nodes.update(updates);
  }

  /* search */
  var search = document.getElementById("search"), results = document.getElementById("results");
  var haystack = D.nodes.map(function (n) { return [n.l].concat(n.s || []).join("\u0001").toLowerCase(); });
  function matches(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var exact = [], part = [];
    D.nodes.forEach(function (n, i) {
      if (hidden[n.k]) return;
      var terms = haystack[i].split("\u0001");
      if (terms.indexOf(q) >= 0) exact.push(i);
      else if (haystack[i].indexOf(q) >= 0) part.push(i);
    });
    return exact.concat(part);
  }
  function runSearch() {
    var found = matches(search.value);
    results.textContent = "";
    results.dataset.query = search.value;
    found.slice(0, 50).forEach(function (i, r) {
      var li = el("li", r === 0 ? "active" : "");
      var sw = el("span", "swatch sw-" + kindOf(i).shape); sw.style.background = kindOf(i).color;
      li.appendChild(sw);
      li.appendChild(document.createTextNode(" " + D.nodes[i].l));
      var curie = field(i, "CURIE");
      if (curie) li.appendChild(el("span", "count", " " + curie));
      li.dataset.node = i;
      li.addEventListener("click", function () { selectNode(i, true); });
      results.appendChild(li);
    });
    if (found.length > 50) results.appendChild(el("li", "count", "… " + (found.length - 50) + " more"));
    if (search.value.trim() && !found.length) results.appendChild(el("li", "count", "no match"));
    if (found.length) {
      network.selectNodes(found.slice(0, 200), false);
      if (found.length === 1) selectNode(found[0], true);
      else network.fit({ nodes: found.slice(0, 200), animation: false });
    } else {
      unhighlight();
      network.unselectAll();
    }
  }
  var timer = null;
  search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(runSearch, 120); });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      clearTimeout(timer); runSearch();
      var first = matches(search.value)[0];
      if (first !== undefined) selectNode(first, true);
    }
  });

  /* info panel */
  var info = document.getElementById("info");
  function nodeLink(i) {
    var a = el("span", "rel-node", D.nodes[i].l);
    a.setAttribute("role", "link"); a.tabIndex = 0;
    a.addEventListener("click", function () { selectNode(i, true); });
    return a;
  }
  function evidenceBlock(parent, evs, limit) {
    evs.slice(0, limit).forEach(function (x) {
      var ev = D.evidence[x], s = sentence(ev);
      if (s) parent.appendChild(el("blockquote", "ev", s));
      parent.appendChild(el("div", "ev-meta", evidenceLine(ev)));
    });
    if (evs.length > limit) parent.appendChild(el("div", "ev-meta", "… " + (evs.length - limit) + " more"));
  }
  function relation(parent, edgeId, from) {
    var e = D.edges[edgeId], box = el("div", "rel"), head = el("div", "rel-head");
    box.dataset.edge = edgeId;
    var arrow = D.directed ? " → " : " — ";
    if (from === undefined) {
      head.appendChild(nodeLink(e.a)); head.appendChild(document.createTextNode(" — " + e.l + arrow)); head.appendChild(nodeLink(e.b));
    } else if (from === e.a) {
      head.appendChild(document.createTextNode(e.l + arrow)); head.appendChild(nodeLink(e.b));
    } else {
      head.appendChild(nodeLink(e.a)); head.appendChild(document.createTextNode(" — " + e.l + arrow.trimEnd()));
    }
    box.appendChild(head);
    evidenceBlock(box, e.e || [], from === undefined ? 200 : 5);
    parent.appendChild(box);
  }
  function showNode(i) {
    var n = D.nodes[i], k = kindOf(i);
    info.textContent = "";
    info.dataset.node = i; delete info.dataset.edge;
    info.appendChild(el("h3", "", field(i, "title") || field(i, "label") || n.l));
    var badge = el("span", "kind", k.label); badge.style.background = k.color; info.appendChild(badge);
    var dl = el("dl");
    (n.f || []).forEach(function (f) { dl.appendChild(el("dt", "", f[0])); dl.appendChild(el("dd", "", f[1])); });
    info.appendChild(dl);
    var rels = adjacency[i].slice().sort(function (x, y) {
      return (D.edges[y].e || []).length - (D.edges[x].e || []).length || x - y;
    });
    info.appendChild(el("h2", "", rels.length + " relation(s)"));
    rels.slice(0, 150).forEach(function (r) { relation(info, r, i); });
    if (rels.length > 150) info.appendChild(el("p", "hint", "… " + (rels.length - 150) + " more relations"));
  }
  function showEdge(id) {
    info.textContent = "";
    info.dataset.edge = id; delete info.dataset.node;
    info.appendChild(el("h3", "", "Relation"));
    relation(info, id, undefined);
  }
  /* fade everything outside the selected node's neighbourhood, so a crowded graph stays readable */
  var faded = false, FADE = "rgba(190,190,190,0.35)";
  function original(i) { var k = kindOf(i); return { background: k.color, border: k.border, highlight: { background: k.color, border: "#111" }, hover: { background: k.color, border: "#111" } }; }
  function highlight(i) {
    var near = {}; near[i] = true;
    adjacency[i].forEach(function (e) { near[D.edges[e].a] = true; near[D.edges[e].b] = true; });
    var nu = [], eu = [];
    D.nodes.forEach(function (n, j) {
      nu.push(near[j] ? { id: j, color: original(j), label: n.l } : { id: j, color: { background: FADE, border: FADE }, label: "" });
    });
    D.edges.forEach(function (e, j) {
      var on = e.a === i || e.b === i;
      eu.push({ id: j, font: { size: on ? 11 : 0 }, color: on ? { color: "#555", opacity: 1 } : { color: FADE, opacity: 0.35 } });
    });
    nodes.update(nu); edges.update(eu); faded = true;
  }
  function unhighlight() {
    if (!faded) return;
    nodes.update(D.nodes.map(function (n, j) { return { id: j, color: original(j), label: n.l }; }));
    edges.update(D.edges.map(function (e, j) { return { id: j, font: { size: edgeFont }, color: { color: "#9aa3ad", opacity: 0.8 } }; }));
    faded = false;
  }
  function selectNode(i, focus) {
    highlight(i);
    network.selectNodes([i], true);
    if (focus) network.focus(i, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showNode(i);
  }
  network.on("click", function (p) {
    if (p.nodes.length) { highlight(p.nodes[0]); showNode(p.nodes[0]); }
    else if (p.edges.length) { unhighlight(); showEdge(p.edges[0]); }
    else unhighlight();
  });
  window.casekgSelect = selectNode;
})();
