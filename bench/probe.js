/* bench probe, installed in every frame before any page script (bench_app_browser).

   Top frame: window.__bench.state() judges the map the same way for every app:
   the last streamlit-folium component frame's Leaflet map has "drawn points"
   when its marker pane holds image markers or markercluster icons, or a canvas
   in the map has non-transparent pixels (read from a copy at a quarter of its
   width and height); sig is a fingerprint of that drawing. The pixels are read
   again only after something was drawn on a canvas of the frame (every frame
   counts the calls that draw on a 2D canvas) or a canvas changed size: reading
   pixels makes the browser finish its drawing first, and doing that on every
   animation frame would slow down the very map being timed. waitDrawn(before)
   resolves with the time (performance.now() of the top page, i.e. ms since
   navigation start) at which a drawing that has points, differs from `before`
   and stays the same for STABLE_MS was painted: markers in the DOM are dated by
   the first animation frame that sees them (that frame paints them); a drawing
   on a canvas by its last draw call before the frame that sees it (seenAt).
   Both are painted in the same frame: a canvas drawn in the animation frame
   callbacks after the probe's own is painted in that frame, yet the probe sees
   it only one frame later. pointerdown times are kept (clickAt) so a filter
   change is timed from the click.

   Component frames (only with __BENCH_HOOKS__): times when Leaflet, the map,
   GeoJSON layers, our project layers (CzProjects) and supercluster's index ran,
   as epoch ms, wrapped from outside without changing the page's scripts. */
(function () {
  "use strict";
  var HOOKS = __BENCH_HOOKS__;
  var STABLE_MS = 100;

  function stamp(marks, key) {
    (marks[key] = marks[key] || []).push(performance.timeOrigin + performance.now());
  }

  // call hook(value) when a page script assigns window[name]
  function trap(name, hook) {
    var value;
    Object.defineProperty(window, name, {
      configurable: true, enumerable: true,
      get: function () { return value; },
      set: function (v) { value = v; try { hook(v); } catch (e) { /* keep the page working */ } }
    });
  }

  if (window.top !== window) {
    // every app: count the calls that draw on a 2D canvas (the top frame reads pixels
    // only after new ones)
    // and when the last one ran (epoch ms), to date a canvas drawing
    var draws = 0, lastDraw = null;
    var P = window.CanvasRenderingContext2D && CanvasRenderingContext2D.prototype;
    window.__benchDraws = function () { return draws; };
    window.__benchLastDraw = function () { return lastDraw; };
    ["fill", "stroke", "fillRect", "strokeRect", "clearRect", "drawImage", "putImageData",
     "fillText", "strokeText", "reset"].forEach(function (name) {
      var f = P && P[name];
      if (typeof f !== "function") return;
      P[name] = function () {
        draws++;
        lastDraw = performance.timeOrigin + performance.now();
        return f.apply(this, arguments);
      };
    });
    if (!HOOKS) return;
    var marks = window.__benchMarks = {};
    stamp(marks, "frame");
    trap("L", function (L) {
      if (marks.leaflet) return;
      stamp(marks, "leaflet");
      L.Map.addInitHook(function () { stamp(marks, "map"); });
      L.GeoJSON.addInitHook(function () { stamp(marks, "geojson"); });
    });
    trap("Supercluster", function (S) {
      var load = S.prototype.load;
      S.prototype.load = function (points) {
        stamp(marks, "index_start");
        var out = load.call(this, points);
        stamp(marks, "index_end");
        return out;
      };
    });
    trap("CzProjects", function (C) {
      var make = C.layer;
      C.layer = function (payload) {
        var layer = make(payload), onAdd = layer.onAdd;
        layer.onAdd = function (map) {
          stamp(marks, "points_start");
          var out = onAdd.call(this, map);
          stamp(marks, "points_end");
          return out;
        };
        return layer;
      };
    });
    return;
  }

  var B = window.__bench = {clickAt: null, ws: [], seen: {}, lastIn: 0};
  // canvases are read at 1/SHRINK of their size (a project is drawn 12 px wide)
  var SHRINK = 4, small = document.createElement("canvas");
  var smallCtx = small.getContext("2d", {willReadFrequently: true});
  addEventListener("pointerdown", function () { B.clickAt = performance.now(); }, true);

  function hash(h, s) {
    for (var i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
    return h;
  }

  function see(key) { if (!(key in B.seen)) B.seen[key] = performance.now(); }

  B.frame = function () {
    var frames = document.querySelectorAll('iframe[title$=".st_folium"]');
    return frames.length ? frames[frames.length - 1] : null;
  };

  B.state = function () {
    var f = B.frame(), doc = null;
    if (f) { see("iframe"); try { doc = f.contentDocument; } catch (e) { doc = null; } }
    var box = doc && doc.querySelector(".leaflet-container");
    if (!box) return {points: 0, icons: 0, pixels: 0, sig: ""};
    see("leaflet_container");
    if (box.querySelector(".leaflet-overlay-pane path")) see("vector_paths");
    var icons = box.querySelectorAll(
      ".leaflet-marker-pane img.leaflet-marker-icon, .leaflet-marker-pane .marker-cluster");
    var h = 0;
    for (var i = 0; i < icons.length; i++) {
      h = hash(h, icons[i].style.transform + "|" + icons[i].textContent);
    }
    var read = readPixels(f, box.querySelectorAll("canvas"));
    var pixels = read.pixels;
    h = (h * 31 + read.h) | 0;
    if (icons.length + pixels > 0) see("points");
    return {points: icons.length + pixels, icons: icons.length, pixels: pixels,
      sig: icons.length + ":" + pixels + ":" + h,
      drawnAt: pixels > 0 && !icons.length ? read.drawnAt : null};
  };

  // non-transparent pixels of the map's canvases and their fingerprint, read again
  // only once the frame has drawn on a canvas or a canvas has changed size
  var lastRead = {frame: null, key: null, pixels: 0, h: 0};
  function readPixels(f, canvases) {
    var fw = f.contentWindow, key = (fw && fw.__benchDraws ? fw.__benchDraws() : "?") + "|";
    var last = fw && fw.__benchLastDraw ? fw.__benchLastDraw() : null;
    for (var c = 0; c < canvases.length; c++) key += canvases[c].width + "x" + canvases[c].height + ",";
    if (f === lastRead.frame && key === lastRead.key) return lastRead;
    var pixels = 0, h = 0;
    for (c = 0; c < canvases.length; c++) {
      var cv = canvases[c], w = Math.ceil(cv.width / SHRINK), ht = Math.ceil(cv.height / SHRINK);
      if (!w || !ht) continue;
      if (small.width !== w || small.height !== ht) { small.width = w; small.height = ht; }
      else smallCtx.clearRect(0, 0, w, ht);
      smallCtx.imageSmoothingEnabled = false;
      smallCtx.drawImage(cv, 0, 0, w, ht);
      var data = smallCtx.getImageData(0, 0, w, ht).data;
      for (var k = 3; k < data.length; k += 4) {
        if (data[k]) { pixels++; h = (h * 31 + k + data[k - 3]) | 0; }
      }
    }
    lastRead = {frame: f, key: key, pixels: pixels, h: h,
      drawnAt: last === null ? null : last - performance.timeOrigin};
    return lastRead;
  }

  B.waitDrawn = function (before, timeoutMs) {
    return new Promise(function (resolve) {
      var start = performance.now(), sig = null, since = null, seen = null;
      function tick() {
        var s = B.state(), now = performance.now();
        if (s.points > 0 && s.sig !== before) {
          if (s.sig !== sig) {
            sig = s.sig; seen = now;
            since = s.drawnAt === null ? now : Math.min(now, s.drawnAt);
          } else if (now - seen >= STABLE_MS) {
            resolve({at: since, seenAt: seen, points: s.points, icons: s.icons,
              pixels: s.pixels, sig: s.sig});
            return;
          }
        } else {
          sig = null;
        }
        if (now - start > timeoutMs) { resolve(null); return; }
        requestAnimationFrame(tick);
      }
      requestAnimationFrame(tick);
    });
  };

  // the Leaflet map inside the component frame
  B.map = function () {
    var f = B.frame(), w = f && f.contentWindow;
    if (!w || !w.L) return null;
    var names = Object.keys(w);
    for (var i = 0; i < names.length; i++) {
      var v = w[names[i]];
      if (v instanceof w.L.Map) return v;
    }
    return null;
  };

  // one pan or zoom step without animation; resolves with ms until redrawn
  B.move = function (step, timeoutMs) {
    var map = B.map();
    if (!map) return Promise.resolve(null);
    var before = B.state().sig, t0 = performance.now();
    if (step === "pan") map.panBy([300, 200], {animate: false});
    else map.setZoom(map.getZoom() + Number(step), {animate: false});
    return B.waitDrawn(before, timeoutMs).then(function (r) { return r && r.at - t0; });
  };

  // resolves once no websocket message has come for quietMs (the app is idle)
  B.quiet = function (quietMs, timeoutMs) {
    return new Promise(function (resolve) {
      var start = performance.now();
      (function check() {
        var now = performance.now();
        if (now - B.lastIn >= quietMs || now - start > timeoutMs) { resolve(now - start); return; }
        setTimeout(check, 50);
      })();
    });
  };

  // websocket frames: the time of the last one received (every app); with hooks also
  // direction, time and bytes of each (the bench decodes them from Playwright)
  var Native = window.WebSocket;
  var Wrapped = function (url, protocols) {
    var ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    ws.addEventListener("message", function (e) {
      B.lastIn = performance.now();
      if (!HOOKS) return;
      var d = e.data, n = d.byteLength !== undefined ? d.byteLength : (d.size || d.length);
      B.ws.push(["in", performance.now(), n]);
    });
    if (!HOOKS) return ws;
    ws.addEventListener("open", function () { B.ws.push(["open", performance.now(), 0]); });
    var send = ws.send;
    ws.send = function (d) {
      B.ws.push(["out", performance.now(), d.byteLength !== undefined ? d.byteLength : d.length]);
      return send.call(ws, d);
    };
    return ws;
  };
  Wrapped.prototype = Native.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (k) { Wrapped[k] = Native[k]; });
  window.WebSocket = Wrapped;
})();
