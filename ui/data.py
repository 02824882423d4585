"""Load the Atlas data once per server process, keyed on the files' paths and versions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import streamlit as st

from geo import paths
from geo.assets.manifest import AssetError
from geo.assets.serve import apply_asset_mode
from geo.connectivity import offline_mode
from geo.coverage import reach_areas
from geo.errors import DataError
from geo.i18n import LANGUAGES, language_of, t
from geo.importing.locate import Units
from geo.loaders import Atlas, NeighbourhoodLayers, load_atlas, load_neighbourhoods, neighbourhood_keys
from geo.mapmodel import MapModel, Reach, map_model, reach_in_people
from geo.markup import markdown_text
from geo.state import ViewState
from ui.team import published_layers
from ui.userlayers import session_layers, shading_choice

# The session key of ui.view's view (not imported: ui.view needs the data this module loads).
T = TypeVar("T")
_VIEW_KEY = "atlas_view"


def _files_version(data_dir: Path) -> tuple[tuple[str, float], ...]:
    """Modification times of the data files, so an edited file invalidates the cache."""
    return tuple((p.name, p.stat().st_mtime) for p in sorted(data_dir.glob("*")) if p.is_file())


def page_language() -> str:
    """Return the language to speak before the sidebar has run.

    The data loads before the view exists, so its spinner and errors use the
    view's language, else the URL's ``lang`` or the browser's.
    """
    for lang in (
        getattr(st.session_state.get(_VIEW_KEY), "lang", None),
        st.query_params.get("lang"),
    ):
        if lang in LANGUAGES:
            return lang
    return language_of(st.context.locale)


@st.cache_resource(show_spinner=False)
def _cached_atlas(data_dir: str, _version: tuple) -> Atlas:
    return load_atlas(Path(data_dir))


@st.cache_resource(show_spinner=False)
def _cached_neighbourhoods(data_dir: str, _version: tuple) -> NeighbourhoodLayers:
    return load_neighbourhoods(Path(data_dir))


@st.cache_resource(show_spinner=False)
def _cached_keys(data_dir: str, _version: tuple) -> tuple[frozenset[str], frozenset[str]]:
    return neighbourhood_keys(Path(data_dir))


def get_neighbourhoods(data_dir: Path | None = None) -> NeighbourhoodLayers:
    """Return the AGEB and colonia layers (loaded on first use), or stop the page with a clear error."""
    data_dir = data_dir or paths.data_dir()
    return _stop_on_data_error(lambda: _cached_neighbourhoods(str(data_dir), _files_version(data_dir)))


def get_neighbourhood_keys(data_dir: Path | None = None) -> tuple[frozenset[str], frozenset[str]]:
    """The colonia and AGEB keys a link may name (read from the tables only)."""
    data_dir = data_dir or paths.data_dir()
    return _cached_keys(str(data_dir), _files_version(data_dir))


@st.cache_resource(show_spinner=False)
def _cached_units(data_dir: str, _version: tuple) -> Units:
    return Units.of(_cached_atlas(data_dir, _version), _cached_neighbourhoods(data_dir, _version))


def get_units(data_dir: Path | None = None) -> Units:
    """The city's units a visitor's rows are placed in: one per server process, shared (read-only) by sessions."""
    data_dir = data_dir or paths.data_dir()
    return _stop_on_data_error(lambda: _cached_units(str(data_dir), _files_version(data_dir)))


def get_atlas(data_dir: Path | None = None) -> Atlas:
    """Return the validated datasets, or stop the page with a clear error.

    ``ATLAS_DATA_DIR`` points the app at another copy of ``data/`` (tests use
    labelled synthetic copies). The error names the file, what is wrong and the
    command that rebuilds it.
    """
    data_dir = data_dir or paths.data_dir()
    return _stop_on_data_error(lambda: _cached_atlas(str(data_dir), _files_version(data_dir)))


def _stop_on_data_error(load: Callable[[], T]) -> T:
    """Run ``load``; if a data file is broken, say which and how to rebuild it, and stop the page."""
    lang = page_language()
    try:
        # st.spinner shows only if loading takes a while (a cache miss), not on every rerun.
        with st.spinner(t("data.loading", lang)):
            return load()
    except DataError as exc:
        st.error(t("data.cannot_start", lang, file=exc.path.name))
        st.markdown("\n".join(f"- {markdown_text(problem)}" for problem in exc.problems))
        if exc.rebuild:
            st.markdown(t("data.rebuild", lang, command=exc.rebuild, file=exc.path.name))
        st.stop()


@st.cache_resource(show_spinner=False)
def offline_status() -> tuple[bool, str]:
    """Decide offline mode once per process and point folium at the matching assets.

    Returns ``(offline, problem)``: ``problem`` explains why an offline map
    may come out empty (its local scripts are not installed).
    """
    offline = offline_mode()
    try:
        apply_asset_mode("local" if offline else "cdn")
    except AssetError as exc:
        return offline, str(exc)
    return offline, ""


@st.cache_resource(show_spinner=False, max_entries=32)
def _cached_reach(site_ids: tuple[str, ...], _atlas: Atlas) -> gpd.GeoDataFrame:
    return reach_areas(_atlas.sites[_atlas.sites["site_id"].isin(site_ids)], clip_to=_atlas.boroughs)


def reach_of(atlas: Atlas, sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the reach areas of ``sites``, computed once per set of sites."""
    return _cached_reach(tuple(sorted(sites["site_id"])), atlas)


@st.cache_resource(show_spinner=False, max_entries=32)
def _cached_walking_reach(site_ids: tuple[str, ...], _atlas: Atlas, _layers: NeighbourhoodLayers) -> Reach:
    # The reach areas come from their own cache, which Compare's area table shares.
    return reach_in_people(
        _atlas, _layers, reach_of(_atlas, _atlas.sites[_atlas.sites["site_id"].isin(site_ids)])
    )


def walking_reach_of(atlas: Atlas, layers: NeighbourhoodLayers, sites: gpd.GeoDataFrame) -> Reach:
    """Return the walking reach of ``sites`` counted in people, computed once per set of sites."""
    return _cached_walking_reach(tuple(sorted(sites["site_id"])), atlas, layers)


def map_model_of(atlas: Atlas, view: ViewState, *, own_shading: bool = False) -> MapModel:
    """The Map screen's model of ``view``, its walking-reach areas from this process's cache.

    The neighbourhood layers are loaded (once) only for a view that needs them;
    the visitor's own layers come from this session only. ``own_shading``:
    the boroughs are shaded by the session's chosen indicator table, if any
    (the map page only; a slide or brief of the view keeps the view's indicator).
    """
    return map_model(
        atlas,
        view,
        reach=walking_reach_of,
        neighbourhoods=get_neighbourhoods,
        user_layers=(*published_layers(), *session_layers()),
        shade_by=shading_choice() if own_shading else None,
    )
