/* changzhi project layers: compact points decoded in the browser, clustered per
   category with supercluster, drawn for the current viewport only. Every text
   from the data is placed with textContent or escaped; nothing is parsed as HTML. */
window.CzProjects = window.CzProjects || (function () {
  "use strict";
  var SPIDER_MAX = 400;

  // base64 to bytes
  function bytesOf(b64) {
    var bin = atob(b64), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  // zigzag varints to numbers
  function varints(b64, n) {
    var bytes = bytesOf(b64), out = new Float64Array(n), pos = 0;
    for (var k = 0; k < n; k++) {
      var v = 0, mul = 1, b;
      do { b = bytes[pos++]; v += (b & 127) * mul; mul *= 128; } while (b & 128);
      out[k] = (v % 2) ? -(v + 1) / 2 : v / 2;
    }
    return out;
  }

  // running sum of deltas
  function cumsum(a, stride, offset) {
    var acc = 0;
    for (var k = offset; k < a.length; k += stride) { acc += a[k]; a[k] = acc; }
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return String(values[k]); });
  }

  function decode(p) {
    var n = p.n, xy = varints(p.xy, 2 * n), codes = varints(p.code, n);
    cumsum(xy, 2, 0);
    cumsum(xy, 2, 1);
    var ids;
    if (Array.isArray(p.ids)) {
      ids = p.ids;
    } else {
      var nums = varints(p.ids.num, n);
      cumsum(nums, 1, 0);
      ids = {prefix: p.ids.prefix, width: p.ids.width, nums: nums};
    }
    var features = new Array(n);
    for (var k = 0; k < n; k++) {
      features[k] = {type: "Feature", properties: {i: k},
        geometry: {type: "Point", coordinates: [xy[2 * k] / p.scale, xy[2 * k + 1] / p.scale]}};
    }
    // progress view: a lag status per point (index into p.status_table)
    var status = p.status ? varints(p.status, n) : null;
    return {features: features, codes: codes, ids: ids, status: status};
  }

  // colour and label of a point: its lag status when the layer has them, else its category
  function statusOf(p, data, k) {
    return data.status ? p.status_table[data.status[k]] : null;
  }

  // supercluster options: a cluster keeps the worst (highest rank) status of its points
  function clusterOptions(p, data, maxZoom) {
    var opts = {radius: 80, maxZoom: maxZoom, minPoints: 2};
    if (data.status) {
      opts.map = function (props) { return {w: p.status_table[data.status[props.i]][2]}; };
      opts.reduce = function (acc, props) { if (props.w > acc.w) acc.w = props.w; };
    }
    return opts;
  }

  function worstColor(p, w) {
    for (var j = 0; j < p.status_table.length; j++) {
      if (p.status_table[j][2] === w) return p.status_table[j][0];
    }
    return p.color;
  }

  function idOf(data, k) {
    var ids = data.ids;
    if (Array.isArray(ids)) return ids[k];
    var s = String(ids.nums[k]);
    while (s.length < ids.width) s = "0" + s;
    return ids.prefix + s;
  }

  // a cluster bubble drawn on the shared canvas: a circle with its count
  var Bubble = L.CircleMarker.extend({
    _updatePath: function () {
      L.CircleMarker.prototype._updatePath.call(this);
      var r = this._renderer, ctx = r && r._ctx;
      if (!ctx || !r._drawing || this._empty()) return;
      ctx.save();
      ctx.fillStyle = this.options.textColor;
      ctx.font = "bold 12px sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(this.options.label, this._point.x, this._point.y + 0.5);
      ctx.restore();
    }
  });

  // a project on the shared canvas, drawn in its category's shape (triangle,
  // square or circle); hovering and clicking hit the circle of the same radius
  var TRIANGLE_R = 1.3, SQUARE_R = 0.9;
  var Leaf = L.CircleMarker.extend({
    _updateBounds: function () {
      L.CircleMarker.prototype._updateBounds.call(this);
      // the triangle reaches past the radius: widen the area the canvas redraws
      var extra = this._radius * (TRIANGLE_R - 1), pad = L.point(extra, extra);
      this._pxBounds = L.bounds(this._pxBounds.min.subtract(pad), this._pxBounds.max.add(pad));
    },

    _updatePath: function () {
      var r = this._renderer, ctx = r && r._ctx, shape = this.options.shape;
      if (!ctx || shape !== "triangle" && shape !== "square") {
        L.CircleMarker.prototype._updatePath.call(this);
        return;
      }
      if (!r._drawing || this._empty()) return;
      var p = this._point, h;
      ctx.beginPath();
      if (shape === "square") {
        h = this._radius * SQUARE_R;
        ctx.rect(p.x - h, p.y - h, 2 * h, 2 * h);
      } else {
        // equilateral, centred on the point, apex up
        h = this._radius * TRIANGLE_R;
        ctx.moveTo(p.x, p.y - h);
        ctx.lineTo(p.x + h * 0.866, p.y + h / 2);
        ctx.lineTo(p.x - h * 0.866, p.y + h / 2);
        ctx.closePath();
      }
      r._fillStroke(ctx, this);
    }
  });

  // cluster bubbles of different categories that overlap on screen are set
  // side by side on a small ring around their common centre, in category order
  var BUBBLE_GAP = 2;

  function bubbleRadius(n) {
    return (n < 10 ? 24 : n < 100 ? 30 : n < 1000 ? 36 : 42) / 2;
  }

  function byRank(a, b) {
    return a.rank - b.rank || a.y - b.y || a.x - b.x;
  }

  // place every bubble of the layers on this map: at its cluster, or on a ring
  function arrange(map) {
    var layers = map._czLayers || [], items = [], j, k;
    for (j = 0; j < layers.length; j++) {
      var lay = layers[j], list = lay._bubbleList || [];
      for (k = 0; k < list.length; k++) {
        var pt = map.latLngToLayerPoint(list[k].czAnchor);
        items.push({m: list[k], rank: lay._p.rank, x: pt.x, y: pt.y, r: list[k].options.radius});
      }
      // an open spider keeps its cluster's place, so the others do not jump onto it
      if (lay._spider && lay._spider.anchor) {
        var sp = map.latLngToLayerPoint(lay._spider.anchor);
        items.push({m: null, rank: lay._p.rank, x: sp.x, y: sp.y, r: lay._spider.radius});
      }
    }
    items.sort(byRank);
    // greedy: a bubble joins the nearest overlapping group that lacks its
    // category, else starts one; groups never chain beyond one per category
    var cell = 2 * bubbleRadius(1e9) + BUBBLE_GAP, grid = new Map(), groups = [];
    for (j = 0; j < items.length; j++) {
      var it = items[j], cx = Math.floor(it.x / cell), cy = Math.floor(it.y / cell);
      var best = null, bestD = Infinity;
      for (var gx = cx - 1; gx <= cx + 1; gx++) {
        for (var gy = cy - 1; gy <= cy + 1; gy++) {
          var bucket = grid.get(gx * 1e6 + gy);
          if (!bucket) continue;
          for (k = 0; k < bucket.length; k++) {
            var g = bucket[k], seed = g[0];
            if (g[g.length - 1].rank === it.rank) continue;
            var dx = it.x - seed.x, dy = it.y - seed.y, d = dx * dx + dy * dy, reach = it.r + seed.r + BUBBLE_GAP;
            if (d < reach * reach && d < bestD) { best = g; bestD = d; }
          }
        }
      }
      if (best) {
        best.push(it);
      } else {
        var fresh = [it], key = cx * 1e6 + cy;
        groups.push(fresh);
        if (grid.has(key)) grid.get(key).push(fresh); else grid.set(key, [fresh]);
      }
    }
    for (j = 0; j < groups.length; j++) {
      var members = groups[j], count = members.length;
      if (count === 1) {
        place(map, members[0], null);
        continue;
      }
      // a ring around the common centre, first category on the left
      var mx = 0, my = 0, rmax = 0;
      for (k = 0; k < count; k++) {
        mx += members[k].x; my += members[k].y; rmax = Math.max(rmax, members[k].r);
      }
      mx /= count; my /= count;
      var ring = (rmax + BUBBLE_GAP / 2) / Math.sin(Math.PI / count);
      for (k = 0; k < count; k++) {
        var ang = Math.PI + 2 * Math.PI * k / count;
        place(map, members[k], L.point(mx + ring * Math.cos(ang), my + ring * Math.sin(ang)));
      }
    }
  }

  // move a bubble to a layer point, or back to its cluster when pt is null
  function place(map, item, pt) {
    var m = item.m;
    if (!m) return;
    var target = pt ? map.layerPointToLatLng(pt) : m.czAnchor, now = m.getLatLng();
    if (now.lat !== target.lat || now.lng !== target.lng) m.setLatLng(target);
  }

  var Layer = L.Layer.extend({
    initialize: function (payload) {
      this._p = payload;
      this._data = null;
      this._index = null;
      this._spider = null;
      this._drawn = 0;
    },

    onAdd: function (map) {
      var p = this._p;
      if (!map.getPane("czPoints")) {
        map.createPane("czPoints").style.zIndex = 450;
      }
      if (!this._data) {
        this._data = decode(p);
        var maxZoom = isFinite(map.getMaxZoom()) ? map.getMaxZoom() : 18;
        this._index = new Supercluster(clusterOptions(p, this._data, maxZoom));
        this._index.load(this._data.features);
      }
      // one canvas for all project layers, so hovering and clicking reach every layer
      map._czRenderer = map._czRenderer || L.canvas({pane: "czPoints", padding: 0.3});
      this._renderer = map._czRenderer;
      // leaves and spider legs pass clicks on to the feature group; bubbles do not
      this._bubbles = L.layerGroup().addTo(map);
      this._group = L.featureGroup().addTo(map);
      this._group.addEventParent(this);
      this._legs = L.featureGroup().addTo(map);
      this._legs.addEventParent(this);
      map._czLayers = map._czLayers || [];
      map._czLayers.push(this);
      map.on("moveend", this._update, this);
      map.on("zoomstart", this._unspiderfy, this);
      this._update();
    },

    onRemove: function (map) {
      map.off("moveend", this._update, this);
      map.off("zoomstart", this._unspiderfy, this);
      this._group.removeEventParent(this);
      this._legs.removeEventParent(this);
      map.removeLayer(this._bubbles);
      map.removeLayer(this._group);
      map.removeLayer(this._legs);
      this._spider = null;
      this._drawn = 0;
      this._bubbleList = [];
      var layers = map._czLayers || [], at = layers.indexOf(this);
      if (at >= 0) layers.splice(at, 1);
      // the other categories' bubbles go back to their clusters where they can
      arrange(map);
      this._report(map, false);
    },

    // publish what is drawn: window.czStats, data-cz-drawn, window.czFirstDrawMs
    _report: function (map, visible) {
      var el = map ? map.getContainer() : null;
      var stats = window.czStats = window.czStats || {};
      var first = stats[this._p.cat] && stats[this._p.cat].firstMs;
      if (first === undefined && this._drawn > 0) first = performance.now();
      stats[this._p.cat] = {points: this._p.n, drawn: this._drawn, visible: visible, firstMs: first,
        updateMs: this._updateMs};
      var total = 0;
      for (var c in stats) total += stats[c].visible ? stats[c].drawn : 0;
      document.documentElement.setAttribute("data-cz-drawn", String(total));
      if (el) el.setAttribute("data-cz-drawn", String(total));
      if (this._drawn > 0 && window.czFirstDrawMs === undefined) {
        window.czFirstDrawMs = performance.now();
      }
    },

    _update: function (e) {
      var map = this._map;
      if (!map) return;
      var started = performance.now();
      var z = Math.round(map.getZoom());
      if (this._spider && this._spider.zoom !== z) this._unspiderfy();
      var b = map.getBounds().pad(0.15);
      var west = Math.max(-180, b.getWest()), east = Math.min(180, b.getEast());
      var clusters = this._index.getClusters([west, Math.max(-85, b.getSouth()), east, Math.min(85, b.getNorth())], z);
      this._group.clearLayers();
      this._bubbles.clearLayers();
      var bubbles = this._bubbleList = [];
      var count = 0;
      for (var j = 0; j < clusters.length; j++) {
        var c = clusters[j], ll = [c.geometry.coordinates[1], c.geometry.coordinates[0]];
        if (c.properties.cluster) {
          if (this._spider && this._spider.id === c.properties.cluster_id) continue;
          bubbles.push(this._bubble(c, ll));
        } else {
          this._group.addLayer(this._leaf(c.properties.i, ll));
        }
        count += 1;
      }
      // offset bubbles that overlap another category's, then draw them; on a
      // move every layer redraws in turn (in the order added), the last arranges
      var layers = map._czLayers;
      if (!e || e.type !== "moveend" || layers[layers.length - 1] === this) arrange(map);
      for (j = 0; j < bubbles.length; j++) this._bubbles.addLayer(bubbles[j]);
      this._drawn = count;
      this._updateMs = performance.now() - started;
      this._report(map, true);
    },

    _bubble: function (c, ll) {
      var n = c.properties.point_count;
      var label = n < 10000 ? String(n) : Math.round(n / 1000) + "k";
      var colors = this._p.marker_colors;
      var fill = this._data.status ? worstColor(this._p, c.properties.w) : this._p.color;
      var m = new Bubble(ll, {renderer: this._renderer, radius: bubbleRadius(n), color: colors.outline, weight: 2,
        fillColor: fill, fillOpacity: 0.9, bubblingMouseEvents: false, label: label,
        textColor: colors.bubble_text});
      m.czCount = n;
      // where the cluster is; the bubble may be drawn beside it (see arrange)
      m.czAnchor = L.latLng(ll);
      m.on("click", function () { this._clusterClick(c, ll); }, this);
      return m;
    },

    _leaf: function (k, ll, spidered) {
      var p = this._p, code = p.codes[this._data.codes[k]];
      var exact = code[3], st = statusOf(p, this._data, k), color = st ? st[0] : p.color;
      var m = new Leaf(ll, {renderer: this._renderer, radius: spidered ? 7 : 6, shape: p.shape,
        color: exact ? p.marker_colors.outline : color, weight: exact ? 1.2 : 2.5,
        fillColor: color, fillOpacity: exact ? 0.9 : 0.25, bubblingMouseEvents: false});
      m.czIndex = k;
      m.bindTooltip(escapeHtml(this._title(k)), {direction: "top", offset: [0, -6]});
      m.on("click", function () { this._openPopup(m, k); }, this);
      return m;
    },

    _title: function (k) {
      var d = this._p.detail, st = statusOf(this._p, this._data, k), tail = st ? " · " + st[1] : "";
      if (d) {
        var zh = d.name_zh[k], en = d.name_en[k];
        return (this._p.lang === "en" && en ? en : (zh || en || idOf(this._data, k))) + tail;
      }
      return idOf(this._data, k) + " · " + this._p.codes[this._data.codes[k]][0] + tail;
    },

    _openPopup: function (m, k) {
      // a free popup survives the redraw that an auto-pan triggers; long texts
      // scroll inside it, so the auto-pan stays within the view (a pan beyond it
      // redraws the leaves at once and the click never reaches the app)
      var popup = L.popup({maxWidth: 360, minWidth: 220, maxHeight: 320, className: "cz-popup-wrap",
        autoPanPaddingTopLeft: [60, 20], autoPanPaddingBottomRight: [20, 20]})
        .setLatLng(m.getLatLng()).setContent(this._popupContent(k));
      // streamlit-folium reads the clicked layer's popup text (first line: the id)
      m._popup = popup;
      popup.openOn(this._map);
    },

    _popupContent: function (k) {
      var p = this._p, lab = p.labels, d = p.detail, code = p.codes[this._data.codes[k]];
      // a payload with names only leaves the other details to the app's side panel
      var full = d && d.company;
      var root = document.createElement("div");
      root.className = "cz-popup";
      function line(cls, text) {
        var div = document.createElement("div");
        div.className = cls;
        div.textContent = text;
        root.appendChild(div);
        return div;
      }
      line("cz-pid", idOf(this._data, k));
      var rows = [];
      if (d) {
        line("cz-title", d.name_zh[k] || d.name_en[k] || idOf(this._data, k));
        if (d.name_en[k]) line("cz-title-en", d.name_en[k]);
      }
      if (full) rows.push([lab.company, d.company[k]], [lab.county, d.county[k]]);
      rows.push([lab.category, p.label], [lab.subcategory, code[0]], [lab.stage, code[2]]);
      if (full) rows.push([lab.investment, d.invest[k]], [lab.capacity, d.capacity[k]]);
      rows.push([lab.precision, code[1]]);
      var st = statusOf(p, this._data, k);
      if (st) rows.push([lab.status, st[1]]);
      var table = document.createElement("table");
      for (var r = 0; r < rows.length; r++) {
        var tr = document.createElement("tr"), th = document.createElement("th"), td = document.createElement("td");
        th.textContent = rows[r][0];
        td.textContent = rows[r][1] || lab.not_stated;
        tr.appendChild(th);
        tr.appendChild(td);
        table.appendChild(tr);
      }
      root.appendChild(table);
      if (full && d.source[k]) {
        var q = line("cz-source", d.source[k]);
        q.title = lab.source;
      } else if (!full) {
        line("cz-note", lab.details_in_panel);
      }
      return root;
    },

    _clusterClick: function (c, ll) {
      var map = this._map, id = c.properties.cluster_id;
      var zoom = this._index.getClusterExpansionZoom(id);
      if (zoom <= this._index.options.maxZoom && zoom > map.getZoom()) {
        map.setView(ll, zoom);
      } else {
        this._spiderfy(c, ll);
      }
    },

    _spiderfy: function (c, ll) {
      this._unspiderfy();
      var map = this._map, id = c.properties.cluster_id, total = c.properties.point_count;
      var leaves = this._index.getLeaves(id, SPIDER_MAX, 0);
      var center = map.latLngToLayerPoint(ll), n = leaves.length;
      this._spider = {id: id, zoom: Math.round(map.getZoom()), anchor: L.latLng(ll),
        radius: bubbleRadius(total)};
      var angle = 0, radius = n <= 9 ? 30 : 12;
      for (var j = 0; j < n; j++) {
        var pt;
        if (n <= 9) {
          var a = 2 * Math.PI * j / n;
          pt = L.point(center.x + radius * Math.cos(a), center.y + radius * Math.sin(a));
        } else {
          // archimedean spiral, like leaflet.markercluster
          radius += 16 / Math.max(radius, 1) * 2.2 + 0.35;
          angle += 16 / radius + 0.0005 * j;
          pt = L.point(center.x + radius * Math.cos(angle), center.y + radius * Math.sin(angle));
        }
        var pos = map.layerPointToLatLng(pt);
        this._legs.addLayer(L.polyline([ll, pos], {renderer: this._renderer, color: this._p.marker_colors.spider_leg,
          weight: 1, opacity: 0.6, interactive: false}));
        this._legs.addLayer(this._leaf(leaves[j].properties.i, pos, true));
      }
      var hub = L.circleMarker(ll, {renderer: this._renderer, radius: 4, color: this._p.marker_colors.spider_hub, weight: 1,
        fillColor: this._p.color, fillOpacity: 1});
      var note = document.createElement("div");
      note.className = "cz-note";
      note.textContent = fmt(this._p.labels.spider_shown, {shown: n, total: total});
      hub.bindTooltip(note, {direction: "bottom"});
      this._legs.addLayer(hub);
      this._update();
    },

    _unspiderfy: function (e) {
      if (!this._spider) return;
      this._spider = null;
      this._legs.clearLayers();
      // as an event handler (zoomstart) the following moveend redraws
      if (this._map && !e) this._update();
    }
  });

  return {
    layer: function (payload) { return new Layer(payload); },
    escapeHtml: escapeHtml
  };
})();
