"""Drawing a brief's map (:class:`geo.brief.content.MapDrawing`) on a matplotlib figure.

The 16 boroughs in their fills, faded outside a filter, outlined when
highlighted or selected (at a neighbourhood level, the AGEBs or colonias in
their fills, as one collection, and the boroughs as borders over them); the walking-reach areas over them (the nearest
distance solid, the others dashed, as on the web map); the sites as markers by
status; each borough's name placed clear of the markers and of the other
names; a north arrow and a scale bar. The map is north-up in longitude and
latitude, drawn with the latitude's aspect so a kilometre has the same length
both ways.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable

import shapely
from matplotlib import patheffects
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrow, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from shapely.ops import polylabel

from geo.brief.content import MapDrawing
from geo.brief.text import text_width_in
from geo.i18n import t

#: awesome-markers' colours of the web map's status markers, and a shape and size per status.
STATUS_MARKERS = {
    "open": ("#0067a3", "*", 150),
    "under_construction": ("#f69730", "^", 70),
    "announced": ("#575757", "D", 45),
}
INK = "#1a1a1a"
OUTLINE = "#ffffff"
SELECTED_OUTLINE = "#111111"
REACH_EDGE = "#222222"
#: The web map's borough borders over a neighbourhood level (geo.mapview.BOROUGH_BORDER_STYLE)...
BORDER, BORDER_WIDTH = "#333333", 1.0
#: ...and the thin white edge between its areas.
AREA_EDGE, AREA_EDGE_WIDTH = "#ffffff", 0.12
FADED_ALPHA = 0.3
SCALE_KM = 5
#: Borough names keep this far (degrees, about 800 m) from site markers where they can.
MARKER_CLEARANCE_DEG = 0.008
#: ...where that leaves this much room around the name, else it goes to the middle of the borough.
LABEL_ROOM_DEG = 0.006
LABEL_PT, SMALL_LABEL_PT = 6.6, 5.8
SMALL_BOROUGH_DEG2 = 0.0035  # about 40 km²: Azcapotzalco, Iztacalco, Benito Juárez, Cuauhtémoc…


def polygon_path(geometry) -> MplPath:  # geometry: a shapely (Multi)Polygon
    """One matplotlib path for a (multi)polygon, holes included."""
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        for ring in (polygon.exterior, *polygon.interiors):
            coords = list(ring.coords)
            vertices += coords
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(coords) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(vertices, codes)


def _label_point(geometry, avoid):  # shapely geometries in, a shapely Point out
    """Where a borough's name goes: the pole of inaccessibility of its largest part clear of markers.

    If the part clear of markers has no room for a name (small boroughs full
    of sites), the name goes to the middle of the borough, over the markers.
    """
    whole = max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
    if avoid is not None:
        clear = geometry.difference(avoid)
        if not clear.is_empty:
            part = max(getattr(clear, "geoms", [clear]), key=lambda piece: piece.area)
            point = polylabel(part, tolerance=0.0005)
            if part.exterior.distance(point) >= LABEL_ROOM_DEG:
                return point
    return polylabel(whole, tolerance=0.0005)


def _place_labels(
    drawing: MapDrawing, per_inch: tuple[float, float]
) -> list[tuple[float, float, str, float]]:
    """(x, y, text, size) of each borough's name, kept off the markers and off each other.

    Small boroughs are placed first, each at the first candidate point whose
    text box overlaps no name placed before: clear of markers, the middle of
    the borough, then points around that middle inside the borough.
    """
    # In degrees on purpose: the clearance is about the drawing, not about distances on the ground.
    points = shapely.points(drawing.sites.geometry.x, drawing.sites.geometry.y)
    markers = shapely.union_all(shapely.buffer(points, MARKER_CLEARANCE_DEG)) if len(points) else None
    boroughs = drawing.boroughs
    placed: list[shapely.Geometry] = []
    labels = []
    named = [
        (code, geometry)
        for code, geometry in zip(boroughs["cvegeo"], boroughs.geometry, strict=True)
        if drawing.labelled is None or code in drawing.labelled
    ]
    for code, geometry in sorted(named, key=lambda c: c[1].area):
        size = SMALL_LABEL_PT if geometry.area < SMALL_BOROUGH_DEG2 else LABEL_PT
        lines = textwrap.wrap(drawing.names.get(code, code), 12)
        half_w = (max(text_width_in(line, size) for line in lines) + 0.04) * per_inch[0] / 2
        half_h = (len(lines) * size / 72 + 0.03) * per_inch[1] / 2
        middle = polylabel(
            max(getattr(geometry, "geoms", [geometry]), key=lambda p: p.area), tolerance=0.0005
        )
        candidates = [_label_point(geometry, markers), middle]
        candidates += [
            shapely.Point(middle.x + dx * half_w, middle.y + dy * half_h)
            for dx, dy in ((0, 1.2), (0, -1.2), (1, 0), (-1, 0), (0, 2.4), (0, -2.4), (1, 1.2), (-1, -1.2))
        ]
        candidates = [point for point in candidates if geometry.contains(point)] or [middle]
        for point in candidates:
            box = shapely.box(point.x - half_w, point.y - half_h, point.x + half_w, point.y + half_h)
            if not any(box.intersects(other) for other in placed):
                break
        else:
            point = candidates[0]
            box = shapely.box(point.x - half_w, point.y - half_h, point.x + half_w, point.y + half_h)
        placed.append(box)
        labels.append((point.x, point.y, "\n".join(lines), size))
    return labels


def _map_limits(bounds: Iterable[float], box_w: float, box_h: float, lat: float) -> tuple[float, ...]:
    """Data limits around ``bounds`` whose shape (with the latitude's aspect) fills a box_w × box_h box."""
    minx, miny, maxx, maxy = bounds
    pad_x, pad_y = (maxx - minx) * 0.03, (maxy - miny) * 0.03
    minx, maxx, miny, maxy = minx - pad_x, maxx + pad_x, miny - pad_y, maxy + pad_y
    squash = math.cos(math.radians(lat))
    width, height = (maxx - minx) * squash, maxy - miny
    if width / height < box_w / box_h:
        grow = (height * box_w / box_h / squash - (maxx - minx)) / 2
        minx, maxx = minx - grow, maxx + grow
    else:
        grow = ((maxx - minx) * squash * box_h / box_w - height) / 2
        miny, maxy = miny - grow, maxy + grow
    return minx, maxx, miny, maxy


def _draw_reach(ax, drawing: MapDrawing) -> None:
    """The walking-reach areas, largest first: white-filled, the nearest solid, the others dashed."""
    if drawing.reach is None or drawing.reach.empty:
        return
    nearest = drawing.reach["distance_m"].min()
    shown = drawing.reach.sort_values("distance_m", ascending=False)
    for distance, geometry in zip(shown["distance_m"], shown.geometry, strict=True):
        if geometry.is_empty:
            continue
        solid = distance == nearest
        ax.add_patch(
            PathPatch(
                polygon_path(geometry),
                facecolor=(1, 1, 1, 0.25 if solid else 0.12),
                edgecolor=REACH_EDGE,
                linewidth=1.1 if solid else 0.8,
                linestyle="-" if solid else (0, (4, 3)),
                gid=f"reach-{int(distance)}",
                zorder=2,
            )
        )


def _draw_compass_and_scale(ax, bounds, limits: tuple[float, ...], lat: float, lang: str) -> None:
    """North arrow (top right of the boroughs) and a scale bar (bottom left of the map)."""
    minx, maxx, miny, maxy = limits
    east, north = bounds[2], bounds[3]
    span = maxy - miny
    ax.add_patch(
        FancyArrow(
            east,
            north - span * 0.07,
            0,
            span * 0.05,
            width=span * 0.004,
            head_width=span * 0.016,
            head_length=span * 0.014,
            length_includes_head=True,
            color=INK,
            zorder=6,
        )
    )
    ax.text(
        east,
        north - span * 0.075,
        t("exports.brief.north", lang),
        ha="center",
        va="top",
        fontsize=10,
        fontweight="bold",
        color=INK,
    )
    km = SCALE_KM / (111.32 * math.cos(math.radians(lat)))
    x0, y0 = minx + (maxx - minx) * 0.04, miny + span * 0.03
    for step in range(2):
        ax.add_patch(
            Rectangle(
                (x0 + step * km / 2, y0),
                km / 2,
                span * 0.006,
                facecolor=INK if step == 0 else "white",
                edgecolor=INK,
                linewidth=0.6,
                zorder=6,
            )
        )
    ax.text(
        x0 + km / 2,
        y0 + span * 0.012,
        t("exports.brief.scale", lang, km=SCALE_KM),
        ha="center",
        va="bottom",
        fontsize=7,
        color=INK,
        zorder=6,
    )


def _draw_areas(ax, drawing: MapDrawing) -> None:
    """The AGEBs or colonias in their fills, as one collection (``gid`` "areas"), under the boroughs."""
    ax.add_collection(
        PatchCollection(
            [PathPatch(polygon_path(geometry)) for geometry in drawing.areas],
            facecolors=drawing.area_fills,
            edgecolors=AREA_EDGE,
            linewidths=AREA_EDGE_WIDTH,
            gid="areas",
            zorder=1,
        ),
        autolim=False,
    )


def draw_map(fig: Figure, drawing: MapDrawing, rect: tuple[float, ...], lang: str) -> None:
    """Draw ``drawing`` in the figure box ``rect`` (left, bottom, width, height; figure fractions)."""
    ax = fig.add_axes(rect)
    ax.set_axis_off()
    boroughs = drawing.boroughs
    fig_w, fig_h = fig.get_size_inches()
    bounds = drawing.extent if drawing.extent is not None else boroughs.total_bounds
    lat = (bounds[1] + bounds[3]) / 2 if drawing.extent else float(boroughs.geometry.union_all().centroid.y)
    limits = _map_limits(bounds, rect[2] * fig_w, rect[3] * fig_h, lat)
    minx, maxx, miny, maxy = limits
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect(1 / math.cos(math.radians(lat)), adjustable="box")
    edge_width = 1.6 if drawing.contrast else 0.8
    edge = "#000000" if drawing.contrast else OUTLINE
    if drawing.areas is not None:
        _draw_areas(ax, drawing)
        edge, edge_width = ("#000000", 1.6) if drawing.contrast else (BORDER, BORDER_WIDTH)
    for code, geometry in zip(boroughs["cvegeo"], boroughs.geometry, strict=True):
        faded = bool(drawing.highlighted) and code not in drawing.highlighted
        ax.add_patch(
            PathPatch(
                polygon_path(geometry),
                facecolor=drawing.fills[code],
                edgecolor=edge,
                linewidth=edge_width,
                alpha=FADED_ALPHA if faded else 1.0,
                gid=f"borough-{code}",
                zorder=2 if drawing.areas is not None else 1,
            )
        )
    _draw_reach(ax, drawing)
    for code in dict.fromkeys(c for c in (*drawing.outlined, drawing.selected) if c):
        geometry = boroughs.loc[boroughs["cvegeo"] == code].geometry.iloc[0]
        width = 2.6 if code == drawing.selected else 1.5
        ax.add_patch(
            PathPatch(
                polygon_path(geometry), fill=False, edgecolor=SELECTED_OUTLINE, linewidth=width, zorder=3
            )
        )
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    per_inch = ((maxx - minx) / (rect[2] * fig_w), (maxy - miny) / (rect[3] * fig_h))
    for x, y, text, size in _place_labels(drawing, per_inch):
        ax.text(
            x,
            y,
            text,
            ha="center",
            va="center",
            fontsize=size,
            color=INK,
            path_effects=halo,
            zorder=5,
            linespacing=1.0,
        )
    for status, (colour, marker, size) in STATUS_MARKERS.items():
        points = drawing.sites[drawing.sites["status"] == status]
        if points.empty:
            continue
        ax.scatter(
            points.geometry.x,
            points.geometry.y,
            s=size,
            c=colour,
            marker=marker,
            edgecolors="white",
            linewidths=0.7,
            zorder=4,
            gid=f"sites-{status}",
        )
    _draw_compass_and_scale(ax, bounds, limits, lat, lang)
