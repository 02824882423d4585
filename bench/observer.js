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
// - `events`: each change of a map's state {t, frame, doc, paths, markers, fills}:
//   visible polygons, site markers (cluster counts + single awesome-marker icons)
//   and the polygons' fill colours. `frame` numbers iframe elements, `doc`
//   their documents, so a remounted (replaced) iframe shows up as a new frame.
// Map checks run from a MutationObserver on the iframe's document, so times are
// those of the DOM change (the paint follows within a frame), not of a polling tick.
(() => {
  if (window !== window.top) return;
  const now = () => performance.timeOrigin + performance.now();
  const bench = (window.__bench = { events: [], clicks: [], title: null, firstPath: null, error: null });
  addEventListener("click", () => bench.clicks.push(now()), true);

  const hasBox = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const frames = new Map(); // iframe element -> {frame, doc, docNo, last}
  let frameCount = 0;

  const checkMap = (iframe, watch) => {
    const t = now();
    const doc = iframe.contentDocument;
    if (!doc || doc !== watch.doc) return;
    const paths = doc.querySelectorAll("path.leaflet-interactive");
    let shown = 0;
    if (iframe.isConnected && hasBox(iframe)) for (const p of paths) if (hasBox(p)) shown += 1;
    if (shown > 0 && bench.firstPath === null) bench.firstPath = t;
    // awesome-markers gives each marker's shadow the class too: count icons only.
    let markers = doc.querySelectorAll(".awesome-marker:not(.awesome-marker-shadow)").length;
    for (const c of doc.querySelectorAll(".marker-cluster")) markers += parseInt(c.textContent, 10) || 0;
    const fills = Array.from(paths, (p) => p.getAttribute("fill")).join(",");
    const key = `${shown}|${markers}|${fills}`;
    if (key !== watch.last) {
      watch.last = key;
      bench.events.push({ t, frame: watch.frame, doc: watch.docNo, paths: shown, markers, fills });
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
        watch = { frame: frameCount, doc: null, docNo: 0, last: "" };
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
