/* newsgraph viewer.
 *
 * Everything shown here comes from news articles, so it is never parsed as HTML:
 * the page builds its DOM with createElement/textContent only (no HTML-parsing
 * sink is used in this file), article text sits in <bdi> so that its direction
 * cannot reorder what surrounds it (and Python already replaced every override
 * character with a visible mark), links are made only from checked Wikidata ids
 * and http(s) URLs.  The page's Content-Security-Policy refuses every script but
 * this one, and every request to the network.
 *
 * The graph is drawn on a Canvas 2D by this file (docs/viewer.md says why:
 * vis-network and sigma.js measured 3-4 and 2-8 frames per second at 10,000 nodes
 * here).  Two views: the overview (entities and the links that aggregate what
 * joins them; quotes folded into their speakers, events into links) and
 * everything (every node and edge of the graph).
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("ng-data").textContent);
  var meta = data.meta;
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

  // Text of an article, isolated for direction.
  function bdi(text, cls) { return el("bdi", { text: text, cls: cls || "" }); }

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

  function short(text, n) { return text.length > n ? text.slice(0, n - 1) + "\u2026" : text; }

  // ------------------------------------------------------------------ the data

  var groups = {};
  data.groups.forEach(function (g) { groups[g.name] = g; });
  var nodeById = new Map();
  var indexOf = new Map();
  data.nodes.forEach(function (n, i) { nodeById.set(n.id, n); indexOf.set(n.id, i); });
  var edgeById = new Map();
  var edgesOf = new Map();
  data.nodes.forEach(function (n) { edgesOf.set(n.id, []); });
  data.edges.forEach(function (e) {
    edgeById.set(e.id, e);
    edgesOf.get(e.from).push(e);
    if (e.to !== e.from) edgesOf.get(e.to).push(e);
  });
  // Links of the overview: [a, b, weight, edge indices, events, quotes, article indices].
  var links = data.links.map(function (l, i) {
    return { id: "link:" + i, a: l[0], b: l[1], w: l[2], edges: l[3], events: l[4], quotes: l[5], src: l[6] };
  });
  var linkById = new Map();
  var linksOf = new Map();
  data.nodes.forEach(function (n) { linksOf.set(n.id, []); });
  links.forEach(function (l) { linkById.set(l.id, l); linksOf.get(l.a).push(l); linksOf.get(l.b).push(l); });
  var ENTITY = function (n) { return n.group !== "Event" && n.group !== "Quote"; };

  var searchKeys = data.nodes.map(function (n) {
    return { node: n, keys: [n.label].concat(n.aliases).map(fold), names: [n.label].concat(n.aliases) };
  });

  function day(a) { return a && a.date ? a.date.slice(0, 10) : null; }
  var dates = data.articles.map(day).filter(Boolean).sort();
  var minDate = dates.length ? dates[0] : "";
  var maxDate = dates.length ? dates[dates.length - 1] : "";
  var outlets = [];
  var outletIndex = new Map();
  data.articles.forEach(function (a) {
    var o = a.outlet || "(no outlet)";
    if (!outletIndex.has(o)) { outletIndex.set(o, outlets.length); outlets.push({ name: o, count: 0 }); }
    outlets[outletIndex.get(o)].count++;
  });
  var articleOutlet = data.articles.map(function (a) { return outletIndex.get(a.outlet || "(no outlet)"); });

  var state = {
    mode: "overview",
    shown: new Set(data.overview),  // nodes of the overview view (the "everything" view shows all)
    hidden: new Set(),               // hidden by the reader, in either view
    pinned: new Set(),
    forced: new Set(),               // revealed by a search or a link although a filter hides them
    selected: new Set(),
    groups: new Set(data.groups.map(function (g) { return g.name; })),
    communities: new Set(data.communities.map(function (_, i) { return i; }).concat([-1])),
    props: new Set(data.props.map(function (_, i) { return i; })),
    articles: new Set(data.articles.map(function (_, i) { return i; })),
    outlets: new Set(outlets.map(function (_, i) { return i; })),
    from: minDate,
    to: maxDate,
    minSources: 1,
    disputed: false,
    visible: new Set(),
    drawnEdges: []  // {kind: "link"|"edge", item, from, to}
  };

  // ------------------------------------------------------------------ visibility (filters)

  function narrowed() {
    return state.articles.size < data.articles.length || state.outlets.size < outlets.length ||
      state.from > minDate || state.to < maxDate;
  }

  function articleActive(i) {
    if (!state.articles.has(i) || !state.outlets.has(articleOutlet[i])) return false;
    if (state.from > minDate || state.to < maxDate) {
      var d = day(data.articles[i]);
      if (!d || (state.from && d < state.from) || (state.to && d > state.to)) return false;
    }
    return true;
  }

  function activeCount(src) {
    var n = 0;
    for (var i = 0; i < src.length; i++) if (articleActive(src[i])) n++;
    return n;
  }

  // A fact passes when an active article supports it; a fact no article supports (a query's
  // derived edge) is not held to the article filters, and counts as seen once.
  function factPasses(src, isNarrowed) {
    if (!src.length) return true;
    var n = isNarrowed ? activeCount(src) : src.length;
    return n > 0 && n >= state.minSources;
  }

  function nodePasses(n, isNarrowed) {
    if (state.hidden.has(n.id)) return false;
    if (state.forced.has(n.id)) return true;
    if (!state.groups.has(n.group)) return false;
    if (ENTITY(n) && !state.communities.has(n.com)) return false;
    if (!factPasses(n.src, isNarrowed)) return false;
    if (state.disputed && !n.conflicts.length) return false;
    return true;
  }

  function linkPasses(l, isNarrowed) {
    var kindOk = l.events.length > 0 || l.quotes.length > 0 ||
      l.edges.some(function (i) { return state.props.has(data.edges[i].p); });
    return kindOk && factPasses(l.src, isNarrowed);
  }

  function computeVisible() {
    var isNarrowed = narrowed();
    var visible = new Set();
    var candidates = state.mode === "all" ? data.nodes : Array.from(state.shown, function (id) { return nodeById.get(id); });
    candidates.forEach(function (n) { if (nodePasses(n, isNarrowed)) visible.add(n.id); });
    var drawn = [];
    if (state.mode === "all") {
      data.edges.forEach(function (e) {
        if (state.props.has(e.p) && visible.has(e.from) && visible.has(e.to) && factPasses(e.src, isNarrowed)) {
          drawn.push({ kind: "edge", item: e, from: e.from, to: e.to });
        }
      });
    } else {
      links.forEach(function (l) {
        if (visible.has(l.a) && visible.has(l.b) && linkPasses(l, isNarrowed)) {
          drawn.push({ kind: "link", item: l, from: l.a, to: l.b });
        }
      });
      visible.forEach(function (id) {
        var n = nodeById.get(id);
        if (ENTITY(n)) return;
        edgesOf.get(id).forEach(function (e) {
          if (visible.has(e.from) && visible.has(e.to) && state.props.has(e.p) && factPasses(e.src, isNarrowed)) {
            drawn.push({ kind: "edge", item: e, from: e.from, to: e.to });
          }
        });
      });
      // No isolated node in the overview: what a filter cut off leaves, unless the reader holds it.
      var linked = new Set();
      drawn.forEach(function (d) { linked.add(d.from); linked.add(d.to); });
      visible.forEach(function (id) {
        if (!linked.has(id) && !state.pinned.has(id) && !state.forced.has(id) && !state.selected.has(id)) visible.delete(id);
      });
    }
    state.visible = visible;
    state.drawnEdges = drawn;
  }

  // ------------------------------------------------------------------ the canvas renderer

  var container = byId("ng-network");
  var canvas = document.createElement("canvas");
  container.appendChild(canvas);
  var ctx = canvas.getContext("2d");
  var dpr = window.devicePixelRatio || 1;
  var W = 0, H = 0;
  var cam = { s: 1, x: 0, y: 0 };  // screen = world * s + (x, y)
  var pos = { overview: new Map(), all: new Map() };
  data.nodes.forEach(function (n) {
    pos.all.set(n.id, { x: n.x, y: n.y });
    if (n.ox !== undefined) pos.overview.set(n.id, { x: n.ox, y: n.oy });
  });
  function P(id) { return pos[state.mode].get(id); }

  var stats = { frames: 0, lastDrawMs: 0, labelled: [], fullDraws: 0 };
  var snapshot = null;  // {canvas, cam} while the view moves
  var moving = false;
  var idleTimer = null;
  var pending = false;
  var hover = null;

  function resize() {
    var rect = container.getBoundingClientRect();
    W = Math.max(1, Math.floor(rect.width));
    H = Math.max(1, Math.floor(rect.height));
    canvas.width = Math.floor(W * dpr);
    canvas.height = Math.floor(H * dpr);
    canvas.style.width = W + "px";
    canvas.style.height = H + "px";
    snapshot = null;
    schedule();
  }

  function schedule() {
    if (!pending) { pending = true; requestAnimationFrame(frame); }
  }

  function frame() {
    pending = false;
    var t0 = performance.now();
    if (moving && snapshot) drawSnapshot(); else drawFull();
    stats.lastDrawMs = performance.now() - t0;
    stats.frames++;
    if (animating) schedule();
  }

  var COLORS_DIM = 0.18;

  function nodeColour(n) {
    if (ENTITY(n) && n.com >= 0 && data.communities[n.com]) return data.communities[n.com].color;
    if (ENTITY(n)) return meta.uncoloured;
    return groups[n.group].color;
  }

  function radius(n) { return state.mode === "overview" ? 5 + 20 * Math.sqrt(n.imp || 0) + (ENTITY(n) ? 0 : 3) : n.size * 0.6; }

  function shapePath(shape, x, y, r) {
    switch (shape) {
      case "square": ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7); break;
      case "triangle": ctx.moveTo(x, y - r); ctx.lineTo(x + r, y + r * 0.8); ctx.lineTo(x - r, y + r * 0.8); ctx.closePath(); break;
      case "triangleDown": ctx.moveTo(x, y + r); ctx.lineTo(x + r, y - r * 0.8); ctx.lineTo(x - r, y - r * 0.8); ctx.closePath(); break;
      case "diamond": ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath(); break;
      case "hexagon":
        for (var k = 0; k < 6; k++) {
          var a = Math.PI / 3 * k + Math.PI / 6;
          if (k) ctx.lineTo(x + r * Math.cos(a), y + r * Math.sin(a)); else ctx.moveTo(x + r * Math.cos(a), y + r * Math.sin(a));
        }
        ctx.closePath(); break;
      case "star":
        for (var j = 0; j < 10; j++) {
          var b = Math.PI / 5 * j - Math.PI / 2, rr = j % 2 ? r * 0.45 : r;
          if (j) ctx.lineTo(x + rr * Math.cos(b), y + rr * Math.sin(b)); else ctx.moveTo(x + rr * Math.cos(b), y + rr * Math.sin(b));
        }
        ctx.closePath(); break;
      default: ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
  }

  function edgeStyle(d) {
    if (d.kind === "link") return { color: "#7F8C99", width: Math.min(9, 0.8 + 1.3 * Math.sqrt(d.item.w)), dash: false };
    var p = data.props[d.item.p];
    return { color: p.color, width: d.item.width, dash: p.kind === "role" || p.kind === "quote" || p.kind === "derived" };
  }

  function neighbourhoodOfSelection() {
    if (!state.selected.size) return null;
    var near = new Set(state.selected);
    state.drawnEdges.forEach(function (d) {
      if (state.selected.has(d.from)) near.add(d.to);
      if (state.selected.has(d.to)) near.add(d.from);
    });
    return near;
  }

  function drawFull() {
    stats.fullDraws++;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, W, H);
    var s = cam.s, ox = cam.x, oy = cam.y;
    var near = neighbourhoodOfSelection();
    var margin = 40;
    function sx(p) { return p.x * s + ox; }
    function sy(p) { return p.y * s + oy; }
    // Edges, batched by style.
    var buckets = new Map();
    var big = state.drawnEdges.length > 20000 && moving;
    if (!big) {
      state.drawnEdges.forEach(function (d) {
        var a = P(d.from), b = P(d.to);
        var st = edgeStyle(d);
        var hot = near && (state.selected.has(d.from) || state.selected.has(d.to));
        var dim = near && !hot;
        var key = (hot ? "#1d2329" : st.color) + "|" + st.width.toFixed(1) + "|" + st.dash + "|" + (dim ? 1 : 0);
        if (!buckets.has(key)) buckets.set(key, { st: st, hot: hot, dim: dim, segs: [] });
        buckets.get(key).segs.push(a, b);
      });
      buckets.forEach(function (bucket) {
        ctx.beginPath();
        for (var i = 0; i < bucket.segs.length; i += 2) {
          var a = bucket.segs[i], b = bucket.segs[i + 1];
          ctx.moveTo(sx(a), sy(a)); ctx.lineTo(sx(b), sy(b));
        }
        ctx.globalAlpha = bucket.dim ? COLORS_DIM : bucket.hot ? 0.9 : 0.55;
        ctx.strokeStyle = bucket.hot ? "#1d2329" : bucket.st.color;
        ctx.lineWidth = Math.max(0.6, bucket.st.width * Math.min(1, Math.sqrt(s)));
        ctx.setLineDash(bucket.st.dash ? [5, 4] : []);
        ctx.stroke();
      });
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
    }
    // Nodes, batched by colour, shape and dimming.
    var nb = new Map();
    var onScreen = [];
    state.visible.forEach(function (id) {
      var n = nodeById.get(id), p = P(id);
      var x = sx(p), y = sy(p), r = Math.max(2, radius(n) * Math.min(1.5, Math.max(s, 0.25)));
      if (x < -margin || y < -margin || x > W + margin || y > H + margin) return;
      var dim = near && !near.has(id);
      var key = nodeColour(n) + "|" + groups[n.group].shape + "|" + (dim ? 1 : 0);
      if (!nb.has(key)) nb.set(key, { color: nodeColour(n), shape: groups[n.group].shape, dim: dim, items: [] });
      nb.get(key).items.push([x, y, r]);
      onScreen.push({ n: n, x: x, y: y, r: r, dim: dim });
    });
    nb.forEach(function (bucket) {
      ctx.beginPath();
      bucket.items.forEach(function (it) { shapePath(bucket.shape, it[0], it[1], it[2]); });
      ctx.globalAlpha = bucket.dim ? COLORS_DIM : 1;
      ctx.fillStyle = bucket.color;
      ctx.fill();
      if (onScreen.length < 3000) { ctx.strokeStyle = "rgba(0,0,0,0.35)"; ctx.lineWidth = 1; ctx.stroke(); }
    });
    ctx.globalAlpha = 1;
    // Marks: disputed (dashed red), pinned (dot), selected and hovered (dark ring).
    onScreen.forEach(function (o) {
      var n = o.n;
      if (n.conflicts.length) {
        ctx.beginPath(); shapePath(groups[n.group].shape, o.x, o.y, o.r + 2.5);
        ctx.setLineDash([4, 3]); ctx.strokeStyle = "#c0392b"; ctx.lineWidth = 2; ctx.stroke(); ctx.setLineDash([]);
      }
      if (state.selected.has(n.id) || hover === n.id) {
        ctx.beginPath(); shapePath(groups[n.group].shape, o.x, o.y, o.r + (n.conflicts.length ? 5 : 2.5));
        ctx.strokeStyle = "#1d2329"; ctx.lineWidth = state.selected.has(n.id) ? 3 : 1.5; ctx.stroke();
      }
      if (state.pinned.has(n.id)) {
        ctx.beginPath(); ctx.arc(o.x + o.r * 0.8, o.y - o.r * 0.8, 3, 0, 2 * Math.PI);
        ctx.fillStyle = "#1d2329"; ctx.fill();
      }
    });
    drawLabels(onScreen);
  }

  // Labels: the most important first; one that would overlap a label already placed waits
  // until zooming in makes room.  Every label is drawn at 11 px or more.
  var widthCache = new Map();
  function drawLabels(onScreen) {
    onScreen.sort(function (a, b) {
      return (state.selected.has(b.n.id) - state.selected.has(a.n.id)) || (b.n.imp - a.n.imp) ||
        (b.n.src.length - a.n.src.length) || (b.r - a.r);
    });
    var placed = [];
    var grid = new Map();
    var CELL = 64;
    function cells(box, add) {
      var hit = false;
      for (var gx = Math.floor(box[0] / CELL); gx <= Math.floor(box[2] / CELL); gx++) {
        for (var gy = Math.floor(box[1] / CELL); gy <= Math.floor(box[3] / CELL); gy++) {
          var k = gx + "," + gy;
          if (add) { if (!grid.has(k)) grid.set(k, []); grid.get(k).push(box); continue; }
          var list = grid.get(k);
          if (list) for (var i = 0; i < list.length; i++) {
            var o = list[i];
            if (box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]) { hit = true; break; }
          }
          if (hit) return true;
        }
      }
      return hit;
    }
    var limit = Math.min(onScreen.length, 3000);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.direction = "ltr";
    for (var i = 0; i < limit && placed.length < 500; i++) {
      var o = onScreen[i];
      if (o.dim) continue;
      var size = Math.round(11 + 6 * Math.sqrt(o.n.imp || 0));
      var text = short(o.n.label, 42);
      var key = size + "|" + o.n.id;
      var w = widthCache.get(key);
      if (w === undefined) {
        ctx.font = (o.n.imp > 0.3 ? "600 " : "") + size + "px system-ui, Arial, sans-serif";
        w = ctx.measureText(text).width;
        widthCache.set(key, w);
      }
      var box = [o.x - w / 2 - 2, o.y + o.r + 1, o.x + w / 2 + 2, o.y + o.r + 3 + size];
      if (box[2] < 0 || box[0] > W || box[3] < 0 || box[1] > H) continue;
      if (cells(box, false)) continue;
      cells(box, true);
      placed.push({ id: o.n.id, size: size, text: text, x: o.x, y: box[1] + 1, bold: o.n.imp > 0.3 });
    }
    ctx.lineJoin = "round";
    placed.forEach(function (l) {
      ctx.font = (l.bold ? "600 " : "") + l.size + "px system-ui, Arial, sans-serif";
      ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.lineWidth = 3;
      ctx.strokeText(l.text, l.x, l.y);
      ctx.fillStyle = "#1d2329";
      ctx.fillText(l.text, l.x, l.y);
    });
    stats.labelled = placed;
  }

  function drawSnapshot() {
    var k = cam.s / snapshot.cam.s;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    // world->screen now: w*s + x; at the snapshot: w*s0 + x0, so screen_now = k*(screen0 - x0) + x.
    ctx.setTransform(k, 0, 0, k, (cam.x - k * snapshot.cam.x) * dpr, (cam.y - k * snapshot.cam.y) * dpr);
    ctx.drawImage(snapshot.canvas, 0, 0);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
  }

  // Moving the view: big pages move a picture of the last frame and draw in full when still.
  function startMove() {
    if (!moving && (stats.lastDrawMs > 12 || state.visible.size > 1500)) {
      if (!snapshot) {
        drawFull();
        var copy = document.createElement("canvas");
        copy.width = canvas.width; copy.height = canvas.height;
        copy.getContext("2d").drawImage(canvas, 0, 0);
        snapshot = { canvas: copy, cam: { s: cam.s, x: cam.x, y: cam.y } };
      }
      moving = true;
    }
    clearTimeout(idleTimer);
    idleTimer = setTimeout(function () { if (!drag) endMove(); }, 200);  // a drag ends on pointerup
  }

  function endMove() {
    moving = false;
    snapshot = null;
    schedule();
  }

  // ------------------------------------------------------------------ camera and layout animation

  var animating = false;
  var anim = null;  // {t0, ms, from: Map, to: Map, cam0, cam1}

  function bounds(ids) {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    ids.forEach(function (id) {
      var p = (anim && anim.to.get(id)) || P(id);
      if (!p) return;
      if (p.x < x0) x0 = p.x; if (p.y < y0) y0 = p.y; if (p.x > x1) x1 = p.x; if (p.y > y1) y1 = p.y;
    });
    return x0 === Infinity ? null : { x0: x0, y0: y0, x1: x1, y1: y1 };
  }

  function fitCamera(ids) {
    var b = bounds(ids && ids.size !== undefined ? ids : state.visible);
    if (!b) return { s: 1, x: W / 2, y: H / 2 };
    var pad = 60;
    var s = Math.min((W - 2 * pad) / Math.max(1, b.x1 - b.x0), (H - 2 * pad - 20) / Math.max(1, b.y1 - b.y0));
    s = Math.max(0.02, Math.min(2, s));
    return { s: s, x: W / 2 - s * (b.x0 + b.x1) / 2, y: H / 2 - 10 - s * (b.y0 + b.y1) / 2 };
  }

  function animateTo(targets, camTo, ms) {
    var from = new Map();
    targets.forEach(function (p, id) { var cur = P(id); from.set(id, cur ? { x: cur.x, y: cur.y } : { x: p.x, y: p.y }); });
    anim = { t0: performance.now(), ms: ms, from: from, to: targets, cam0: { s: cam.s, x: cam.x, y: cam.y }, cam1: camTo };
    if (!animating) { animating = true; requestAnimationFrame(step); }
  }

  function step(now) {
    if (!anim) { animating = false; return; }
    var t = Math.min(1, (now - anim.t0) / anim.ms);
    var e = t < 0.5 ? 2 * t * t : 1 - Math.pow(-2 * t + 2, 2) / 2;
    var map = pos[state.mode];
    anim.to.forEach(function (p, id) {
      var f = anim.from.get(id);
      map.set(id, { x: f.x + (p.x - f.x) * e, y: f.y + (p.y - f.y) * e });
    });
    if (anim.cam1) {
      cam.s = anim.cam0.s + (anim.cam1.s - anim.cam0.s) * e;
      cam.x = anim.cam0.x + (anim.cam1.x - anim.cam0.x) * e;
      cam.y = anim.cam0.y + (anim.cam1.y - anim.cam0.y) * e;
    }
    if (t >= 1) { anim = null; animating = false; }
    else requestAnimationFrame(step);
    schedule();
  }

  // A short force layout of what is drawn (overview), so that the view refits what is shown.
  function relax(seeded, rounds) {
    var ids = Array.from(state.visible);
    var n = ids.length;
    var map = pos[state.mode];
    var target = new Map();
    if (state.mode !== "overview" || n > 900 || n < 2) {
      ids.forEach(function (id) { target.set(id, map.get(id)); });
      return target;
    }
    var ix = new Map();
    var X = new Float64Array(n), Y = new Float64Array(n);
    ids.forEach(function (id, i) { ix.set(id, i); var p = map.get(id); X[i] = p.x; Y[i] = p.y; });
    var E = [];
    state.drawnEdges.forEach(function (d) {
      if (ix.has(d.from) && ix.has(d.to)) E.push([ix.get(d.from), ix.get(d.to), d.kind === "link" ? Math.min(4, Math.sqrt(d.item.w)) : 1]);
    });
    // ForceAtlas2's idea: repulsion grows with the degrees of both nodes, so hubs push apart
    // and their many neighbours spread around them instead of piling in the centre.
    var deg = new Float64Array(n).fill(1);
    E.forEach(function (e) { deg[e[0]]++; deg[e[1]]++; });
    var kr = 900, ka = 0.02, gravity = 0.004;
    var fixed = ids.map(function (id) { return state.pinned.has(id) || (seeded && !seeded.has(id)); });
    var iterations = rounds || (seeded ? 80 : 60);
    var temp = seeded || rounds ? 40 : 20;
    var cx = 0, cy = 0;
    for (var c0 = 0; c0 < n; c0++) { cx += X[c0] / n; cy += Y[c0] / n; }
    var dx = new Float64Array(n), dy = new Float64Array(n);
    for (var it = 0; it < iterations; it++) {
      dx.fill(0); dy.fill(0);
      for (var i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var ux = X[i] - X[j], uy = Y[i] - Y[j];
          var d2 = ux * ux + uy * uy + 1;
          var f = kr * deg[i] * deg[j] / d2;
          dx[i] += ux * f / deg[i]; dy[i] += uy * f / deg[i]; dx[j] -= ux * f / deg[j]; dy[j] -= uy * f / deg[j];
        }
        dx[i] -= (X[i] - cx) * gravity * deg[i]; dy[i] -= (Y[i] - cy) * gravity * deg[i];
      }
      for (var m = 0; m < E.length; m++) {
        var a = E[m][0], b = E[m][1];
        var vx = X[a] - X[b], vy = Y[a] - Y[b];
        var w = ka * (1 + Math.log(E[m][2]));
        dx[a] -= vx * w; dy[a] -= vy * w; dx[b] += vx * w; dy[b] += vy * w;
      }
      for (var q = 0; q < n; q++) {
        if (fixed[q]) continue;
        var len = Math.sqrt(dx[q] * dx[q] + dy[q] * dy[q]) + 0.01;
        var lim = Math.min(len, temp);
        X[q] += dx[q] / len * lim; Y[q] += dy[q] / len * lim;
      }
      temp *= 0.97;
    }
    ids.forEach(function (id, i) { target.set(id, { x: X[i], y: Y[i] }); });
    return target;
  }

  // After every change of what is shown: lay out (overview), then move nodes and camera smoothly.
  function refit(seeded, keepCamera) {
    var target = relax(seeded);
    var saved = anim;
    anim = { to: target };
    var camTo = keepCamera ? null : fitCamera(state.visible);
    anim = saved;
    animateTo(target, camTo, 450);
  }

  // ------------------------------------------------------------------ history (undo)

  var undoStack = [];

  function snapshotState() {
    return {
      mode: state.mode, shown: new Set(state.shown), hidden: new Set(state.hidden),
      pinned: new Set(state.pinned), forced: new Set(state.forced),
      groups: new Set(state.groups), communities: new Set(state.communities), props: new Set(state.props),
      articles: new Set(state.articles), outlets: new Set(state.outlets), from: state.from, to: state.to,
      minSources: state.minSources, disputed: state.disputed,
      positions: new Map(Array.from(pos.overview, function (kv) { return [kv[0], { x: kv[1].x, y: kv[1].y }]; }))
    };
  }

  function remember() {
    undoStack.push(snapshotState());
    if (undoStack.length > 100) undoStack.shift();
    byId("ng-undo").disabled = false;
  }

  function undo() {
    var last = undoStack.pop();
    if (!last) return;
    ["mode", "shown", "hidden", "pinned", "forced", "groups", "communities", "props", "articles", "outlets",
     "from", "to", "minSources", "disputed"].forEach(function (k) { state[k] = last[k]; });
    var targets = last.positions;
    syncControls();
    computeVisible();
    if (state.mode === "overview") {
      var t = new Map();
      state.visible.forEach(function (id) { if (targets.has(id)) t.set(id, targets.get(id)); else t.set(id, P(id)); });
      targets.forEach(function (p, id) { if (!pos.overview.has(id)) pos.overview.set(id, p); });
      animateTo(t, fitCamera(state.visible), 350);
    } else {
      cam = fitCamera(state.visible);
    }
    byId("ng-undo").disabled = undoStack.length === 0;
    afterChange();
  }

  // ------------------------------------------------------------------ depth on demand

  function neighboursOf(id) {
    var found = new Map();  // neighbour -> weight
    linksOf.get(id).forEach(function (l) {
      var other = l.a === id ? l.b : l.a;
      found.set(other, (found.get(other) || 0) + l.w);
    });
    edgesOf.get(id).forEach(function (e) {
      var other = e.from === id ? e.to : e.from;
      var n = nodeById.get(other);
      if (n.group === "Quote") return;  // quotes stay folded into their speaker
      if (n.group === "Event" || !ENTITY(nodeById.get(id))) found.set(other, (found.get(other) || 0) + e.src.length);
    });
    return found;
  }

  var EXPAND_MAX = 40;  // neighbours added per node and click (the most supported); click again for more

  function expand(ids) {
    if (state.mode !== "overview") setMode("overview", true);
    remember();
    var added = new Set();
    ids.forEach(function (id) {
      var n = nodeById.get(id);
      if (!n || n.group === "Quote") return;
      state.shown.add(id);
      state.hidden.delete(id);
      var near = Array.from(neighboursOf(id)).filter(function (kv) {
        return !state.visible.has(kv[0]) || !state.shown.has(kv[0]);
      });
      near.sort(function (a, b) { return b[1] - a[1] || (nodeById.get(b[0]).imp - nodeById.get(a[0]).imp); });
      var origin = pos.overview.get(id) || { x: 0, y: 0 };
      near.slice(0, EXPAND_MAX).forEach(function (kv, i) {
        var other = kv[0];
        state.shown.add(other);
        state.hidden.delete(other);
        if (!nodePasses(nodeById.get(other), narrowed())) state.forced.add(other);
        if (!pos.overview.has(other) || !state.visible.has(other)) {
          var angle = i * 2.39996, r = 60 + 9 * Math.sqrt(i + 1) * 6;
          pos.overview.set(other, { x: origin.x + r * Math.cos(angle), y: origin.y + r * Math.sin(angle) });
        }
        added.add(other);
      });
      if (!pos.overview.has(id)) pos.overview.set(id, origin);
    });
    computeVisible();
    var seeded = new Set(added);
    refit(seeded.size ? seeded : null);
    afterChange();
    return added.size;
  }

  function hide(ids) {
    if (!ids.length) return;
    remember();
    ids.forEach(function (id) { state.hidden.add(id); state.selected.delete(id); state.forced.delete(id); });
    computeVisible();
    refit(null, true);
    panel.hidden = true;
    afterChange();
  }

  function pin(ids) {
    if (!ids.length) return;
    remember();
    var all = ids.every(function (id) { return state.pinned.has(id); });
    ids.forEach(function (id) { if (all) state.pinned.delete(id); else state.pinned.add(id); });
    afterChange();
  }

  function setMode(mode, silent) {
    if (mode === state.mode) return;
    if (!silent) remember();
    state.mode = mode;
    syncControls();
    computeVisible();
    if (mode === "overview") {
      state.visible.forEach(function (id) {
        if (!pos.overview.has(id)) { var p = pos.all.get(id); pos.overview.set(id, { x: p.x, y: p.y }); }
      });
    }
    cam = fitCamera(state.visible);
    if (!silent) afterChange();
  }

  // ------------------------------------------------------------------ status and refresh

  function afterChange() {
    computeVisible();
    updateStatus();
    updateToolbar();
    updateArticleCounts();
    if (!panel.hidden && current) reopenPanel();
    schedule();
  }

  function refresh() {
    // A filter changed: what is drawn changes, the layout refits what is left.
    computeVisible();
    if (state.mode === "overview") refit(null); else schedule();
    afterChange();
  }

  function updateStatus() {
    var text = plural(data.nodes.length, "node") + " \u00b7 " + plural(data.edges.length, "edge") +
      " \u00b7 " + plural(data.articles.length, "article") + " \u2014 " +
      (state.mode === "overview" ? "overview: " : "everything: ") +
      "showing " + plural(state.visible.size, "node") + ", " + plural(state.drawnEdges.length, state.mode === "overview" ? "link" : "edge");
    byId("ng-status").textContent = text;
  }

  function updateToolbar() {
    var any = state.selected.size > 0;
    byId("ng-expand").disabled = !any;
    byId("ng-hide").disabled = !any;
    byId("ng-pin").disabled = !any;
    byId("ng-mode-overview").setAttribute("aria-pressed", String(state.mode === "overview"));
    byId("ng-mode-all").setAttribute("aria-pressed", String(state.mode === "all"));
  }

  // ------------------------------------------------------------------ hit testing and the mouse

  function nodeAt(x, y) {
    var best = null, bestD = Infinity;
    state.visible.forEach(function (id) {
      var n = nodeById.get(id), p = P(id);
      var px = p.x * cam.s + cam.x, py = p.y * cam.s + cam.y;
      var r = Math.max(2, radius(n) * Math.min(1.5, Math.max(cam.s, 0.5))) + 3;
      var d = (px - x) * (px - x) + (py - y) * (py - y);
      if (d <= r * r && d < bestD) { best = id; bestD = d; }
    });
    return best;
  }

  function edgeAt(x, y) {
    var best = null, bestD = 36;
    state.drawnEdges.forEach(function (d) {
      var a = P(d.from), b = P(d.to);
      var ax = a.x * cam.s + cam.x, ay = a.y * cam.s + cam.y, bx = b.x * cam.s + cam.x, by = b.y * cam.s + cam.y;
      var vx = bx - ax, vy = by - ay, len = vx * vx + vy * vy;
      var t = len ? Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / len)) : 0;
      var qx = ax + t * vx - x, qy = ay + t * vy - y, dist = qx * qx + qy * qy;
      if (dist < bestD) { bestD = dist; best = d; }
    });
    return best;
  }

  var drag = null;
  var tooltip = byId("ng-tooltip");

  function local(event) {
    var rect = canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  canvas.addEventListener("pointerdown", function (event) {
    var p = local(event);
    var id = nodeAt(p.x, p.y);
    drag = { x: p.x, y: p.y, cx: cam.x, cy: cam.y, node: id, moved: false };
    if (id) { var w = P(id); drag.wx = w.x; drag.wy = w.y; }
    if (canvas.setPointerCapture && event.pointerId !== undefined) {
      try { canvas.setPointerCapture(event.pointerId); } catch (e) { /* a synthetic pointer */ }
    }
  });

  canvas.addEventListener("pointermove", function (event) {
    var p = local(event);
    if (drag) {
      var dx = p.x - drag.x, dy = p.y - drag.y;
      if (!drag.moved && dx * dx + dy * dy < 9) return;
      drag.moved = true;
      tooltip.hidden = true;
      if (drag.node) {
        pos[state.mode].set(drag.node, { x: drag.wx + dx / cam.s, y: drag.wy + dy / cam.s });
        state.pinned.add(drag.node);
      } else {
        cam.x = drag.cx + dx; cam.y = drag.cy + dy;
        startMove();
      }
      schedule();
      return;
    }
    var id = nodeAt(p.x, p.y);
    if (id !== hover) { hover = id; schedule(); }
    if (id) {
      var n = nodeById.get(id);
      tooltip.textContent = n.label + "\n" + n.cls + (n.src.length ? " \u00b7 " + plural(n.src.length, "article") : "") +
        (n.quotes.length ? " \u00b7 " + plural(n.quotes.length, "quote") : "") +
        (n.conflicts.length ? "\n\u26a0 sources disagree" : "");
    } else {
      var d = edgeAt(p.x, p.y);
      if (d) tooltip.textContent = describeDrawn(d);
      else { tooltip.hidden = true; return; }
    }
    tooltip.style.left = Math.min(W - 200, p.x + 14) + "px";
    tooltip.style.top = (p.y + 14) + "px";
    tooltip.hidden = false;
  });

  canvas.addEventListener("pointerleave", function () { tooltip.hidden = true; if (hover) { hover = null; schedule(); } });

  canvas.addEventListener("pointerup", function (event) {
    var d = drag;
    drag = null;
    if (!d) return;
    if (d.moved) { if (!d.node) endMove(); return; }
    var p = local(event);
    var multi = event.shiftKey || event.ctrlKey || event.metaKey;
    var id = nodeAt(p.x, p.y);
    if (id) { clickNode(id, multi); return; }
    var e = edgeAt(p.x, p.y);
    if (e) { selectDrawnEdge(e); return; }
    state.selected.clear();
    panel.hidden = true;
    current = null;
    afterChange();
  });

  canvas.addEventListener("dblclick", function (event) {
    var p = local(event);
    var id = nodeAt(p.x, p.y);
    if (id) expand([id]);
  });

  canvas.addEventListener("wheel", function (event) {
    event.preventDefault();
    var p = local(event);
    var f = Math.exp(-event.deltaY / 400);
    var s = Math.max(0.01, Math.min(8, cam.s * f));
    f = s / cam.s;
    cam.x = p.x - (p.x - cam.x) * f;
    cam.y = p.y - (p.y - cam.y) * f;
    cam.s = s;
    startMove();
    schedule();
  }, { passive: false });

  document.addEventListener("keydown", function (event) {
    if (event.target && (event.target.tagName === "INPUT" || event.target.tagName === "SELECT")) return;
    if ((event.ctrlKey || event.metaKey) && event.key === "z") { undo(); event.preventDefault(); }
    else if (event.key === "Delete") hide(Array.from(state.selected));
    else if (event.key === "Escape") { state.selected.clear(); panel.hidden = true; afterChange(); }
  });

  window.addEventListener("resize", resize);
  // The panel opening or closing changes the canvas's width: keep the centre where it was.
  if (window.ResizeObserver) {
    new ResizeObserver(function () {
      var w0 = W, h0 = H;
      resize();
      [cam, anim && anim.cam0, anim && anim.cam1].forEach(function (c) {
        if (c) { c.x += (W - w0) / 2; c.y += (H - h0) / 2; }
      });
    }).observe(container);
  }

  // ------------------------------------------------------------------ the panel

  var panel = byId("ng-panel");
  var panelBody = byId("ng-panel-body");
  var current = null;  // {kind, item}
  byId("ng-panel-close").addEventListener("click", function () {
    panel.hidden = true;
    current = null;
    state.selected.clear();
    afterChange();
  });

  function nodeButton(id, text) {
    var button = el("button", { type: "button", cls: "ng-linkbtn" }, [bdi(text)]);
    button.addEventListener("click", function () { select(id); });
    return button;
  }

  function fact(dl, term, value) {
    if (value === null || value === undefined || value === "") return;
    dl.appendChild(el("dt", { text: term }));
    dl.appendChild(el("dd", {}, [typeof value === "string" ? bdi(value) : value]));
  }

  function sentenceWithAnchor(sentence, anchor) {
    var p = el("p", { cls: "ng-sentence" });
    var b = el("bdi");
    var at = anchor ? sentence.indexOf(anchor) : -1;
    if (at < 0) {
      b.textContent = sentence;
    } else {
      b.appendChild(document.createTextNode(sentence.slice(0, at)));
      b.appendChild(el("mark", { text: anchor }));
      b.appendChild(document.createTextNode(sentence.slice(at + anchor.length)));
    }
    p.appendChild(b);
    return p;
  }

  function articleLine(article) {
    var line = el("div", { cls: "ng-group-head" }, [bdi(article.title, "ng-article-title")]);
    var sub = [];
    if (article.outlet) sub.push(article.outlet);
    if (article.date) sub.push(article.date);
    var meta2 = el("div", { cls: "ng-source" }, [bdi(sub.join(", "))]);
    var url = safeUrl(article.url);
    if (url) { meta2.appendChild(document.createTextNode(" \u00b7 ")); meta2.appendChild(externalLink(url, "open article")); }
    return [line, meta2];
  }

  // Evidence of several facts, grouped by article (newest first), only from active articles, paged.
  var PAGE = 8;
  function evidenceSection(sources, heading) {
    var byArticle = new Map();
    var total = 0, hiddenByFilter = 0;
    sources.forEach(function (s) {
      if (s.ev < 0) return;
      var ev = data.evidence[s.ev];
      ev.items.forEach(function (item) {
        total++;
        if (!articleActive(item[1])) { hiddenByFilter++; return; }
        if (!byArticle.has(item[1])) byArticle.set(item[1], []);
        byArticle.get(item[1]).push({ item: item, what: s.what });
      });
    });
    var order = Array.from(byArticle.keys()).sort(function (a, b) {
      var da = data.articles[a].date || "", db = data.articles[b].date || "";
      return da < db ? 1 : da > db ? -1 : a - b;
    });
    var box = el("section", { cls: "ng-evidence-box" });
    var shown = total - hiddenByFilter;
    box.appendChild(el("h3", { text: (heading || "Evidence") + " (" + shown + (hiddenByFilter ? " of " + total + ", the rest outside the filters" : "") +
      ") \u00b7 " + plural(order.length, "article") }));
    var list = el("div", { cls: "ng-evidence-pages" });
    var pager = el("div", { cls: "ng-pager" });
    var page = 0;
    var pages = Math.max(1, Math.ceil(order.length / PAGE));
    function render() {
      clear(list);
      order.slice(page * PAGE, page * PAGE + PAGE).forEach(function (ai) {
        var group = el("div", { cls: "ng-article-group" });
        articleLine(data.articles[ai]).forEach(function (x) { group.appendChild(x); });
        var ul = el("ul", { cls: "ng-evidence" });
        byArticle.get(ai).forEach(function (entry) {
          var item = entry.item;
          var sentence = item[0] >= 0 ? data.sentences[item[0]] : null;
          var li = el("li", { cls: "ng-evidence-item" });
          li.appendChild(sentence ? sentenceWithAnchor(sentence, item[2]) : el("p", { cls: "ng-sentence" }, [bdi(item[2] || "")]));
          var extra = [];
          if (entry.what) extra.push(entry.what);
          if (item[3] !== null) extra.push("confidence " + Number(item[3]).toFixed(2));
          if (item[4]) extra.push(item[4]);
          if (extra.length) li.appendChild(el("div", { cls: "ng-source" }, [bdi(extra.join(" \u00b7 "))]));
          ul.appendChild(li);
        });
        group.appendChild(ul);
        list.appendChild(group);
      });
      clear(pager);
      if (pages > 1) {
        var prev = el("button", { type: "button", text: "\u2039 newer", disabled: page === 0, cls: "ng-prev" });
        var next = el("button", { type: "button", text: "older \u203a", disabled: page >= pages - 1, cls: "ng-next" });
        prev.addEventListener("click", function () { page--; render(); });
        next.addEventListener("click", function () { page++; render(); });
        pager.appendChild(prev);
        pager.appendChild(el("span", { cls: "ng-page", text: "page " + (page + 1) + " of " + pages }));
        pager.appendChild(next);
      }
    }
    render();
    box.appendChild(pager);
    box.appendChild(list);
    return box;
  }

  function sourcesText(src, outletCount) {
    if (!src.length) return "none recorded";
    return plural(src.length, "article") + (outletCount ? ", " + plural(outletCount, "outlet") : "");
  }

  function dateRange(src) {
    var ds = src.map(function (i) { return day(data.articles[i]); }).filter(Boolean).sort();
    if (!ds.length) return "";
    return ds[0] === ds[ds.length - 1] ? ds[0] : ds[0] + " \u2013 " + ds[ds.length - 1];
  }

  function conflictSection(n) {
    var box = el("section", { cls: "ng-conflicts-box" });
    box.appendChild(el("div", { cls: "ng-h ng-disputed", text: "\u26a0 Sources disagree" }));
    n.conflicts.forEach(function (c) {
      box.appendChild(el("div", { cls: "ng-conflict-label" }, [bdi(c.label)]));
      var sides = new Map();
      c.claims.forEach(function (claim) {
        if (!sides.has(claim[0])) sides.set(claim[0], []);
        sides.get(claim[0]).push(claim);
      });
      sides.forEach(function (claims, side) {
        var div = el("div", { cls: "ng-side" });
        div.appendChild(el("h4", { text: "Side " + side + ": " }, [bdi(Array.from(new Set(claims.map(function (x) { return x[1]; }))).join(" / "))]));
        var ul = el("ul", { cls: "ng-evidence" });
        claims.forEach(function (claim) {
          var li = el("li", { cls: "ng-evidence-item" });
          var sentence = claim[3] >= 0 ? data.sentences[claim[3]] : null;
          if (sentence) li.appendChild(sentenceWithAnchor(sentence, claim[1]));
          var a = data.articles[claim[2]];
          if (a) li.appendChild(el("div", { cls: "ng-source" }, [bdi(a.title + (a.outlet ? " \u2014 " + a.outlet : "") + (a.date ? ", " + a.date : ""))]));
          ul.appendChild(li);
        });
        div.appendChild(ul);
        box.appendChild(div);
      });
    });
    return box;
  }

  function actions(ids) {
    var box = el("div", { cls: "ng-actions" });
    [["Expand", "ng-panel-expand", function () { expand(ids); }],
     ["Hide", "ng-panel-hide", function () { hide(ids); }],
     ["Pin", "ng-panel-pin", function () { pin(ids); }]].forEach(function (b) {
      var button = el("button", { type: "button", id: b[1], text: b[0] });
      button.addEventListener("click", b[2]);
      box.appendChild(button);
    });
    return box;
  }

  function showNode(n) {
    current = { kind: "node", item: n };
    clear(panelBody);
    panelBody.appendChild(el("h2", {}, [bdi(n.label)]));
    panelBody.appendChild(el("div", { cls: "ng-sub", text: n.cls + (n.cls.toLowerCase() === n.group.toLowerCase() ? "" : " \u00b7 " + n.group) +
      (ENTITY(n) && n.com >= 0 && data.communities[n.com] ? " \u00b7 community of " + data.communities[n.com].label : "") }));
    panelBody.appendChild(el("div", { cls: "ng-iri", text: n.id }));
    var dl = el("dl");
    if (n.wd && /^Q[1-9][0-9]*$/.test(n.wd)) fact(dl, "Wikidata", externalLink("https://www.wikidata.org/wiki/" + n.wd, n.wd));
    if (n.aliases.length) fact(dl, "Also called", n.aliases.join("; ") + (n.moreAliases ? " and " + n.moreAliases + " more" : ""));
    if (n.speakers.length) {
      var said = el("span", { cls: "ng-speakers" });
      n.speakers.forEach(function (s, i) {
        if (i) said.appendChild(document.createTextNode(", "));
        said.appendChild(nodeById.has(s[0]) ? nodeButton(s[0], s[1]) : bdi(s[1]));
      });
      fact(dl, "Speaker", said);
    }
    Object.keys(n.details).forEach(function (key) { fact(dl, key.charAt(0).toUpperCase() + key.slice(1), n.details[key]); });
    fact(dl, "Sources", sourcesText(n.src, n.outlets));
    var range = dateRange(n.src);
    if (range) fact(dl, "Dates", range);
    panelBody.appendChild(dl);
    if (n.group !== "Quote") panelBody.appendChild(actions([n.id]));
    if (n.conflicts.length) panelBody.appendChild(conflictSection(n));
    var facts = [{ ev: n.ev, what: null }];
    if (n.quotes.length) {
      panelBody.appendChild(el("h3", { text: "Quotes (" + n.quotes.length + ")" }));
      var qs = el("ul", { cls: "ng-links ng-quotes" });
      n.quotes.slice(0, 200).forEach(function (qid) {
        var q = nodeById.get(qid);
        var words = q.details.text || q.label;
        qs.appendChild(el("li", {}, [nodeButton(qid, "\u201c" + short(words, 140) + "\u201d")]));
      });
      if (n.quotes.length > 200) qs.appendChild(el("li", { text: "\u2026 and " + (n.quotes.length - 200) + " more" }));
      panelBody.appendChild(qs);
    }
    var conns = [];
    linksOf.get(n.id).forEach(function (l) { conns.push({ link: l, other: l.a === n.id ? l.b : l.a }); });
    edgesOf.get(n.id).forEach(function (e) {
      var other = e.from === n.id ? e.to : e.from;
      if (nodeById.get(other).group === "Quote" && ENTITY(n)) return;
      if (ENTITY(n) && ENTITY(nodeById.get(other))) return;  // in its link
      conns.push({ edge: e, other: other });
    });
    if (conns.length) {
      conns.sort(function (a, b) { return ((b.link ? b.link.w : b.edge.src.length) - (a.link ? a.link.w : a.edge.src.length)); });
      panelBody.appendChild(el("h3", { text: "Connections (" + conns.length + ")" }));
      var ul = el("ul", { cls: "ng-links" });
      conns.slice(0, 100).forEach(function (c) {
        var other = nodeById.get(c.other);
        var text = c.link ? linkSummary(c.link) + " \u2014 " + other.label
          : (c.edge.from === n.id ? "\u2192 " : "\u2190 ") + data.props[c.edge.p].label + " " + other.label;
        var button = el("button", { type: "button" }, [bdi(text)]);
        button.addEventListener("click", function () {
          if (c.link) selectLink(c.link); else selectEdge(c.edge.id);
        });
        ul.appendChild(el("li", {}, [button]));
      });
      if (conns.length > 100) ul.appendChild(el("li", { text: "\u2026 and " + (conns.length - 100) + " more" }));
      panelBody.appendChild(ul);
    }
    openPanel("node", n, facts);
  }

  function linkSummary(l) {
    var parts = [];
    var labels = {};
    l.edges.forEach(function (i) { labels[data.props[data.edges[i].p].label] = true; });
    if (Object.keys(labels).length) parts.push(Object.keys(labels).join(", "));
    if (l.events.length) parts.push(plural(l.events.length, "shared event"));
    if (l.quotes.length) parts.push(plural(l.quotes.length, "quote"));
    return parts.join(" \u00b7 ") + " (" + plural(l.src.length, "article") + ")";
  }

  function describeDrawn(d) {
    if (d.kind === "link") return nodeById.get(d.from).label + " \u2014 " + nodeById.get(d.to).label + "\n" + linkSummary(d.item);
    var e = d.item;
    return nodeById.get(e.from).label + " " + data.props[e.p].label + " " + nodeById.get(e.to).label;
  }

  function openPanel(kind, item, facts) {
    panelBody.appendChild(evidenceSection(facts));
    panel.hidden = false;
    panel.setAttribute("data-kind", kind);
    panel.setAttribute("data-id", item.id);
  }

  function reopenPanel() {
    var scroll = panel.scrollTop;
    if (current.kind === "node") showNode(current.item);
    else if (current.kind === "link") showLink(current.item);
    else if (current.kind === "edge") showEdge(current.item);
    panel.scrollTop = scroll;
  }

  function showEdge(e) {
    current = { kind: "edge", item: e };
    var p = data.props[e.p];
    var from = nodeById.get(e.from), to = nodeById.get(e.to);
    clear(panelBody);
    panelBody.appendChild(el("h2", {}, [bdi(from.label), " \u2192 " + p.label + " \u2192 ", bdi(to.label)]));
    panelBody.appendChild(el("div", { cls: "ng-sub", text: p.kindLabel }));
    panelBody.appendChild(el("div", { cls: "ng-iri", text: p.iri }));
    var dl = el("dl");
    fact(dl, "From", nodeButton(from.id, from.label + " (" + from.cls + ")"));
    fact(dl, "To", nodeButton(to.id, to.label + " (" + to.cls + ")"));
    fact(dl, "Sources", sourcesText(e.src, e.outlets));
    panelBody.appendChild(dl);
    openPanel("edge", e, [{ ev: e.ev, what: null }]);
  }

  function showLink(l) {
    current = { kind: "link", item: l };
    var a = nodeById.get(l.a), b = nodeById.get(l.b);
    clear(panelBody);
    panelBody.appendChild(el("h2", {}, [bdi(a.label), " \u2014 ", bdi(b.label)]));
    panelBody.appendChild(el("div", { cls: "ng-sub", text: linkSummary(l) }));
    var dl = el("dl");
    fact(dl, "Between", el("span", {}, [nodeButton(a.id, a.label), " and ", nodeButton(b.id, b.label)]));
    var range = dateRange(l.src);
    if (range) fact(dl, "Dates", range);
    panelBody.appendChild(dl);
    var facts = [];
    var ul = el("ul", { cls: "ng-links" });
    l.edges.forEach(function (i) {
      var e = data.edges[i];
      var what = nodeById.get(e.from).label + " " + data.props[e.p].label + " " + nodeById.get(e.to).label;
      facts.push({ ev: e.ev, what: what });
      var button = el("button", { type: "button" }, [bdi(what)]);
      button.addEventListener("click", function () { selectEdge(e.id); });
      ul.appendChild(el("li", {}, [button]));
    });
    l.events.concat(l.quotes).forEach(function (id) {
      var n = nodeById.get(id);
      var what = (n.group === "Quote" ? "quote " : "event ") + n.label;
      facts.push({ ev: n.ev, what: what });
      ul.appendChild(el("li", {}, [nodeButton(id, what)]));
    });
    panelBody.appendChild(el("h3", { text: "What joins them (" + (l.edges.length + l.events.length + l.quotes.length) + ")" }));
    panelBody.appendChild(ul);
    openPanel("link", l, facts);
  }

  function selectDrawnEdge(d) {
    state.selected.clear();
    if (d.kind === "link") selectLink(d.item); else selectEdge(d.item.id);
  }

  function selectLink(l) {
    state.selected = new Set();
    showLink(l);
    afterChange();
  }

  function selectEdge(id) {
    var e = edgeById.get(id);
    if (!e) return;
    state.selected = new Set();
    showEdge(e);
    afterChange();
  }

  function clickNode(id, multi) {
    if (multi) {
      if (state.selected.has(id)) state.selected.delete(id); else state.selected.add(id);
    } else {
      state.selected = new Set([id]);
    }
    showNode(nodeById.get(id));
    afterChange();
  }

  // Selecting a node from a search, a link or the panel: a quote shows its speaker; a node the
  // view does not draw is added to it (its filters stay as the reader set them).
  function select(id, options) {
    var n = nodeById.get(id);
    if (!n) return;
    var target = id;
    if (n.group === "Quote" && state.mode === "overview") {
      target = n.speakers.length && nodeById.has(n.speakers[0][0]) ? n.speakers[0][0] : null;
    }
    if (target && !state.visible.has(target)) {
      if (state.mode === "overview") state.shown.add(target);
      state.hidden.delete(target);
      if (!nodePasses(nodeById.get(target), narrowed())) state.forced.add(target);
      computeVisible();
      if (state.mode === "overview" && !pos.overview.has(target)) {
        var anchor = linksOf.get(target).map(function (l) { return l.a === target ? l.b : l.a; })
          .filter(function (o) { return state.visible.has(o); })[0];
        var base = anchor ? pos.overview.get(anchor) : { x: 0, y: 0 };
        pos.overview.set(target, { x: base.x + 40, y: base.y + 40 });
      }
    }
    state.selected = new Set(target ? [target] : []);
    showNode(n);
    afterChange();
    if (target) {
      // The camera moves to show the node with everything it is drawn linked to.
      var near = new Set([target]);
      state.drawnEdges.forEach(function (d) {
        if (d.from === target) near.add(d.to);
        if (d.to === target) near.add(d.from);
      });
      var to = fitCamera(near);
      if (to.s > 1.5) {
        var p = P(target);
        to = { s: 1.5, x: W / 2 - p.x * 1.5, y: H / 2 - p.y * 1.5 };
      }
      animateTo(new Map(), to, 300);
    }
    if (options && options.silent) return;
  }

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
      var n = r.node;
      var range = dateRange(n.src);
      var info = n.cls + " \u00b7 " + plural(n.src.length, "article") + (range ? " \u00b7 " + range : "") +
        (state.visible.has(n.id) ? "" : " \u00b7 not drawn");
      var button = el("button", { type: "button" }, [
        bdi(n.label),
        r.name !== n.label ? el("span", { cls: "ng-cls" }, [" (", bdi(r.name), ")"]) : null,
        el("span", { cls: "ng-cls ng-result-info", text: " \u00b7 " + info })
      ]);
      button.addEventListener("click", function () { select(n.id); });
      results.appendChild(el("li", { role: "option" }, [button]));
    });
    if (searchBox.value.trim() && found.length === 0) results.appendChild(el("li", { cls: "ng-cls", text: "no match" }));
    if (found.length > 30) results.appendChild(el("li", { cls: "ng-cls", text: "\u2026 " + (found.length - 30) + " more" }));
    return found;
  }

  var searchTimer = null;
  searchBox.addEventListener("input", function () { clearTimeout(searchTimer); searchTimer = setTimeout(showResults, 80); });
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var found = showResults();
      if (found.length) select(found[0].node.id);
      event.preventDefault();
    } else if (event.key === "Escape") {
      searchBox.value = "";
      clear(results);
    }
  });

  // ------------------------------------------------------------------ filters, legend and key

  var SHAPES = {
    dot: "circle", square: "rect", hexagon: "7,1 12,4 12,10 7,13 2,10 2,4", triangle: "7,1 13,13 1,13",
    triangleDown: "1,1 13,1 7,13", diamond: "7,0 14,7 7,14 0,7",
    star: "7,0 8.8,5 14,5 9.8,8.2 11.4,13.5 7,10.3 2.6,13.5 4.2,8.2 0,5 5.2,5"
  };

  function icon(shapeName, fill, stroke, dashed) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "-1 -1 16 16");
    svg.setAttribute("class", "ng-legend-icon");
    var shape = SHAPES[shapeName] || "circle";
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
    item.setAttribute("fill", fill);
    item.setAttribute("stroke", stroke);
    if (dashed) { item.setAttribute("stroke-dasharray", "3 2"); item.setAttribute("stroke-width", "2"); }
    svg.appendChild(item);
    return svg;
  }

  function checkbox(list, checked, onChange, children, title) {
    var input = el("input", { type: "checkbox", checked: checked });
    input.addEventListener("change", function () { remember(); onChange(input.checked); refresh(); });
    var label = el("label", {}, [input].concat(children));
    if (title) label.title = title;
    var li = el("li", {}, [label]);
    list.appendChild(li);
    return input;
  }

  var groupCounts = {};
  data.nodes.forEach(function (n) { groupCounts[n.group] = (groupCounts[n.group] || 0) + 1; });
  var groupInputs = data.groups.map(function (g) {
    var input = checkbox(byId("ng-legend"), true, function (on) {
      if (on) state.groups.add(g.name); else state.groups.delete(g.name);
    }, [icon(g.shape, g.name === "Event" || g.name === "Quote" ? g.color : "#d5d9de", "#5b6670"), el("span", { text: g.label }),
        el("span", { cls: "ng-count", text: String(groupCounts[g.name] || 0) })],
    g.name === "Quote" ? "In the overview, quotes are folded into their speaker" : null);
    input.setAttribute("data-group", g.name);
    return input;
  });

  var communityInputs = data.communities.map(function (c, i) {
    var input = checkbox(byId("ng-communities"), true, function (on) {
      if (on) state.communities.add(i); else state.communities.delete(i);
    }, [el("span", { cls: "ng-swatch", style: "background:" + c.color }), el("span", { cls: "ng-art" }, [bdi(c.label)]),
        el("span", { cls: "ng-count", text: String(c.size) })]);
    input.setAttribute("data-community", String(i));
    return input;
  });
  if (data.communities.length) {
    communityInputs.push(checkbox(byId("ng-communities"), true, function (on) {
      if (on) state.communities.add(-1); else state.communities.delete(-1);
    }, [el("span", { cls: "ng-swatch", style: "background:" + meta.uncoloured }), el("span", { text: "the rest" })]));
  }
  byId("ng-communities-box").hidden = data.communities.length === 0;
  // Styles set through the style attribute are refused by no CSP here (style-src 'unsafe-inline').

  (function key() {
    var ul = byId("ng-key");
    function item(sym, text) { ul.appendChild(el("li", {}, [sym, el("span", { text: text })])); }
    var line = function (w, dashed) {
      var s = el("span", { cls: "ng-legend-icon" });
      s.style.borderTop = w + "px " + (dashed ? "dashed" : "solid") + " #7F8C99";
      s.style.marginTop = "6px";
      return s;
    };
    item(icon("dot", "#d5d9de", "#5b6670"), "size: how many articles name it (and its PageRank)");
    item(icon("dot", "#4E79A7", "#333"), "colour: community (groups that link mostly to each other)");
    item(line(4, false), "width: how many articles support the link");
    item(line(2, true), "dashed line: role in an event, quote link or a query's derived link");
    item(icon("dot", "#fff", "#c0392b", true), "dashed red border: sources disagree about it");
    item(el("span", { cls: "ng-swatch", style: "background:#1d2329;width:6px;height:6px" }), "dot: pinned (drag a node to pin it)");
    item(el("span", { cls: "ng-legend-icon", text: "\u201c" }), "quotes are folded into their speaker (listed in the panel)");
  })();

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

  var outletInputs = outlets.map(function (o, i) { return { o: o, i: i }; })
    .sort(function (a, b) { return b.o.count - a.o.count || (a.o.name < b.o.name ? -1 : 1); })
    .map(function (x) {
      var input = checkbox(byId("ng-outlets"), true, function (on) {
        if (on) state.outlets.add(x.i); else state.outlets.delete(x.i);
      }, [el("span", { cls: "ng-art" }, [bdi(x.o.name)]), el("span", { cls: "ng-count", text: String(x.o.count) })]);
      input.setAttribute("data-outlet", x.o.name);
      input.ngIndex = x.i;
      return input;
    });
  byId("ng-outlets-box").hidden = outlets.length < 2;

  // The article list: searchable, sortable, with how many drawn facts each supports.
  var articleItems = data.articles.map(function (a, i) {
    var input = el("input", { type: "checkbox", checked: true });
    input.setAttribute("data-article", a.iri);
    input.addEventListener("change", function () {
      remember();
      if (input.checked) state.articles.add(i); else state.articles.delete(i);
      refresh();
    });
    var count = el("span", { cls: "ng-count", text: "" });
    var label = el("label", {}, [input, el("span", { cls: "ng-art" }, [bdi(a.title)]), count]);
    label.title = a.title + (a.outlet ? " \u2014 " + a.outlet : "") + (a.date ? ", " + a.date : "");
    return { li: el("li", {}, [label]), input: input, count: count, i: i, key: fold(a.title + " " + (a.outlet || "") + " " + (a.date || "")), facts: 0 };
  });
  var articleList = byId("ng-articles");
  var articleSearch = byId("ng-articles-search");
  var articleSort = byId("ng-articles-sort");

  function updateArticleCounts() {
    articleItems.forEach(function (it) { it.facts = 0; });
    state.visible.forEach(function (id) { nodeById.get(id).src.forEach(function (i) { articleItems[i].facts++; }); });
    articleItems.forEach(function (it) { it.count.textContent = String(it.facts); });
    if (articleSort.value === "facts") renderArticles();
  }

  function renderArticles() {
    var q = fold(articleSearch.value || "");
    var by = articleSort.value;
    var list = articleItems.filter(function (it) { return !q || it.key.indexOf(q) >= 0; });
    list.sort(function (x, y) {
      var a = data.articles[x.i], b = data.articles[y.i];
      if (by === "title") return a.title < b.title ? -1 : a.title > b.title ? 1 : 0;
      if (by === "outlet") return (a.outlet || "") < (b.outlet || "") ? -1 : (a.outlet || "") > (b.outlet || "") ? 1 : 0;
      if (by === "facts") return y.facts - x.facts;
      return (b.date || "") < (a.date || "") ? -1 : (b.date || "") > (a.date || "") ? 1 : 0;
    });
    clear(articleList);
    list.forEach(function (it) { articleList.appendChild(it.li); });
  }
  articleSearch.addEventListener("input", renderArticles);
  articleSort.addEventListener("change", renderArticles);
  byId("ng-articles-box").hidden = data.articles.length === 0;

  function setAllArticles(on) {
    remember();
    articleItems.forEach(function (it) { it.input.checked = on; if (on) state.articles.add(it.i); else state.articles.delete(it.i); });
    refresh();
  }
  byId("ng-articles-all").addEventListener("click", function () { setAllArticles(true); });
  byId("ng-articles-none").addEventListener("click", function () { setAllArticles(false); });

  var dateFrom = byId("ng-date-from");
  var dateTo = byId("ng-date-to");
  [dateFrom, dateTo].forEach(function (input) {
    input.min = minDate; input.max = maxDate;
    input.addEventListener("change", function () {
      remember();
      state.from = dateFrom.value || minDate;
      state.to = dateTo.value || maxDate;
      refresh();
      drawTimeline();
    });
  });

  var minSources = byId("ng-min-sources");
  var disputedBox = byId("ng-disputed");
  var disputedCount = data.nodes.filter(function (n) { return n.conflicts.length > 0; }).length;
  byId("ng-disputed-count").textContent = disputedCount.toLocaleString("en");
  disputedBox.disabled = disputedCount === 0;
  minSources.max = String(Math.max(1, data.articles.length));
  minSources.addEventListener("change", function () {
    remember();
    state.minSources = Math.max(1, Math.floor(Number(minSources.value)) || 1);
    refresh();
  });
  disputedBox.addEventListener("change", function () { remember(); state.disputed = disputedBox.checked; refresh(); });
  byId("ng-dates-box").hidden = dates.length === 0;

  // The controls show the state (after undo, a link or a reset).
  function syncControls() {
    groupInputs.forEach(function (input, i) { input.checked = state.groups.has(data.groups[i].name); });
    communityInputs.forEach(function (input, i) { input.checked = state.communities.has(i < data.communities.length ? i : -1); });
    propInputs.forEach(function (input, i) { input.checked = state.props.has(i); });
    outletInputs.forEach(function (input) { input.checked = state.outlets.has(input.ngIndex); });
    articleItems.forEach(function (it) { it.input.checked = state.articles.has(it.i); });
    minSources.value = String(state.minSources);
    disputedBox.checked = state.disputed;
    dateFrom.value = state.from;
    dateTo.value = state.to;
    updateToolbar();
    drawTimeline();
  }

  function resetFilters() {
    remember();
    state.groups = new Set(data.groups.map(function (g) { return g.name; }));
    state.communities = new Set(data.communities.map(function (_, i) { return i; }).concat([-1]));
    state.props = new Set(data.props.map(function (_, i) { return i; }));
    state.articles = new Set(data.articles.map(function (_, i) { return i; }));
    state.outlets = new Set(outlets.map(function (_, i) { return i; }));
    state.minSources = 1;
    state.disputed = false;
    state.from = minDate;
    state.to = maxDate;
    state.forced.clear();
    syncControls();
    refresh();
  }
  byId("ng-reset").addEventListener("click", resetFilters);

  // ------------------------------------------------------------------ the timeline

  var timeline = byId("ng-timeline");
  var SVGNS = "http://www.w3.org/2000/svg";
  function toDays(d) { return Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10) || 1) / 864e5; }
  function fromDays(n) { return new Date(n * 864e5).toISOString().slice(0, 10); }
  var eventDates = data.nodes.filter(function (n) { return n.group === "Event" && n.details.date && /^\d{4}-\d{2}/.test(n.details.date); });
  var brush = null;

  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    return node;
  }

  function drawTimeline() {
    clear(timeline);
    if (!dates.length) { byId("ng-timeline-box").hidden = true; return; }
    var width = Math.max(200, timeline.getBoundingClientRect().width || 600), height = 74;
    var d0 = toDays(minDate), d1 = toDays(maxDate) + 1;
    var evs = eventDates.map(function (n) { return toDays(n.details.date.slice(0, 10)); }).filter(function (d) { return d >= d0 - 400 && d <= d1 + 400; });
    evs.forEach(function (d) { if (d < d0) d0 = d; if (d + 1 > d1) d1 = d + 1; });
    var span = Math.max(1, d1 - d0);
    var bins = Math.min(120, Math.max(10, Math.ceil(span / 7)));
    var per = span / bins;
    var counts = new Array(bins).fill(0);
    var active = new Array(bins).fill(0);
    data.articles.forEach(function (a, i) {
      var d = day(a);
      if (!d) return;
      var b = Math.min(bins - 1, Math.floor((toDays(d) - d0) / per));
      counts[b]++;
      if (articleActive(i)) active[b]++;
    });
    var top = Math.max.apply(null, counts.concat([1]));
    var svg = svgEl("svg", { width: width, height: height, role: "img", "aria-label": "Articles and events over time" });
    var X = function (d) { return 4 + (d - d0) / span * (width - 8); };
    var bw = Math.max(1, (width - 8) / bins - 1);
    for (var b = 0; b < bins; b++) {
      var h = counts[b] / top * 44;
      svg.appendChild(svgEl("rect", { x: X(d0 + b * per), y: 58 - h, width: bw, height: h, fill: "#d5d9de" }));
      var h2 = active[b] / top * 44;
      svg.appendChild(svgEl("rect", { x: X(d0 + b * per), y: 58 - h2, width: bw, height: h2, fill: "#4E79A7", class: "ng-tl-bar" }));
    }
    evs.forEach(function (d) {
      svg.appendChild(svgEl("path", { d: "M" + X(d) + " 4 l3 3 l-3 3 l-3 -3 z", fill: "#EDC948", stroke: "#8a7320", "stroke-width": 0.5, class: "ng-tl-event" }));
    });
    [d0, d0 + span / 2, d1 - 1].forEach(function (d, i) {
      var t = svgEl("text", { x: X(d), y: 71, "font-size": 10, fill: "#5b6670", "text-anchor": ["start", "middle", "end"][i] });
      t.textContent = fromDays(d);
      svg.appendChild(t);
    });
    if (state.from > minDate || state.to < maxDate) {
      var a1 = X(toDays(state.from)), a2 = X(toDays(state.to) + 1);
      svg.appendChild(svgEl("rect", { x: a1, y: 0, width: Math.max(1, a2 - a1), height: 60, fill: "rgba(78,121,167,0.12)", stroke: "#4E79A7", class: "ng-tl-brush" }));
    }
    svg.addEventListener("pointerdown", function (event) {
      var r = svg.getBoundingClientRect();
      brush = { x: event.clientX - r.left, r: r, d0: d0, span: span, width: width };
      try { svg.setPointerCapture(event.pointerId); } catch (e) { /* synthetic */ }
    });
    svg.addEventListener("pointermove", function (event) {
      if (!brush) return;
      var x = event.clientX - brush.r.left;
      var shade = svg.querySelector(".ng-tl-live") || svg.appendChild(svgEl("rect", { class: "ng-tl-live", y: 0, height: 60, fill: "rgba(78,121,167,0.2)" }));
      shade.setAttribute("x", String(Math.min(x, brush.x)));
      shade.setAttribute("width", String(Math.abs(x - brush.x)));
    });
    svg.addEventListener("pointerup", function (event) {
      if (!brush) return;
      var x = event.clientX - brush.r.left, b0 = brush;
      brush = null;
      if (Math.abs(x - b0.x) < 3) return;
      var toDay = function (px) { return fromDays(Math.floor(b0.d0 + (px - 4) / (b0.width - 8) * b0.span)); };
      var lo = toDay(Math.min(x, b0.x)), hi = toDay(Math.max(x, b0.x));
      remember();
      state.from = lo < minDate ? minDate : lo;
      state.to = hi > maxDate ? maxDate : hi;
      if (state.to < state.from) state.to = state.from;
      dateFrom.value = state.from; dateTo.value = state.to;
      refresh();
      drawTimeline();
    });
    svg.addEventListener("dblclick", function () {
      remember();
      state.from = minDate; state.to = maxDate;
      dateFrom.value = minDate; dateTo.value = maxDate;
      refresh();
      drawTimeline();
    });
    timeline.appendChild(svg);
    byId("ng-timeline-text").textContent = "articles per " + (per >= 28 ? "month" : per >= 6 ? "week" : "day") +
      (evs.length ? ", \u25c6 " + plural(evs.length, "dated event") : "") + " \u00b7 drag to filter by date, double-click to clear" +
      (state.from > minDate || state.to < maxDate ? " \u00b7 showing " + state.from + " \u2013 " + state.to : "");
  }

  // ------------------------------------------------------------------ taking it away

  function download(name, type, text) {
    var blob = text instanceof Blob ? text : new Blob([text], { type: type });
    var a = el("a", { download: name });
    a.href = URL.createObjectURL(blob);
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function csvCell(v) {
    var s = v === null || v === undefined ? "" : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;  // a cell a spreadsheet would run as a formula
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function shownTables() {
    var nodes = Array.from(state.visible, function (id) { return nodeById.get(id); });
    var edges = state.drawnEdges.map(function (d) {
      return { id: d.item.id, from: d.from, to: d.to, weight: d.kind === "link" ? d.item.w : Math.max(1, d.item.src.length),
               label: d.kind === "link" ? linkSummary(d.item) : data.props[d.item.p].label };
    });
    return { nodes: nodes, edges: edges };
  }

  function toCsv() {
    var t = shownTables();
    var rows = [["row", "id", "label", "class", "articles", "community", "source", "target", "weight", "what"]];
    t.nodes.forEach(function (n) {
      rows.push(["node", n.id, n.label, n.cls, n.src.length, n.com >= 0 && data.communities[n.com] ? data.communities[n.com].label : "", "", "", "", ""]);
    });
    t.edges.forEach(function (e) { rows.push(["edge", e.id, "", "", "", "", e.from, e.to, e.weight, e.label]); });
    return rows.map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }

  function xml(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" }[c]; })
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "");
  }

  function toGexf() {
    var t = shownTables();
    var out = ['<?xml version="1.0" encoding="UTF-8"?>',
      '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">',
      '<meta><creator>newsgraph</creator><description>' + xml(meta.title) + '</description></meta>',
      '<graph defaultedgetype="undirected">',
      '<attributes class="node"><attribute id="class" title="class" type="string"/><attribute id="articles" title="articles" type="integer"/></attributes>',
      '<attributes class="edge"><attribute id="what" title="what" type="string"/></attributes>', "<nodes>"];
    t.nodes.forEach(function (n) {
      var p = P(n.id), c = nodeColour(n);
      out.push('<node id="' + xml(n.id) + '" label="' + xml(n.label) + '"><attvalues><attvalue for="class" value="' + xml(n.cls) +
        '"/><attvalue for="articles" value="' + n.src.length + '"/></attvalues><viz:position x="' + p.x.toFixed(1) + '" y="' + (-p.y).toFixed(1) +
        '" z="0"/><viz:size value="' + radius(n).toFixed(1) + '"/><viz:color r="' + parseInt(c.slice(1, 3), 16) + '" g="' + parseInt(c.slice(3, 5), 16) +
        '" b="' + parseInt(c.slice(5, 7), 16) + '"/></node>');
    });
    out.push("</nodes><edges>");
    t.edges.forEach(function (e, i) {
      out.push('<edge id="' + i + '" source="' + xml(e.from) + '" target="' + xml(e.to) + '" weight="' + e.weight +
        '"><attvalues><attvalue for="what" value="' + xml(e.label) + '"/></attvalues></edge>');
    });
    out.push("</edges></graph></gexf>");
    return out.join("\n") + "\n";
  }

  function toPng(done) {
    drawFull();
    canvas.toBlob(function (blob) { done(blob); }, "image/png");
  }

  // The view as a URL fragment: mode, drawn nodes, hidden, pinned, selection, filters, camera.
  function encodeView() {
    var idx = function (set) { return Array.from(set, function (id) { return indexOf.get(id); }).filter(function (i) { return i !== undefined; }); };
    var all = function (set, size) { return set.size === size ? null : Array.from(set); };
    var v = {
      m: state.mode, s: idx(state.shown), h: idx(state.hidden), p: idx(state.pinned), f: idx(state.forced), sel: idx(state.selected),
      g: all(state.groups, data.groups.length), c: all(state.communities, data.communities.length + 1),
      pr: all(state.props, data.props.length), a: all(state.articles, data.articles.length), o: all(state.outlets, outlets.length),
      d: [state.from, state.to], n: state.minSources, x: state.disputed ? 1 : 0,
      cam: [Math.round(cam.x), Math.round(cam.y), +cam.s.toFixed(4)]
    };
    // Where each node is: every drawn node of the overview (its layout was made here), pinned
    // nodes of the whole graph (the rest stand where the page put them).
    var positions = [];
    var placed = state.mode === "overview" && state.visible.size <= 1500 ? state.visible : state.pinned;
    placed.forEach(function (id) { var p = P(id); positions.push([indexOf.get(id), Math.round(p.x), Math.round(p.y)]); });
    v.pp = positions;
    return "#view=" + encodeURIComponent(JSON.stringify(v));
  }

  function decodeView(hash) {
    var m = /^#view=(.*)$/.exec(hash || "");
    if (!m) return false;
    var v;
    try { v = JSON.parse(decodeURIComponent(m[1])); } catch (e) { return false; }
    if (!v || typeof v !== "object") return false;
    var ids = function (list) {
      return new Set((Array.isArray(list) ? list : []).filter(function (i) { return Number.isInteger(i) && i >= 0 && i < data.nodes.length; })
        .map(function (i) { return data.nodes[i].id; }));
    };
    var set = function (list, fallback) { return Array.isArray(list) ? new Set(list) : fallback; };
    state.mode = v.m === "all" ? "all" : "overview";
    if (Array.isArray(v.s)) state.shown = ids(v.s);
    state.hidden = ids(v.h); state.pinned = ids(v.p); state.forced = ids(v.f); state.selected = ids(v.sel);
    state.groups = set(v.g, state.groups); state.communities = set(v.c, state.communities); state.props = set(v.pr, state.props);
    state.articles = set(v.a, state.articles); state.outlets = set(v.o, state.outlets);
    if (Array.isArray(v.d) && typeof v.d[0] === "string" && typeof v.d[1] === "string") { state.from = v.d[0] || minDate; state.to = v.d[1] || maxDate; }
    state.minSources = Math.max(1, Number(v.n) || 1);
    state.disputed = v.x === 1;
    (Array.isArray(v.pp) ? v.pp : []).forEach(function (t) {
      if (Array.isArray(t) && data.nodes[t[0]]) pos[state.mode].set(data.nodes[t[0]].id, { x: +t[1] || 0, y: +t[2] || 0 });
    });
    state.shown.forEach(function (id) {
      if (!pos.overview.has(id)) { var p = pos.all.get(id); pos.overview.set(id, { x: p.x, y: p.y }); }
    });
    if (Array.isArray(v.cam) && v.cam.length === 3 && v.cam.every(isFinite)) restoredCamera = { x: +v.cam[0], y: +v.cam[1], s: +v.cam[2] };
    return true;
  }
  var restoredCamera = null;

  byId("ng-png").addEventListener("click", function () { toPng(function (b) { download("newsgraph-view.png", "image/png", b); }); });
  byId("ng-csv").addEventListener("click", function () { download("newsgraph-view.csv", "text/csv", toCsv()); });
  byId("ng-gexf").addEventListener("click", function () { download("newsgraph-view.gexf", "application/xml", toGexf()); });
  byId("ng-link").addEventListener("click", function () {
    var hash = encodeView();
    try { window.history.replaceState(null, "", hash); } catch (e) { location.hash = hash; }
    var url = location.href.split("#")[0] + hash;
    byId("ng-link-out").textContent = "link in the address bar";
    byId("ng-link-out").title = url;
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(url).catch(function () { return null; });
  });

  byId("ng-mode-overview").addEventListener("click", function () { setMode("overview"); });
  byId("ng-mode-all").addEventListener("click", function () { setMode("all"); });
  byId("ng-expand").addEventListener("click", function () { expand(Array.from(state.selected)); });
  byId("ng-hide").addEventListener("click", function () { hide(Array.from(state.selected)); });
  byId("ng-pin").addEventListener("click", function () { pin(Array.from(state.selected)); });
  byId("ng-undo").addEventListener("click", undo);
  byId("ng-fit").addEventListener("click", function () { animateTo(new Map(), fitCamera(state.visible), 350); });

  // ------------------------------------------------------------------ the page's state, for people and tests

  function view() {
    var linked = new Set();
    state.drawnEdges.forEach(function (d) { linked.add(d.from); linked.add(d.to); });
    var isolated = 0, quotes = 0;
    state.visible.forEach(function (id) {
      if (!linked.has(id)) isolated++;
      if (nodeById.get(id).group === "Quote") quotes++;
    });
    return {
      nodes: state.visible.size, edges: state.drawnEdges.length,
      labelled: stats.labelled.filter(function (l) { return l.size >= 11; }).length,
      isolated: isolated, quotes: quotes, mode: state.mode
    };
  }

  var api = {
    ready: false, readyAt: null, data: data,
    view: view,
    drawnNodeIds: function () { return Array.from(state.visible); },
    drawnEdgeCount: function () { return state.drawnEdges.length; },
    drawnEdgeIds: function () { return state.drawnEdges.map(function (d) { return d.item.id; }); },
    labels: function () { return stats.labelled.map(function (l) { return { id: l.id, text: l.text, size: l.size }; }); },
    search: function (q) { return search(q).map(function (r) { return r.node.id; }); },
    select: function (id) { select(id); },
    selected: function () { return Array.from(state.selected); },
    selectEdge: function (id) { selectEdge(id); },
    selectLink: function (a, b) {
      var l = linksOf.get(a).filter(function (x) { return x.a === b || x.b === b; })[0];
      if (l) selectLink(l);
      return l ? l.id : null;
    },
    expand: function (ids) { return expand([].concat(ids)); },
    hide: function (ids) { hide([].concat(ids)); },
    pin: function (ids) { pin([].concat(ids)); },
    undo: undo,
    setMode: function (m) { setMode(m); },
    settled: function () { return !animating; },
    // Where a node is drawn, in CSS pixels of the page (for a real mouse click).
    toScreen: function (id) {
      var p = P(id), rect = canvas.getBoundingClientRect();
      return p ? { x: rect.left + p.x * cam.s + cam.x, y: rect.top + p.y * cam.s + cam.y } : null;
    },
    // Move the view as a drag or a wheel would (the benchmark drives these once per frame).
    panBy: function (dx, dy) { cam.x += dx; cam.y += dy; startMove(); schedule(); },
    zoomBy: function (f) { cam.x = W / 2 - (W / 2 - cam.x) * f; cam.y = H / 2 - (H / 2 - cam.y) * f; cam.s *= f; startMove(); schedule(); },
    // The node under a point of the page (CSS pixels), or null: background to drag the view by.
    nodeAt: function (x, y) { var r = canvas.getBoundingClientRect(); return nodeAt(x - r.left, y - r.top); },
    camera: function () { return { s: cam.s, x: cam.x, y: cam.y }; },
    stats: function () { return { frames: stats.frames, lastDrawMs: stats.lastDrawMs, fullDraws: stats.fullDraws }; },
    encodeView: encodeView,
    csv: toCsv,
    gexf: toGexf
  };
  window.newsgraph = api;
  window.newsgraphViewer = api;

  // ------------------------------------------------------------------ start

  var notes = byId("ng-notes");
  meta.notes.forEach(function (note) { notes.appendChild(el("span", {}, [bdi(note)])); notes.appendChild(el("br")); });

  var restored = decodeView(location.hash);
  if (!restored && meta.focus && nodeById.has(meta.focus)) state.selected = new Set([meta.focus]);
  // page.html#focus=NAME opens on NAME (a label, alias or the start of one) and its neighbours:
  // the page of a whole build serves every focus without writing a page per entity.
  var focusHash = /^#focus=(.+)$/.exec(location.hash || "");
  var focusTarget = null;
  if (!restored && focusHash) {
    var wanted = "";
    try { wanted = decodeURIComponent(focusHash[1]); } catch (e) { wanted = ""; }
    var hit = wanted ? search(wanted)[0] : null;
    if (hit) focusTarget = hit.node.id;
  }
  renderArticles();
  // The panel of the selection opens before the canvas is measured: a restored camera was
  // recorded with the panel beside it.
  if (state.selected.size === 1) showNode(nodeById.get(Array.from(state.selected)[0]));
  resize();
  syncControls();
  computeVisible();
  if (!restored && state.mode === "overview") {
    // Python's layout is a start; a short relaxation spreads the overview so that labels find room.
    relax(null, 200).forEach(function (p, id) { pos.overview.set(id, p); });
  }
  cam = restoredCamera || fitCamera(state.visible);
  var loading = byId("ng-loading");
  if (data.nodes.length === 0) {
    loading.textContent = "This graph has no entities, events or quotes to draw.";
  } else {
    loading.hidden = true;
  }
  updateStatus();
  updateToolbar();
  updateArticleCounts();
  if (focusTarget) {
    select(focusTarget);
    expand([focusTarget]);
    undoStack.length = 0;
    byId("ng-undo").disabled = true;
  }
  requestAnimationFrame(function () {
    frame();
    api.ready = true;
    api.readyAt = performance.now();
    document.documentElement.setAttribute("data-ready", "true");
  });
})();
