"""A visitor's confirmed layers (geo.userlayers), the report's tables and how the map draws them.

Uploads are the SYNTHETIC fixtures of tests/import_fixtures.py and
tests/your_data_fixtures.py; the units are the shipped ones.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import folium
import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from geo.importing.check import check_layer
from geo.importing.columns import guess_roles
from geo.importing.findings import Finding
from geo.importing.locate import Units, load_units
from geo.importing.read import read_upload
from geo.importing.report import findings_table, summary_table
from geo.legend import user_legend_html
from geo.loaders import load_atlas
from geo.mapmodel import map_legend, map_model
from geo.mapview import USER_FIELDS, map_layers, user_areas_layer, user_site_rows, user_sites_layer
from geo.state import ViewState
from geo.userlayers import (
    UserLayer,
    check_frame,
    file_stem,
    guess_kind,
    layer_csv,
    layer_geojson,
    published_in_view,
    shown_sites,
)
from tests import import_fixtures
from tests.your_data_fixtures import HOSTILE, INSIDE, SITES, sites_csv


@pytest.fixture(scope="module")
def units() -> Units:
    return load_units()


def _layer(units: Units, name: str, data: bytes, *, title: str = "Mis sitios") -> UserLayer:
    upload = read_upload(name, data)
    kind = guess_kind(upload)
    frame = check_frame(upload, kind)
    checked = check_layer(frame, kind, guess_roles(frame, kind), units)
    return UserLayer("layer1", kind, title, "Archivo sintético", name, checked.layer)


@pytest.fixture(scope="module")
def sites(units: Units) -> UserLayer:
    return _layer(units, "sitios.csv", sites_csv(), title=HOSTILE)


def test_the_kind_is_guessed_from_what_the_file_holds() -> None:
    assert guess_kind(read_upload("s.csv", sites_csv())) == "sites"
    assert guess_kind(read_upload("s.zip", import_fixtures.shapefile_zip(prj=True, cpg=True))) == "sites"
    areas = import_fixtures.written(import_fixtures.squares(2), "a.geojson", driver="GeoJSON")["a.geojson"]
    assert guess_kind(read_upload("a.geojson", areas)) == "boundaries"
    wide = b"alcaldia,2015,2020\n09002,1.5,2.5\n09003,3,4\n"
    assert guess_kind(read_upload("i.csv", wide)) == "indicators"


def test_points_in_a_projected_file_are_read_at_their_place(units: Units) -> None:
    layer = _layer(units, "u.geojson", import_fixtures.geojson_utm())
    assert set(layer.rows["located_by"]) == {"coordinates"}
    got = list(zip(layer.rows.geometry.x.round(4), layer.rows.geometry.y.round(4), strict=True))
    assert got == [(round(lon, 4), round(lat, 4)) for _, _, lat, lon, _ in import_fixtures.SITES]


def test_status_and_year_filters_apply_where_the_layer_has_them(sites: UserLayer) -> None:
    view = ViewState(ind="poverty_pct", year=2020, status=("open",), opened=2025)
    kept = shown_sites(sites, view, latest_year=2025)
    assert set(kept.rows["status"]) == {"open"}
    assert len(kept.rows) == sum(site[4] == "abierta" for site in SITES)
    every_status = ("open", "under_construction", "announced")
    past = shown_sites(sites, replace(view, status=every_status, opened=2021), 2025)
    assert sorted(past.rows["year"]) == [2019, 2021]
    no_status = replace(sites, rows=sites.rows.assign(status=None, year=None))
    assert len(shown_sites(no_status, replace(view, opened=2021), 2025).rows) == len(SITES)


def test_the_programme_filter_applies_to_sites_of_the_atlas_programmes_and_keeps_the_others(
    sites: UserLayer,
) -> None:
    programmes = ["utopias", "pcmb", "other", None, "utopias"]
    layer = replace(sites, rows=sites.rows.assign(programme=programmes))
    view = ViewState(ind="poverty_pct", year=2020, opened=2025)

    def kept(prog: tuple[str, ...]) -> list[object]:
        return shown_sites(layer, replace(view, prog=prog), 2025).rows["programme"].tolist()

    assert kept(("utopias", "pcmb")) == programmes
    assert kept(("pcmb",)) == ["pcmb", "other", None]
    assert kept(()) == ["other", None], "no programme ticked: only sites of none of the Atlas's"


def test_the_borough_filter_keeps_sites_placed_in_its_boroughs_and_no_context(sites: UserLayer) -> None:
    view = ViewState(ind="poverty_pct", year=2020, opened=2025)
    assert sites.rows["context"].sum() == len(SITES) - INSIDE, "the fixture has a site outside the city"
    assert len(shown_sites(sites, view, 2025).rows) == len(SITES), "no borough filter: context drawn"
    first = str(sites.rows["borough"].iloc[0])
    kept = shown_sites(sites, replace(view, boro=(first,)), 2025).rows
    assert set(kept["borough"]) == {first}
    assert len(kept) == (sites.rows["borough"] == first).sum()
    every = tuple(sorted(set(load_atlas().borough_names)))
    in_city = shown_sites(sites, replace(view, boro=every), 2025).rows
    assert len(in_city) == INSIDE
    assert not in_city["context"].any()


def test_the_borough_filter_keeps_boundaries_in_its_boroughs_and_no_context(units: Units) -> None:
    boroughs = load_atlas().boroughs.set_index("cvegeo").geometry
    coyoacan, iztapalapa = boroughs["09003"], boroughs["09007"]
    border = coyoacan.intersection(iztapalapa).interpolate(0.5, normalized=True)

    def square(point: Point) -> object:
        return box(point.x - 0.002, point.y - 0.002, point.x + 0.002, point.y + 0.002)

    # SYNTHETIC squares: one in each borough, one across their border, one outside the city.
    shapes = {
        "C": square(coyoacan.representative_point()),
        "I": square(iztapalapa.representative_point()),
        "CI": square(border),
        "out": square(Point(-99.6557, 19.2826)),
    }
    frame = gpd.GeoDataFrame({"clave": list(shapes)}, geometry=list(shapes.values()), crs="EPSG:4326")
    layer = _layer(
        units, "a.geojson", import_fixtures.written(frame, "a.geojson", driver="GeoJSON")["a.geojson"]
    )
    assert layer.kind == "boundaries"
    view = ViewState(ind="poverty_pct", year=2020, opened=2025)

    def drawn(boro: tuple[str, ...]) -> list[str]:
        model = map_model(load_atlas(), replace(view, boro=boro), user_layers=[layer])
        return sorted(model.user_layers[0].rows["key"])

    assert drawn(()) == ["C", "CI", "I", "out"], "no borough filter: every area, context too"
    assert drawn(("09003",)) == ["C", "CI"]
    assert drawn(("09007",)) == ["CI", "I"]
    assert drawn(("09002",)) == [], "Azcapotzalco: none of them"


def test_downloads_are_clean_and_formula_safe(sites: UserLayer) -> None:
    collection = json.loads(layer_geojson(sites))
    assert collection["title"] == HOSTILE
    assert len(collection["features"]) == len(SITES)
    rows = list(csv.DictReader(io.StringIO(layer_csv(sites).decode("utf-8-sig"))))
    assert rows[3]["name"].startswith("'=HYPERLINK")
    assert {row["source"] for row in rows} == {"Archivo sintético"}
    assert float(rows[0]["latitude"]) == SITES[0][1]
    assert file_stem(sites) == "img-src-x-onerror-alert-1"


def test_the_map_draws_user_sites_under_the_utopias_with_every_cell_as_data(sites: UserLayer) -> None:
    view = ViewState(ind="poverty_pct", year=2020, opened=2025)
    model = map_model(load_atlas(), view, user_layers=[sites])
    assert model.user_sites == len(SITES)
    layers = map_layers(model)
    names = [layer.layer_name for layer in layers]
    assert names.index("&lt;img src=x onerror=alert(1)&gt;") == len(names) - 2, (
        "after the shipped layers, under the UTOPÍAS"
    )
    fmap = folium.Map()
    for layer in layers:
        layer.add_to(fmap)
    html = fmap.get_root().render()
    assert HOSTILE not in html
    assert "<img src=x" not in html


def decoded(labels: dict, row: list) -> dict[str, str]:
    """A compact row's fields by column, as the browser's marker builder reads them (geo.mapview._USER_MARKER_JS)."""
    return {
        column: values[cell] if values else cell
        for (_, column), (_, values), cell in zip(USER_FIELDS, labels["fields"], row[4:], strict=True)
    }


def _popup(labels: dict, row: list) -> dict[str, str]:
    """A compact row's popup table: the layer's line, then each shown field with a text."""
    cells = decoded(labels, row).values()
    shown = [
        (field[0], cell) for field, cell in zip(labels["fields"], cells, strict=True) if field[0] and cell
    ]
    return dict([labels["layer"], *shown])


def test_user_sites_travel_as_cells_with_the_words_they_share_sent_once(sites: UserLayer) -> None:
    names = load_atlas().borough_names
    labels, rows = user_site_rows(sites, names, "es")
    assert len(rows) == len(SITES)
    assert [row[3] for row in rows] == [site[0] for site in SITES], "the names, as written"
    hostile = _popup(labels, rows[2])
    borough = str(sites.rows["borough"].iloc[2])
    assert hostile == {
        "Su capa": HOSTILE,
        "Estado": "anunciada",
        "Año": "2024",
        "Alcaldía": names[borough],
        "Colonia": str(sites.rows["colonia"].iloc[2]),
        "AGEB": str(sites.rows["ageb"].iloc[2]),
        "Ubicación": _popup(labels, rows[0])["Ubicación"],
        "Fila del archivo": "3",
    }
    outside = _popup(labels, rows[4])
    assert outside["Ubicación"] == "Fuera de la Ciudad de México: solo contexto, sin alcaldía"
    assert "Alcaldía" not in outside
    assert [labels["statuses"][row[2]][1] for row in rows] == [
        "Abierta",
        "En construcción",
        "Anunciada",
        "Abierta",
        "Abierta",
    ]
    fmap = folium.Map()
    user_sites_layer(sites, names, "es").add_to(fmap)
    html = fmap.get_root().render()
    assert html.count("Fila del archivo") == 1, "a popup's labels travel once, not once a site"
    assert HOSTILE not in html
    assert r"\u003cimg src=x onerror=alert(1)\u003e" in html


def test_the_legend_lists_each_layer_with_its_kind_count_and_source_escaped(sites: UserLayer) -> None:
    source = '"><script>alert(1)</script> **bold** [x](javascript:alert(1))'
    hostile = replace(sites, source=source)
    wide = b"alcaldia,2015,2020\n09002,1.5,2.5\n09003,3,4\n"
    table = replace(_layer(load_units(), "i.csv", wide), name="Tabla sintética")
    assert user_legend_html([], "en") == ""
    html = user_legend_html([hostile, table], "en")
    assert HOSTILE not in html
    assert "<script>" not in html
    assert '"><' not in html
    assert "<b>&lt;img src=x onerror=alert(1)&gt;</b>" in html
    assert f"Sites or projects · on the map: {len(SITES)}" in html
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; **bold** [x](javascript:alert(1))" in html
    assert "Indicator table · on the map: 2" in html, "two boroughs drawn, the latest year's"
    assert "Sitios o proyectos · en el mapa: 5" in user_legend_html([hostile], "es")
    assert "Sites ou projets · sur la carte : 5" in user_legend_html([hostile], "fr")


def test_the_map_legend_counts_the_sites_the_filters_keep(sites: UserLayer) -> None:
    view = ViewState(ind="poverty_pct", year=2020, status=("open",), opened=2025, lang="en")
    legend = map_legend(map_model(load_atlas(), view, user_layers=[sites]))
    opened = sum(site[4] == "abierta" for site in SITES)
    assert legend.index("atlas-user-legend") > legend.index("</ul>"), "under the shading's legend"
    assert f"Sites or projects · on the map: {opened}<" in legend


def test_user_areas_have_escaped_tooltips(units: Units) -> None:
    frame = import_fixtures.squares(2).assign(clave=[HOSTILE, "B"])
    data = import_fixtures.written(frame, "a.geojson", driver="GeoJSON")["a.geojson"]
    layer = _layer(units, "a.geojson", data)
    assert layer.kind == "boundaries"
    fmap = folium.Map()
    user_areas_layer(layer, "en").add_to(fmap)
    html = fmap.get_root().render()
    # the tooltip's HTML is escaped, then JSON-encoded by folium (& < > as \u escapes)
    assert r"\u0026lt;img src=x onerror=alert(1)\u0026gt;" in html
    assert HOSTILE not in html


def test_the_report_counts_by_severity_and_lists_every_row() -> None:
    findings = [
        Finding("import_check.number_invalid", "warning", 5, "monto", {"value": "x"}),
        Finding("import_check.not_located", "error", 3),
        Finding("import_check.number_invalid", "warning", 2, "monto", {"value": HOSTILE}),
    ]
    summary = summary_table(findings, "en")
    assert summary.values.tolist() == [
        ["Error", 1, findings[1].text("en")],
        ["To decide", 2, findings[0].text("en")],
    ]
    rows = findings_table(findings, "es")
    assert rows["Fila"].tolist() == [2, 3, 5]
    assert HOSTILE in rows.iloc[0, 3]


def test_a_view_draws_all_none_or_the_named_published_layers_and_says_which_are_gone(
    sites: UserLayer,
) -> None:
    """SYNTHETIC layers: two published by the team (ids), one of this session."""
    own, first, second = (
        replace(sites, ident=ident, published=version)
        for ident, version in (("layer1", 0), ("obras-2026", 2), ("centros", 1))
    )
    layers = (own, first, second)
    assert published_in_view(layers, ()) == (layers, ())
    assert published_in_view(layers, ("-",)) == ((own,), ())
    assert published_in_view(layers, ("centros", "borrada")) == ((own, second), ("borrada",))
