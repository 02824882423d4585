// Injected by `python -m bench` into every frame before any page script runs.
//
// Records, in the top window's `__bench` object (the map iframe is same-origin):
// - `clicks`: epoch ms of every click in the top document (capture phase);
// - `title`: when the first non-empty <h1> of the top document had a box;
// - `firstPath`: when a `path.leaflet-interactive` first had a box inside a
//   streamlit-folium iframe that itself had a size;
// - `events`: each change of a map frame's state {t, frame, paths, markers, fills}:
//   visible polygons, site markers (cluster counts + single awesome-markers)
//   and the polygons' fill colours. `frame` is random per document, so a
//   remounted (replaced) iframe shows up as a new frame id.
// A MutationObserver runs the check after every DOM change, so times are those
// of the DOM change (the paint follows within a frame), not of a polling tick.
(() => {
  let top;
  try {
    top = window.top;
    void top.document;
  } catch (error) {
    return; // cross-origin frame: nothing of ours
  }
  const now = () => performance.timeOrigin + performance.now();
  const bench = top.__bench || (top.__bench = { events: [], clicks: [], title: null, firstPath: null });
  const isTop = window === top;
  const isMap = location.pathname.includes("streamlit_folium");
  if (!isTop && !isMap) return;
  if (isTop) addEventListener("click", () => bench.clicks.push(now()), true);

  const frame = isTop ? "top" : Math.random().toString(36).slice(2, 10);
  const hasBox = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  let last = "";
  const check = () => {
    const t = now();
    if (isTop) {
      if (bench.title === null) {
        const h1 = document.querySelector("h1");
        if (h1 && h1.textContent.trim() && hasBox(h1)) bench.title = t;
      }
      return;
    }
    const frameShown = window.innerWidth > 0 && window.innerHeight > 0;
    const paths = document.querySelectorAll("path.leaflet-interactive");
    let shown = 0;
    if (frameShown) for (const p of paths) if (hasBox(p)) shown += 1;
    if (shown > 0 && bench.firstPath === null) bench.firstPath = t;
    let markers = document.querySelectorAll(".awesome-marker").length;
    for (const c of document.querySelectorAll(".marker-cluster")) markers += parseInt(c.textContent, 10) || 0;
    const fills = Array.from(paths, (p) => p.getAttribute("fill")).join(",");
    const key = `${shown}|${markers}|${fills}`;
    if (key !== last) {
      last = key;
      bench.events.push({ t, frame, paths: shown, markers, fills });
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    characterData: true,
  });
  addEventListener("resize", check);
})();
