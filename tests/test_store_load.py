"""``python -m geo.store load``: the shipped data into PostGIS tables with their sources, or a clear refusal."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from geo import loaders, paths
from geo.store import open_store
from geo.store.__main__ import main


def test_without_a_database_url_the_load_is_refused_saying_what_to_set(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ATLAS_DATABASE_URL", raising=False)
    assert main(["load"]) == 1
    assert "ATLAS_DATABASE_URL is not set" in capsys.readouterr().err


def test_the_shipped_data_lands_in_postgis_with_its_sources(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = request.getfixturevalue("postgis").database()
    monkeypatch.setenv("ATLAS_DATABASE_URL", url)
    assert main(["load"]) == 0
    assert main(["load"]) == 0  # loading again replaces the copy
    printed = capsys.readouterr().out
    boroughs = loaders.read_boroughs()
    expected = {
        "boroughs": len(boroughs),
        "indicators": len(loaders.read_indicators(paths.INDICATORS, boroughs)),
        "utopias": len(loaders.read_sites(paths.SITES, boroughs)),
        "agebs": len(loaders.read_agebs()),
        "colonias": len(loaders.read_colonias()),
    }
    store = open_store(url)
    with store.engine.connect() as connection:
        for table, rows in expected.items():
            assert connection.execute(text(f"SELECT count(*) FROM atlas_shipped.{table}")).scalar() == rows
            assert f"atlas_shipped.{table}: {rows} rows" in printed
        srid = connection.execute(
            text("SELECT DISTINCT ST_SRID(geometry) FROM atlas_shipped.colonias")
        ).scalars()
        assert list(srid) == [4326]
        indexes = connection.execute(
            text(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = 'atlas_shipped' AND indexdef LIKE '%gist%'"
            )
        ).scalars()
        assert len(list(indexes)) == 4  # every table with shapes
        comment = connection.execute(text("SELECT obj_description('atlas_shipped.agebs'::regclass)")).scalar()
        assert "CONAPO" in comment
        sources = dict(
            connection.execute(text("SELECT table_name, sources FROM atlas_shipped.sources")).all()
        )
        assert "CONAPO" in sources["agebs"]
        assert "INEGI" in sources["boroughs"]
        per_row = connection.execute(text("SELECT count(source) FROM atlas_shipped.indicators")).scalar()
        assert per_row == expected["indicators"]
    store.close()
