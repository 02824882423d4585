"""Load the Atlas data once per server process, keyed on the files' paths and versions."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import streamlit as st

from geo import assets, paths
from geo.connectivity import offline_mode
from geo.coverage import reach_areas
from geo.errors import DataError
from geo.loaders import Atlas, load_atlas


def _files_version(data_dir: Path) -> tuple[tuple[str, float], ...]:
    """Modification times of the data files, so an edited file invalidates the cache."""
    return tuple((p.name, p.stat().st_mtime) for p in sorted(data_dir.glob("*")) if p.is_file())


@st.cache_resource(show_spinner="Loading the Atlas data…")
def _cached_atlas(data_dir: str, _version: tuple) -> Atlas:
    return load_atlas(Path(data_dir))


def get_atlas(data_dir: Path | None = None) -> Atlas:
    """Return the validated datasets, or stop the page with a clear error.

    ``ATLAS_DATA_DIR`` points the app at another copy of ``data/`` (tests use
    labelled synthetic copies). The error names the file, what is wrong and the
    command that rebuilds it.
    """
    data_dir = data_dir or paths.data_dir()
    try:
        return _cached_atlas(str(data_dir), _files_version(data_dir))
    except DataError as exc:
        st.error(f"**The Atlas cannot start: `data/{exc.path.name}` is not usable.**")
        st.markdown("\n".join(f"- {problem}" for problem in exc.problems))
        if exc.rebuild:
            st.markdown(
                f"Rebuild it with `{exc.rebuild}`, or restore it with `git checkout data/{exc.path.name}`."
            )
        st.stop()


@st.cache_resource(show_spinner=False)
def offline_status() -> tuple[bool, str]:
    """Decide offline mode once per process and point folium at the matching assets.

    Returns ``(offline, problem)``: ``problem`` explains why an offline map
    may come out empty (its local scripts are not installed).
    """
    offline = offline_mode()
    try:
        assets.apply_asset_mode("local" if offline else "cdn")
    except assets.AssetError as exc:
        return offline, str(exc)
    return offline, ""


@st.cache_resource(show_spinner=False, max_entries=32)
def _cached_reach(site_ids: tuple[str, ...], _atlas: Atlas) -> gpd.GeoDataFrame:
    return reach_areas(_atlas.sites[_atlas.sites["site_id"].isin(site_ids)], clip_to=_atlas.boroughs)


def reach_of(atlas: Atlas, sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the reach areas of ``sites``, computed once per set of sites."""
    return _cached_reach(tuple(sorted(sites["site_id"])), atlas)
