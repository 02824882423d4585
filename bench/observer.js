// Injected by `python -m bench` into every page before any page script runs.
//
// Runs in the top document only. Playwright's init scripts do not run again in
// streamlit-folium's iframe: Chromium reuses the iframe's initial about:blank
// window when it navigates to the (same-origin) component page. So the top
// document finds the map iframes itself and observes their documents.
//
// Records in `window.__bench`:
// - `clicks`: epoch ms of every click in the top document (capture phase);
// - `title`: when the first non-empty <h1> had a box;
// - `error`: the text of the first Streamlit exception box, so a broken page fails fast;
// - `firstPath`: when a `path.leaflet-interactive` first had a box inside a
//   streamlit-folium iframe that itself had a size;
// - `firstArea`: when Leaflet first held shapes of a canvas area layer
//   (geo/arealayer.py: each shape carries `options.atlasLevel`) and had drawn
//   them, in a canvas of the overlay pane with a box, in an iframe with a size;
// - `events`: each change of a map's state {t, tDom, frame, doc, map, paths, markers,
//   fills, areas, areaShapes}: visible polygons, site markers (cluster counts +
//   single awesome-marker icons), the polygons' fill colours, and what Leaflet
//   holds on canvas area layers (per level: shapes and a hash of their fills).
//   `frame` numbers iframe elements, `doc` their documents and `map` the L.Map
//   instances (streamlit-folium keeps the mounted one as `window.map`), so a
//   remounted map shows up as a new frame, document or map.
// Map checks run from a MutationObserver on the iframe's document, so times are
// those of the DOM change (the paint follows within a frame), not of a polling
// tick. Canvas shapes are drawn by Leaflet in the animation frame after they
// were added, so a state with canvas areas is stamped in an animation frame of
// the iframe requested after Leaflet's: once they are drawn (`tDom` keeps the
// time of the DOM change).
(() => {
  if (window !== window.top) return;
  const now = () => performance.timeOrigin + performance.now();
  const bench = (window.__bench = {
    events: [],
    clicks: [],
    title: null,
    firstPath: null,
    firstArea: null,
    error: null,
  });
  addEventListener("click", () => bench.clicks.push(now()), true);

  const hasBox = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const frames = new Map(); // iframe element -> {frame, doc, docNo, last, queue}
  let frameCount = 0;
  let mapCount = 0;

  // What Leaflet holds on canvas area layers: "level:shapes#fillhash;…", and the number of shapes.
  const canvasAreas = (win) => {
    const L = win.L;
    const map = win.map;
    if (!L || !(map instanceof L.Map)) return { map: 0, areas: "", shapes: 0 };
    if (!map.__benchId) map.__benchId = ++mapCount;
    const levels = {};
    map.eachLayer((layer) => {
      const level = layer.options && layer.options.atlasLevel;
      if (!level || !layer.feature) return;
      const entry = levels[level] || (levels[level] = { shapes: 0, hash: 7 });
      entry.shapes += 1;
      const fill = layer.options.fill ? String(layer.options.fillColor) : "-";
      for (let i = 0; i < fill.length; i += 1) entry.hash = (entry.hash * 31 + fill.charCodeAt(i)) | 0;
    });
    const names = Object.keys(levels).sort();
    return {
      map: map.__benchId,
      areas: names.map((n) => `${n}:${levels[n].shapes}#${(levels[n].hash >>> 0).toString(36)}`).join(";"),
      shapes: names.reduce((sum, n) => sum + levels[n].shapes, 0),
    };
  };

  // Events of a document with canvas areas wait for the iframe's next animation frame
  // (after Leaflet's redraw); later events of that document queue behind them, in order.
  const record = (iframe, watch, event, deferred) => {
    if (!deferred && watch.queue.length === 0) {
      bench.events.push(event);
      return;
    }
    watch.queue.push(event);
    if (watch.queue.length > 1) return;
    iframe.contentWindow.requestAnimationFrame(() => {
      const t = now();
      for (const queued of watch.queue.splice(0)) {
        queued.t = t;
        if (queued.areaShapes > 0 && bench.firstArea === null) bench.firstArea = t;
        bench.events.push(queued);
      }
    });
  };

  const checkMap = (iframe, watch) => {
    const t = now();
    const doc = iframe.contentDocument;
    if (!doc || doc !== watch.doc) return;
    const framed = iframe.isConnected && hasBox(iframe);
    const paths = doc.querySelectorAll("path.leaflet-interactive");
    let shown = 0;
    if (framed) for (const p of paths) if (hasBox(p)) shown += 1;
    if (shown > 0 && bench.firstPath === null) bench.firstPath = t;
    // awesome-markers gives each marker's shadow the class too: count icons only.
    let markers = doc.querySelectorAll(".awesome-marker:not(.awesome-marker-shadow)").length;
    for (const c of doc.querySelectorAll(".marker-cluster")) markers += parseInt(c.textContent, 10) || 0;
    const fills = Array.from(paths, (p) => p.getAttribute("fill")).join(",");
    const canvas = canvasAreas(iframe.contentWindow);
    const painted = framed && Array.from(doc.querySelectorAll(".leaflet-overlay-pane canvas")).some(hasBox);
    // Shapes held before the canvas or the iframe has a size are checked again each frame until they have one.
    watch.unpainted = canvas.shapes > 0 && !painted;
    const key = `${shown}|${markers}|${fills}|${canvas.map}|${canvas.areas}|${painted}`;
    if (key !== watch.last) {
      watch.last = key;
      const event = {
        t,
        tDom: t,
        frame: watch.frame,
        doc: watch.docNo,
        map: canvas.map,
        paths: shown,
        markers,
        fills,
        areas: canvas.areas,
        areaShapes: painted ? canvas.shapes : 0,
      };
      record(iframe, watch, event, canvas.shapes > 0);
    }
  };

  const scan = () => {
    if (bench.error === null) {
      const box = document.querySelector("[data-testid=stException]");
      if (box) bench.error = (box.innerText || box.textContent).slice(0, 800);
    }
    if (bench.title === null) {
      const h1 = document.querySelector("h1");
      if (h1 && h1.textContent.trim() && hasBox(h1)) bench.title = now();
    }
    for (const iframe of document.querySelectorAll("iframe[title='streamlit_folium.st_folium']")) {
      let watch = frames.get(iframe);
      if (!watch) {
        frameCount += 1;
        watch = { frame: frameCount, doc: null, docNo: 0, last: "", queue: [], unpainted: false };
        frames.set(iframe, watch);
      }
      const doc = iframe.contentDocument;
      if (doc && doc !== watch.doc) {
        watch.doc = doc;
        watch.docNo += 1;
        watch.last = "";
        const observer = new MutationObserver(() => checkMap(iframe, watch));
        observer.observe(doc, { subtree: true, childList: true, attributes: true, characterData: true });
        checkMap(iframe, watch);
      } else if (watch.unpainted) {
        checkMap(iframe, watch);
      }
    }
  };
  const loop = () => {
    scan();
    requestAnimationFrame(loop);
  };
  new MutationObserver(scan).observe(document, { subtree: true, childList: true });
  requestAnimationFrame(loop);
})();
