"""What the Streamlit websocket carried: decode the frames and break the map's share down.

Each binary websocket frame from the server is one ``ForwardMsg`` (Streamlit's
protobuf). The map is the ``component_instance`` element whose ``json_args``
are what ``st_folium`` sends: the map's JavaScript (``script``, and the
``feature_group`` layers redrawn without remounting), links, and options.
Inside those JavaScript strings the bulk is data literals (GeoJSON/TopoJSON,
marker rows) and HTML templates; :func:`js_breakdown` measures each.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from google.protobuf.message import DecodeError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

#: Data literals smaller than this are left in "code".
MIN_LITERAL_BYTES = 256
_DECODER = json.JSONDecoder()
# A JSON literal starts right after "=", "(" or "," (a JS assignment or argument).
_LITERAL_START = re.compile(r"(?<=[=(,])\s*(?=[\[{])")
_GEO_TYPES = {"FeatureCollection", "Feature", "Topology"}
# folium's Popup/Tooltip HTML: var html_x = $(`<div …>`)[0]; and .bindTooltip(`…`).
_POPUP_HTML = re.compile(r"\$\(`(.*?)`\)\[0\]", re.DOTALL)
_TOOLTIP_HTML = re.compile(r"bindTooltip\(\s*`(.*?)`", re.DOTALL)


def utf8_len(text: str) -> int:
    """Bytes of ``text`` once sent as UTF-8."""
    return len(text.encode("utf-8"))


def decode(payloads: Iterable[bytes]) -> list[ForwardMsg | None]:
    """Parse each websocket payload as a ``ForwardMsg`` (``None`` if it is not one)."""
    messages: list[ForwardMsg | None] = []
    for data in payloads:
        try:
            messages.append(ForwardMsg.FromString(data))
        except DecodeError:
            messages.append(None)
    return messages


def kind(msg: ForwardMsg | None) -> str:
    """Name a message: ``delta.new_element.component_instance``, ``script_finished``…"""
    if msg is None:
        return "not a ForwardMsg"
    name = msg.WhichOneof("type") or "empty"
    if name == "delta":
        delta = msg.delta.WhichOneof("type") or "empty"
        name = f"delta.{delta}"
        if delta == "new_element":
            name += f".{msg.delta.new_element.WhichOneof('type')}"
    return name


def by_kind(payloads: list[bytes]) -> dict[str, dict[str, int]]:
    """Bytes and count of messages per kind, largest first."""
    totals: dict[str, dict[str, int]] = {}
    for data, msg in zip(payloads, decode(payloads), strict=True):
        entry = totals.setdefault(kind(msg), {"bytes": 0, "messages": 0})
        entry["bytes"] += len(data)
        entry["messages"] += 1
    return dict(sorted(totals.items(), key=lambda item: -item[1]["bytes"]))


def component_args(payloads: list[bytes]) -> list[tuple[int, dict[str, Any]]]:
    """``(message bytes, parsed json_args)`` of every component element, in order."""
    found = []
    for data, msg in zip(payloads, decode(payloads), strict=True):
        if kind(msg) == "delta.new_element.component_instance":
            found.append((len(data), json.loads(msg.delta.new_element.component_instance.json_args)))
    return found


def _literals(js: str) -> list[tuple[int, int, Any]]:
    """``(start, end, value)`` of JSON literals of at least ``MIN_LITERAL_BYTES`` in JS source."""
    spans = []
    position = 0
    while match := _LITERAL_START.search(js, position):
        start = match.end()
        try:
            value, end = _DECODER.raw_decode(js, start)
        except json.JSONDecodeError:
            position = start + 1
            continue
        if end - start >= MIN_LITERAL_BYTES:
            spans.append((start, end, value))
            position = end
        else:
            position = start + 1
    return spans


def _value_spans(text: str, key: str) -> list[str]:
    """Raw source text of every ``"key": value`` pair in a JSON text."""
    pattern = re.compile(rf"{re.escape(json.dumps(key))}\s*:\s*")
    pairs = []
    for match in pattern.finditer(text):
        try:
            _, end = _DECODER.raw_decode(text, match.end())
        except json.JSONDecodeError:
            continue
        pairs.append(text[match.start() : end])
    return pairs


def _geo_breakdown(text: str, value: dict[str, Any]) -> dict[str, Any]:
    """Split a GeoJSON/TopoJSON literal into geometry and per-property bytes."""
    keys: dict[str, int] = {}
    for props in _value_spans(text, "properties"):
        body = props.split(":", 1)[1]
        try:
            parsed = json.loads(body)
        except json.JSONDecodeError:
            continue
        if not isinstance(parsed, dict):
            continue
        for key in parsed:
            spans = _value_spans(body, key)
            if spans:
                keys[key] = keys.get(key, 0) + utf8_len(spans[0])
    properties = sum(utf8_len(p) for p in _value_spans(text, "properties"))
    features = value.get("features") or [
        g for obj in value.get("objects", {}).values() for g in obj.get("geometries", [])
    ]
    return {
        "what": f"{value['type']} with {len(features)} features",
        "bytes": utf8_len(text),
        "parts": {
            "geometry (coordinates/arcs) and structure": utf8_len(text) - properties,
            **{f'properties["{k}"]': b for k, b in sorted(keys.items(), key=lambda kv: -kv[1])},
        },
    }


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _rows_breakdown(text: str, value: list[list[Any]]) -> dict[str, Any]:
    """Split a list of data rows (e.g. FastMarkerCluster's) into bytes per column.

    Column sizes are of the compact re-serialisation; they add up to the
    literal's size give or take escapes.
    """
    width = max(len(row) for row in value)
    parts: dict[str, int] = {}
    for col in range(width):
        cells = [row[col] for row in value if len(row) > col]
        sample = _compact(cells[0])
        label = f"row[{col}] e.g. {sample[:60]}{'…' if len(sample) > 60 else ''}"
        parts[label] = sum(utf8_len(_compact(c)) + 1 for c in cells)
    return {"what": f"{len(value)} data rows of {width} columns", "bytes": utf8_len(text), "parts": parts}


def _object_breakdown(text: str, value: dict[str, Any]) -> dict[str, Any]:
    """Split a JSON object (e.g. :class:`geo.arealayer.PackedAreas`' data) into bytes per key.

    Sizes are of the compact re-serialisation, as for :func:`_rows_breakdown`.
    """
    parts = {f'"{key}"': utf8_len(_compact(item)) for key, item in value.items()}
    return {
        "what": f"JSON object of {len(value)} keys"
        + (f" (level '{value['level']}')" if isinstance(value.get("level"), str) else ""),
        "bytes": utf8_len(text),
        "parts": dict(sorted(parts.items(), key=lambda kv: -kv[1])),
    }


def js_breakdown(js: str) -> dict[str, Any]:
    """Measure the data literals and HTML templates inside one JavaScript string.

    Returns ``{"bytes", "literals": [...], "popup_html", "tooltip_html", "code"}``
    where ``code`` is whatever is neither a literal nor a template.
    """
    literals = []
    covered = 0
    for start, end, value in _literals(js):
        text = js[start:end]
        covered += utf8_len(text)
        if isinstance(value, dict) and value.get("type") in _GEO_TYPES:
            literals.append(_geo_breakdown(text, value))
        elif isinstance(value, list) and value and all(isinstance(row, list) for row in value):
            literals.append(_rows_breakdown(text, value))
        elif isinstance(value, dict):
            literals.append(_object_breakdown(text, value))
        else:
            literals.append({"what": f"JSON {type(value).__name__}", "bytes": utf8_len(text), "parts": {}})
    popup = sum(utf8_len(m) for m in _POPUP_HTML.findall(js))
    tooltip = sum(utf8_len(m) for m in _TOOLTIP_HTML.findall(js))
    return {
        "bytes": utf8_len(js),
        "literals": literals,
        "popup_html": popup,
        "tooltip_html": tooltip,
        "code": utf8_len(js) - covered - popup - tooltip,
    }


def map_breakdown(payloads: list[bytes]) -> dict[str, Any]:
    """Break down a load's (or a change's) websocket payload, map component first.

    Returns the bytes per message kind and, for the (last) map component, the
    size of each argument, with the JavaScript arguments broken down further.
    """
    result: dict[str, Any] = {"total_bytes": sum(len(p) for p in payloads), "by_kind": by_kind(payloads)}
    components = component_args(payloads)
    if not components:
        return result
    size, args = components[-1]
    arg_sizes = {
        name: utf8_len(value if isinstance(value, str) else _compact(value)) for name, value in args.items()
    }
    result["component"] = {
        "message_bytes": size,
        "messages": len(components),
        "args": dict(sorted(arg_sizes.items(), key=lambda kv: -kv[1])),
        "js": {
            name: js_breakdown(value)
            for name, value in args.items()
            if isinstance(value, str) and utf8_len(value) >= MIN_LITERAL_BYTES and name != "header"
        },
    }
    return result
