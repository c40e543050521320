/* newsgraph viewer.
 *
 * Everything shown here comes from news articles, so it is never parsed as HTML:
 * the page builds its DOM with createElement/textContent only (no HTML-parsing
 * sink is used in this file), vis-network gets plain-string tooltips (which it
 * shows with innerText), and links are made only from checked Wikidata ids and
 * http(s) URLs.  The page's Content-Security-Policy refuses every script but
 * this one and vis-network, and every request to the network.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("ng-data").textContent);
  var meta = data.meta;
  var large = meta.large;
  var byId = function (id) { return document.getElementById(id); };

  // ------------------------------------------------------------------ small DOM helpers

  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (key) {
        if (key === "text") node.textContent = props[key];
        else if (key === "cls") node.className = props[key];
        else node[key] = props[key];
      });
    }
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function safeUrl(url) { return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url) ? url : null; }

  function externalLink(url, text) {
    var a = el("a", { text: text, target: "_blank", rel: "noopener noreferrer" });
    a.href = url;
    return a;
  }

  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/\s+/g, " ").trim();
  }

  function plural(n, word) { return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s"); }

  // ------------------------------------------------------------------ the data

  var groups = {};
  data.groups.forEach(function (g) { groups[g.name] = g; });
  var nodeById = new Map();
  data.nodes.forEach(function (n) { nodeById.set(n.id, n); });
  var edgeById = new Map();
  var edgesOf = new Map();
  data.nodes.forEach(function (n) { edgesOf.set(n.id, []); });
  data.edges.forEach(function (e) {
    edgeById.set(e.id, e);
    edgesOf.get(e.from).push(e);
    if (e.to !== e.from) edgesOf.get(e.to).push(e);
  });
  var searchKeys = data.nodes.map(function (n) {
    return { node: n, keys: [n.label].concat(n.aliases).map(fold), names: [n.label].concat(n.aliases) };
  });

  var dates = data.articles.map(function (a) { return a.date ? a.date.slice(0, 10) : null; })
    .filter(Boolean).sort();
  var minDate = dates.length ? dates[0] : "";
  var maxDate = dates.length ? dates[dates.length - 1] : "";

  var state = {
    groups: new Set(data.groups.map(function (g) { return g.name; })),
    props: new Set(data.props.map(function (_, i) { return i; })),
    articles: new Set(data.articles.map(function (_, i) { return i; })),
    from: minDate,
    to: maxDate,
    minSources: 1,    // facts seen in fewer articles are hidden
    disputed: false,  // only entities and events with conflicts (and what links them)
    focus: null,      // {id, depth}
    focusSet: null,
    visible: new Set()
  };

  // ------------------------------------------------------------------ visibility (filters)

  function narrowed() {
    return state.articles.size < data.articles.length || state.from > minDate || state.to < maxDate;
  }

  function articleActive(i) {
    if (!state.articles.has(i)) return false;
    var date = data.articles[i].date;
    if (state.from > minDate || state.to < maxDate) {
      if (!date) return false;
      var d = date.slice(0, 10);
      if ((state.from && d < state.from) || (state.to && d > state.to)) return false;
    }
    return true;
  }

  function sourcesOk(src, isNarrowed) {
    return !isNarrowed || src.some(articleActive);
  }

  function neighbours(id, depth) {
    var seen = new Set([id]);
    var frontier = [id];
    for (var d = 0; d < depth; d++) {
      var next = [];
      frontier.forEach(function (v) {
        edgesOf.get(v).forEach(function (e) {
          var other = e.from === v ? e.to : e.from;
          if (!seen.has(other)) { seen.add(other); next.push(other); }
        });
      });
      frontier = next;
    }
    return seen;
  }

  function computeVisible() {
    var isNarrowed = narrowed();
    var visible = new Set();
    data.nodes.forEach(function (n) {
      if (!state.groups.has(n.group)) return;
      if (state.focusSet && !state.focusSet.has(n.id)) return;
      if (!sourcesOk(n.src, isNarrowed)) return;
      if (n.src.length && n.src.length < state.minSources) return;
      if (state.disputed && !n.conflicts.length) return;
      visible.add(n.id);
    });
    state.visible = visible;
    state.visibleEdges = new Set();
    data.edges.forEach(function (e) {
      if (state.props.has(e.p) && visible.has(e.from) && visible.has(e.to) && sourcesOk(e.src, isNarrowed) &&
          e.src.length >= state.minSources) {
        state.visibleEdges.add(e.id);
      }
    });
  }

  // ------------------------------------------------------------------ vis-network

  var DISPUTED = "#c0392b";

  function visNode(n) {
    var g = groups[n.group];
    var disputed = n.conflicts.length > 0;
    var border = disputed ? DISPUTED : g.border;
    return {
      id: n.id, label: n.label, x: n.x, y: n.y, size: n.size, shape: g.shape,
      borderWidth: disputed ? 4 : 1,
      shapeProperties: disputed ? { borderDashes: [5, 3] } : {},
      title: n.label + "\n" + n.cls + (n.src.length ? "\n" + plural(n.src.length, "source") : "") +
        (disputed ? "\n\u26a0 " + plural(n.conflicts.length, "conflict") + " between sources" : ""),
      color: { background: g.color, border: border,
               highlight: { background: g.color, border: disputed ? DISPUTED : "#1d2329" },
               hover: { background: g.color, border: disputed ? DISPUTED : "#1d2329" } }
    };
  }

  function visEdge(e) {
    var p = data.props[e.p];
    var item = {
      id: e.id, from: e.from, to: e.to, label: large ? undefined : p.label, width: e.width,
      title: nodeById.get(e.from).label + " " + p.label + " " + nodeById.get(e.to).label,
      dashes: p.kind === "role" || p.kind === "quote" || p.kind === "derived",
      color: { color: p.color, highlight: "#1d2329", hover: "#1d2329" }
    };
    if (e.curve) item.smooth = { enabled: true, type: "curvedCW", roundness: e.curve };
    return item;
  }

  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(data.edges.map(visEdge));
  computeVisible();
  var nodeView = new vis.DataView(nodes, { filter: function (item) { return state.visible.has(item.id); } });
  var edgeView = new vis.DataView(edges, { filter: function (item) { return state.visibleEdges.has(item.id); } });

  var options = {
    autoResize: true,
    nodes: { borderWidth: 1, font: { size: 12, face: "system-ui, Arial, sans-serif", color: "#1d2329" } },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.5 } },
      smooth: large ? false : { enabled: true, type: "continuous", roundness: 0.3 },
      font: { size: 10, face: "system-ui, Arial, sans-serif", color: "#5b6670", strokeWidth: 3, align: "middle" },
      selectionWidth: 2
    },
    interaction: {
      hover: !large, tooltipDelay: 250, hideEdgesOnDrag: large, hideEdgesOnZoom: large, keyboard: false
    },
    layout: { improvedLayout: false, randomSeed: 7 },
    physics: meta.physics ? {
      enabled: true, solver: "barnesHut",
      barnesHut: { gravitationalConstant: -2500, centralGravity: 0.2, springLength: 120,
                   springConstant: 0.04, damping: 0.35, avoidOverlap: 0.1 },
      maxVelocity: 40, minVelocity: 1,
      stabilization: { enabled: true, iterations: meta.stabilization, updateInterval: 20, fit: true }
    } : { enabled: false }
  };

  var container = byId("ng-network");
  var loading = byId("ng-loading");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);

  var api = {
    ready: false, readyAt: null, network: network, data: data,
    drawnNodeIds: function () { return Object.keys(network.getPositions()); },
    drawnEdgeCount: function () { return edgeView.length; },
    search: function (q) { return search(q).map(function (r) { return r.node.id; }); },
    select: function (id) { selectNode(id); },
    selectEdge: function (id) { selectEdge(id); }
  };
  window.newsgraphViewer = api;

  function markReady() {
    if (api.ready) return;
    api.ready = true;
    api.readyAt = performance.now();
    document.documentElement.setAttribute("data-ready", "true");
  }

  function finishLayout() {
    loading.hidden = true;
    if (data.nodes.length === 0) {
      loading.textContent = "This graph has no entities, events or quotes to draw.";
      loading.hidden = false;
      markReady();
      return;
    }
    network.fit({ animation: false });
    network.once("afterDrawing", markReady);
    network.redraw();
  }

  if (meta.physics && data.nodes.length > 0) {
    network.on("stabilizationProgress", function (p) {
      loading.textContent = "Laying out the graph\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", function () {
      // Physics stops once the layout is stable: the graph then stays where the reader puts it.
      network.setOptions({ physics: { enabled: false } });
      finishLayout();
    });
  } else {
    finishLayout();
  }

  // ------------------------------------------------------------------ status and refresh

  function refresh() {
    computeVisible();
    nodeView.refresh();
    edgeView.refresh();
    updateStatus();
  }

  function updateStatus() {
    var text = plural(data.nodes.length, "node") + " \u00b7 " + plural(data.edges.length, "edge") +
      " \u00b7 " + plural(data.articles.length, "article");
    if (state.visible.size < data.nodes.length || state.visibleEdges.size < data.edges.length) {
      text += " \u2014 showing " + state.visible.size.toLocaleString("en") + " nodes, " +
        state.visibleEdges.size.toLocaleString("en") + " edges";
    }
    byId("ng-status").textContent = text;
  }

  // ------------------------------------------------------------------ the panel

  var panel = byId("ng-panel");
  var panelBody = byId("ng-panel-body");
  byId("ng-panel-close").addEventListener("click", function () {
    panel.hidden = true;
    network.unselectAll();
  });

  function nodeButton(id, text) {
    var button = el("button", { type: "button", cls: "ng-linkbtn", text: text });
    button.addEventListener("click", function () { selectNode(id); });
    return button;
  }

  function fact(dl, term, value) {
    if (value === null || value === undefined || value === "") return;
    dl.appendChild(el("dt", { text: term }));
    dl.appendChild(el("dd", {}, [value]));
  }

  function sentenceWithAnchor(sentence, anchor) {
    var p = el("p", { cls: "ng-sentence" });
    var at = anchor ? sentence.indexOf(anchor) : -1;
    if (at < 0) {
      p.textContent = sentence;
    } else {
      p.appendChild(document.createTextNode(sentence.slice(0, at)));
      p.appendChild(el("mark", { text: anchor }));
      p.appendChild(document.createTextNode(sentence.slice(at + anchor.length)));
    }
    return p;
  }

  function evidenceSection(index) {
    var box = el("section", { cls: "ng-evidence-box" });
    var ev = index >= 0 ? data.evidence[index] : null;
    if (!ev || ev.items.length === 0) {
      box.appendChild(el("h3", { text: "Evidence" }));
      box.appendChild(el("p", { cls: "ng-sub", text: "No evidence recorded for this." }));
      return box;
    }
    var heading = "Evidence (" + (ev.total > ev.items.length
      ? ev.items.length + " most confident of " + ev.total : ev.total) + ")";
    box.appendChild(el("h3", { text: heading }));
    var list = el("ul", { cls: "ng-evidence" });
    ev.items.forEach(function (item) {
      var sentence = item[0] >= 0 ? data.sentences[item[0]] : null;
      var article = data.articles[item[1]] || null;
      var li = el("li", { cls: "ng-evidence-item" });
      li.appendChild(sentence ? sentenceWithAnchor(sentence, item[2]) : el("p", { cls: "ng-sentence", text: item[2] || "" }));
      var source = el("div", { cls: "ng-source" });
      if (article) {
        source.appendChild(el("span", { cls: "ng-article-title", text: article.title }));
        if (article.outlet) source.appendChild(document.createTextNode(" \u2014 " + article.outlet));
        if (article.date) source.appendChild(document.createTextNode(", " + article.date));
      }
      var extra = [];
      if (item[3] !== null) extra.push("confidence " + Number(item[3]).toFixed(2));
      if (item[4]) extra.push(item[4]);
      if (extra.length) source.appendChild(document.createTextNode(" \u00b7 " + extra.join(" \u00b7 ")));
      var url = article ? safeUrl(article.url) : null;
      if (url) {
        source.appendChild(document.createTextNode(" \u00b7 "));
        source.appendChild(externalLink(url, "open article"));
      }
      li.appendChild(source);
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }

  function sourcesText(src, outlets) {
    if (!src.length) return "none recorded";
    return plural(src.length, "article") + (outlets ? ", " + plural(outlets, "outlet") : "");
  }

  function showNode(n) {
    clear(panelBody);
    panelBody.appendChild(el("h2", { text: n.label }));
    panelBody.appendChild(el("div", { cls: "ng-sub", text: n.cls + (n.cls.toLowerCase() === n.group.toLowerCase() ? "" : " \u00b7 " + n.group) }));
    panelBody.appendChild(el("div", { cls: "ng-iri", text: n.id }));
    var dl = el("dl");
    if (n.wd && /^Q[1-9][0-9]*$/.test(n.wd)) {
      fact(dl, "Wikidata", externalLink("https://www.wikidata.org/wiki/" + n.wd, n.wd));
    }
    if (n.aliases.length) fact(dl, "Also called", n.aliases.join("; "));
    if (n.speakers.length) {
      var said = el("span", { cls: "ng-speakers" });
      n.speakers.forEach(function (s, i) {
        if (i) said.appendChild(document.createTextNode(", "));
        said.appendChild(nodeById.has(s[0]) ? nodeButton(s[0], s[1]) : document.createTextNode(s[1]));
      });
      fact(dl, "Speaker", said);
    }
    Object.keys(n.details).forEach(function (key) {
      fact(dl, key.charAt(0).toUpperCase() + key.slice(1), n.details[key]);
    });
    fact(dl, "Sources", sourcesText(n.src, n.outlets));
    panelBody.appendChild(dl);
    if (n.conflicts.length) {
      panelBody.appendChild(el("div", { cls: "ng-h ng-disputed", text: "\u26a0 Sources disagree" }));
      panelBody.appendChild(el("ul", { cls: "ng-conflicts" },
        n.conflicts.map(function (c) { return el("li", { text: c }); })));
    }

    var actions = el("div", { cls: "ng-actions" });
    var show = el("button", { type: "button", id: "ng-show-neighbours", text: "Show neighbours" });
    var depth = el("select", { id: "ng-panel-depth", title: "How many steps away" },
      ["1", "2", "3"].map(function (d) { return el("option", { value: d, text: d }); }));
    depth.value = String(state.focus ? state.focus.depth : 1);
    show.addEventListener("click", function () { setFocus(n.id, Number(depth.value) || 1); });
    actions.appendChild(show);
    actions.appendChild(el("label", {}, ["depth ", depth]));
    panelBody.appendChild(actions);

    var links = edgesOf.get(n.id);
    if (links.length) {
      panelBody.appendChild(el("h3", { text: "Connections (" + links.length + ")" }));
      var ul = el("ul", { cls: "ng-links" });
      links.slice(0, 100).forEach(function (e) {
        var outgoing = e.from === n.id;
        var other = nodeById.get(outgoing ? e.to : e.from);
        var button = el("button", { type: "button",
          text: (outgoing ? "\u2192 " : "\u2190 ") + data.props[e.p].label + " " + other.label });
        button.addEventListener("click", function () { selectEdge(e.id); });
        ul.appendChild(el("li", {}, [button]));
      });
      if (links.length > 100) ul.appendChild(el("li", { text: "\u2026 and " + (links.length - 100) + " more" }));
      panelBody.appendChild(ul);
    }
    openPanel("node", n);
  }

  // The evidence closes every panel; the panel says what it shows (for tests and styles).
  function openPanel(kind, item) {
    panelBody.appendChild(evidenceSection(item.ev));
    panel.hidden = false;
    panel.setAttribute("data-kind", kind);
    panel.setAttribute("data-id", item.id);
  }

  function showEdge(e) {
    var p = data.props[e.p];
    var from = nodeById.get(e.from);
    var to = nodeById.get(e.to);
    clear(panelBody);
    panelBody.appendChild(el("h2", { text: from.label + " \u2192 " + p.label + " \u2192 " + to.label }));
    panelBody.appendChild(el("div", { cls: "ng-sub", text: p.kindLabel }));
    panelBody.appendChild(el("div", { cls: "ng-iri", text: p.iri }));
    var dl = el("dl");
    fact(dl, "From", nodeButton(from.id, from.label + " (" + from.cls + ")"));
    fact(dl, "To", nodeButton(to.id, to.label + " (" + to.cls + ")"));
    fact(dl, "Sources", sourcesText(e.src, e.outlets));
    panelBody.appendChild(dl);
    openPanel("edge", e);
  }

  function revealNode(id) {
    if (state.visible.has(id)) return;
    resetFilters();
  }

  function selectNode(id) {
    var n = nodeById.get(id);
    if (!n) return;
    revealNode(id);
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showNode(n);
  }

  function selectEdge(id) {
    var e = edgeById.get(id);
    if (!e) return;
    if (!state.visibleEdges.has(id)) resetFilters();
    network.selectEdges([id]);
    showEdge(e);
  }

  network.on("click", function (params) {
    if (params.nodes.length) showNode(nodeById.get(params.nodes[0]));
    else if (params.edges.length) showEdge(edgeById.get(params.edges[0]));
    else panel.hidden = true;
  });

  // ------------------------------------------------------------------ search

  function search(query) {
    var q = fold(query);
    if (!q) return [];
    var found = [];
    searchKeys.forEach(function (entry) {
      var best = null;
      entry.keys.forEach(function (key, i) {
        var rank = key === q ? 0 : key.indexOf(q) === 0 ? 1 : key.indexOf(" " + q) >= 0 ? 2 : key.indexOf(q) >= 0 ? 3 : -1;
        if (rank >= 0 && (best === null || rank < best.rank)) best = { rank: rank, name: entry.names[i] };
      });
      if (best) found.push({ node: entry.node, rank: best.rank, name: best.name });
    });
    found.sort(function (a, b) {
      return a.rank - b.rank || b.node.src.length - a.node.src.length ||
        edgesOf.get(b.node.id).length - edgesOf.get(a.node.id).length ||
        (a.node.label < b.node.label ? -1 : a.node.label > b.node.label ? 1 : 0);
    });
    return found;
  }

  var searchBox = byId("ng-search");
  var results = byId("ng-results");

  function showResults() {
    clear(results);
    var found = search(searchBox.value);
    found.slice(0, 30).forEach(function (r) {
      var button = el("button", { type: "button" }, [
        r.node.label,
        r.name !== r.node.label ? el("span", { cls: "ng-cls", text: " (" + r.name + ")" }) : null,
        el("span", { cls: "ng-cls", text: " \u00b7 " + r.node.cls })
      ]);
      button.addEventListener("click", function () { selectNode(r.node.id); });
      results.appendChild(el("li", { role: "option" }, [button]));
    });
    if (searchBox.value.trim() && found.length === 0) results.appendChild(el("li", { cls: "ng-cls", text: "no match" }));
    if (found.length > 30) results.appendChild(el("li", { cls: "ng-cls", text: "\u2026 " + (found.length - 30) + " more" }));
    return found;
  }

  searchBox.addEventListener("input", showResults);
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var found = showResults();
      if (found.length) selectNode(found[0].node.id);
      event.preventDefault();
    } else if (event.key === "Escape") {
      searchBox.value = "";
      clear(results);
    }
  });

  // ------------------------------------------------------------------ filters

  var SHAPES = {
    dot: "circle", square: "rect", hexagon: "7,1 12,4 12,10 7,13 2,10 2,4", triangle: "7,1 13,13 1,13",
    triangleDown: "1,1 13,1 7,13", diamond: "7,0 14,7 7,14 0,7",
    star: "7,0 8.8,5 14,5 9.8,8.2 11.4,13.5 7,10.3 2.6,13.5 4.2,8.2 0,5 5.2,5"
  };

  function legendIcon(g) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 14 14");
    svg.setAttribute("class", "ng-legend-icon");
    var shape = SHAPES[g.shape] || "circle";
    var item;
    if (shape === "circle") {
      item = document.createElementNS(ns, "circle");
      item.setAttribute("cx", "7"); item.setAttribute("cy", "7"); item.setAttribute("r", "6");
    } else if (shape === "rect") {
      item = document.createElementNS(ns, "rect");
      item.setAttribute("x", "1"); item.setAttribute("y", "1"); item.setAttribute("width", "12"); item.setAttribute("height", "12");
    } else {
      item = document.createElementNS(ns, "polygon");
      item.setAttribute("points", shape);
    }
    item.setAttribute("fill", g.color);
    item.setAttribute("stroke", g.border);
    svg.appendChild(item);
    return svg;
  }

  function checkbox(list, checked, onChange, children, title) {
    var input = el("input", { type: "checkbox", checked: checked });
    input.addEventListener("change", function () { onChange(input.checked); refresh(); });
    var label = el("label", {}, [input].concat(children));
    if (title) label.title = title;
    list.appendChild(el("li", {}, [label]));
    return input;
  }

  var groupCounts = {};
  data.nodes.forEach(function (n) { groupCounts[n.group] = (groupCounts[n.group] || 0) + 1; });
  var groupInputs = data.groups.map(function (g) {
    var input = checkbox(byId("ng-legend"), true, function (on) {
      if (on) state.groups.add(g.name); else state.groups.delete(g.name);
    }, [legendIcon(g), el("span", { text: g.label }), el("span", { cls: "ng-count", text: String(groupCounts[g.name] || 0) })]);
    input.setAttribute("data-group", g.name);
    return input;
  });

  var propCounts = {};
  data.edges.forEach(function (e) { propCounts[e.p] = (propCounts[e.p] || 0) + 1; });
  var propInputs = data.props.map(function (p, i) {
    var swatch = el("span", { cls: "ng-legend-icon" });
    swatch.style.borderTop = "3px " + (p.kind === "relation" || p.kind === "stance" ? "solid " : "dashed ") + p.color;
    var input = checkbox(byId("ng-props"), true, function (on) {
      if (on) state.props.add(i); else state.props.delete(i);
    }, [swatch, el("span", { text: p.label }), el("span", { cls: "ng-count", text: String(propCounts[i] || 0) })], p.kindLabel);
    input.setAttribute("data-prop", p.iri);
    return input;
  });
  byId("ng-props-box").hidden = data.props.length === 0;

  var articleInputs = data.articles.map(function (a, i) {
    var input = checkbox(byId("ng-articles"), true, function (on) {
      if (on) state.articles.add(i); else state.articles.delete(i);
    }, [el("span", { cls: "ng-art", text: a.title })],
    a.title + (a.outlet ? " \u2014 " + a.outlet : "") + (a.date ? ", " + a.date : ""));
    input.setAttribute("data-article", a.iri);
    return input;
  });
  byId("ng-articles-box").hidden = data.articles.length === 0;

  function setAllArticles(on) {
    articleInputs.forEach(function (input, i) {
      input.checked = on;
      if (on) state.articles.add(i); else state.articles.delete(i);
    });
    refresh();
  }
  byId("ng-articles-all").addEventListener("click", function () { setAllArticles(true); });
  byId("ng-articles-none").addEventListener("click", function () { setAllArticles(false); });

  var dateFrom = byId("ng-date-from");
  var dateTo = byId("ng-date-to");
  [dateFrom, dateTo].forEach(function (input) {
    input.min = minDate; input.max = maxDate;
    input.addEventListener("change", function () {
      state.from = dateFrom.value || minDate;
      state.to = dateTo.value || maxDate;
      refresh();
    });
  });
  dateFrom.value = minDate;
  dateTo.value = maxDate;

  var minSources = byId("ng-min-sources");
  var disputedBox = byId("ng-disputed");
  var disputedCount = data.nodes.filter(function (n) { return n.conflicts.length > 0; }).length;
  byId("ng-disputed-count").textContent = disputedCount.toLocaleString("en");
  disputedBox.disabled = disputedCount === 0;
  minSources.max = String(Math.max(1, data.articles.length));
  minSources.addEventListener("change", function () {
    state.minSources = Math.max(1, Math.floor(Number(minSources.value)) || 1);
    refresh();
  });
  disputedBox.addEventListener("change", function () { state.disputed = disputedBox.checked; refresh(); });
  byId("ng-dates-box").hidden = dates.length === 0;

  function setFocus(id, depth) {
    state.focus = { id: id, depth: depth };
    state.focusSet = neighbours(id, depth);
    byId("ng-focus-box").hidden = false;
    byId("ng-focus-depth").value = String(depth);
    byId("ng-focus-text").textContent = "Showing " + nodeById.get(id).label + " and its neighbours (" +
      (state.focusSet.size - 1).toLocaleString("en") + " within " + plural(depth, "step") + ").";
    refresh();
    network.fit({ nodes: Array.from(state.focusSet).filter(function (v) { return state.visible.has(v); }), animation: false });
  }

  function clearFocus() {
    state.focus = null;
    state.focusSet = null;
    byId("ng-focus-box").hidden = true;
  }

  byId("ng-focus-clear").addEventListener("click", function () { clearFocus(); refresh(); network.fit({ animation: false }); });
  byId("ng-focus-depth").addEventListener("change", function () {
    if (state.focus) setFocus(state.focus.id, Number(byId("ng-focus-depth").value) || 1);
  });

  function resetFilters() {
    clearFocus();
    groupInputs.forEach(function (input) { input.checked = true; });
    propInputs.forEach(function (input) { input.checked = true; });
    articleInputs.forEach(function (input) { input.checked = true; });
    state.groups = new Set(data.groups.map(function (g) { return g.name; }));
    state.props = new Set(data.props.map(function (_, i) { return i; }));
    state.minSources = 1; minSources.value = "1";
    state.disputed = false; disputedBox.checked = false;
    state.articles = new Set(data.articles.map(function (_, i) { return i; }));
    dateFrom.value = state.from = minDate;
    dateTo.value = state.to = maxDate;
    refresh();
  }
  byId("ng-reset").addEventListener("click", resetFilters);

  var notes = byId("ng-notes");
  meta.notes.forEach(function (note) { notes.appendChild(el("span", { text: note })); notes.appendChild(el("br")); });
  updateStatus();
})();
