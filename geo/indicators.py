"""The indicator registry and the indicators derived from shipped ones.

Every legend, tooltip and panel reads units, number formats and the direction
of "need" from here, so an indicator is described once; its name (and, for a
derived one, its method and source line) in each language is in
``geo/locales/indicators.toml``. Derived indicators are computed by code from
their inputs and say so in their source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from geo.formatting import format_value
from geo.i18n import t
from geo.vocabulary import BOROUGHS, MARGINALISATION_COMPONENTS


@dataclass(frozen=True)
class Indicator:
    """How one indicator is formatted and read; its name is in the catalogue.

    ``fmt`` is one of ``percent`` (values are already percentages), ``count``,
    ``density`` (people per km²), ``index``, ``years`` or ``category``. ``higher_is_worse``
    orders the colour ramp so that darker always means more need; ``None``
    means the indicator has no need direction (population, say). A derived
    indicator names its inputs in ``derived_from``: indicators of the table, or
    ``area_km2`` (each borough's area, measured by the Atlas).
    """

    id: str
    fmt: str
    higher_is_worse: bool | None
    derived_from: tuple[str, ...] = field(default_factory=tuple)

    def title(self, lang: str = "en") -> str:
        """Return the name in ``lang`` (``indicators.<id>.label`` in ``geo/locales/indicators.toml``)."""
        return t(f"indicators.{self.id}.label", lang)

    def note(self, lang: str = "en") -> str:
        """Return how the Atlas computes a derived indicator, in ``lang`` (``indicators.<id>.note``)."""
        return t(f"indicators.{self.id}.note", lang)


_PCT, _COUNT = "percent", "count"
REGISTRY: dict[str, Indicator] = {
    ind.id: ind
    for ind in (
        Indicator("poverty_pct", _PCT, True),
        Indicator("extreme_poverty_pct", _PCT, True),
        Indicator("carencia_rezago_educativo_pct", _PCT, True),
        Indicator("carencia_acceso_salud_pct", _PCT, True),
        Indicator("carencia_seguridad_social_pct", _PCT, True),
        Indicator("carencia_calidad_espacios_vivienda_pct", _PCT, True),
        Indicator("carencia_servicios_basicos_vivienda_pct", _PCT, True),
        Indicator("carencia_alimentacion_pct", _PCT, True),
        Indicator("ingreso_bajo_linea_pobreza_pct", _PCT, True),
        Indicator("ingreso_bajo_linea_pobreza_extrema_pct", _PCT, True),
        Indicator("population_total", _COUNT, None),
        Indicator("population_projection_conapo_midyear", _COUNT, None),
        Indicator("marginalisation_index", "index", False),
        Indicator("marginalisation_grade", "category", None),
        Indicator("density", "density", None, derived_from=("population_total", "area_km2")),
        Indicator("poverty_persons_est", _COUNT, True, derived_from=("poverty_pct", "population_total")),
        Indicator("poverty_persons", _COUNT, True),
        Indicator("unmet_basic_needs_pct_evalua", _PCT, True),
        Indicator("median_age", "years", None),
        Indicator("male_share_pct", _PCT, None),
        Indicator("population_10_19", _COUNT, None),
        Indicator("population_12_17", _COUNT, None),
        Indicator("population_15_19", _COUNT, None),
        Indicator("population_18_24", _COUNT, None),
        Indicator("population_18_29", _COUNT, None),
        Indicator("population_20_24", _COUNT, None),
        Indicator("population_20_29", _COUNT, None),
        Indicator("population_25_29", _COUNT, None),
        Indicator("youth_15_29_share_pct", _PCT, None),
        Indicator("youth_18_29_share_pct", _PCT, None),
        Indicator("youth_20_29_share_pct", _PCT, None),
    )
}


# What the neighbourhood levels shade: CONAPO's AGEB columns (their unit, year and source are in
# data/ageb_fields.csv) and the colonias' estimated share of people in high marginalisation.
# The grade is ordinal: its classes are CONAPO's five grades, darker = more marginalised.
NEIGHBOURHOOD_REGISTRY: dict[str, Indicator] = {
    ind.id: ind
    for ind in (
        Indicator("gm_2020", "category", True),
        Indicator("im_2020", "index", False),
        *(Indicator(column, _PCT, True) for column in MARGINALISATION_COMPONENTS),
        Indicator("people_high_share", _PCT, True),
    )
}
#: An AGEB's census 2020 population (``pob_total``), shown in its panel; not a shading.
NEIGHBOURHOOD_POPULATION = Indicator("pob_total", _COUNT, None)

#: The language of the ``source`` the table gives a derived row (the data's own texts are in English too).
DATA_LANGUAGE = "en"


def derived_source(indicator: str, inputs: Mapping[str, str], lang: str) -> str:
    """A derived figure's source line in ``lang``: how the Atlas computed it, and from which sources.

    ``inputs`` gives the source of each input that is an indicator, as the
    data states it; an input that is not (the area) names its own source
    (``indicators.<input>.source``).
    """
    fields = {
        name: inputs[name] if name in REGISTRY else t(f"indicators.{name}.source", lang)
        for name in REGISTRY[indicator].derived_from
    }
    return t(f"indicators.{indicator}.source", lang, **fields)


def derive_indicators(indicators: pd.DataFrame, areas_km2: pd.Series) -> pd.DataFrame:
    """Return the derived rows (density, estimated people in poverty).

    ``areas_km2`` is indexed by ``cvegeo``. Rows exist only where every input
    exists for the same borough and year; their ``source`` names the inputs'
    sources so a derived figure is never shown without where it came from
    (in :data:`DATA_LANGUAGE`; :func:`shown_sources` writes it in the view's).
    """
    pop = indicators[indicators["indicator"] == "population_total"].set_index(["cvegeo", "year"])
    poverty = indicators[indicators["indicator"] == "poverty_pct"].set_index(["cvegeo", "year"])

    density = pop[["value", "source"]].copy()
    density["value"] = pop["value"] / pop.index.get_level_values("cvegeo").map(areas_km2).to_numpy()
    density["unit"] = "persons per km²"
    density["source"] = [
        derived_source("density", {"population_total": src}, DATA_LANGUAGE) for src in pop["source"]
    ]
    density["source_url"] = pop["source_url"]
    density["indicator"] = "density"

    joined = poverty.join(pop, how="inner", lsuffix="_pov", rsuffix="_pop")
    persons = pd.DataFrame(
        {
            "value": (joined["value_pov"] * joined["value_pop"] / 100).round(0),
            "unit": "persons (estimate)",
            "source": [
                derived_source(
                    "poverty_persons_est", {"poverty_pct": a, "population_total": b}, DATA_LANGUAGE
                )
                for a, b in zip(joined["source_pov"], joined["source_pop"], strict=True)
            ],
            "source_url": joined["source_url_pov"] + " | " + joined["source_url_pop"],
            "indicator": "poverty_persons_est",
        },
        index=joined.index,
    )
    derived = pd.concat([density, persons]).reset_index()
    derived["category"] = ""
    derived = derived.dropna(subset=["value"])
    return derived[list(indicators.columns)]


def shown_sources(indicators: pd.DataFrame, rows: pd.DataFrame, lang: str) -> list[str]:
    """The ``source`` of each of ``rows`` (rows of ``indicators``) as a reader of ``lang`` sees it.

    A source the data cites is shown as published. A derived row's source is
    the Atlas's own text, so it is written again in ``lang`` from the sources
    of its inputs in the same borough and year. Every screen that shows an
    indicator's source (legend, panel, profile, chart tables, Sources page, reach notes) calls this.
    """
    derived = {name for name, spec in REGISTRY.items() if spec.derived_from}
    if not rows["indicator"].isin(derived).any():
        return [str(source) for source in rows["source"]]
    inputs = indicators[indicators["indicator"].isin({i for d in derived for i in REGISTRY[d].derived_from})]
    known = {
        (name, cvegeo, year): source
        for name, cvegeo, year, source in zip(
            inputs["indicator"], inputs["cvegeo"], inputs["year"], inputs["source"], strict=True
        )
    }
    return [
        derived_source(
            name, {i: known[(i, cvegeo, year)] for i in REGISTRY[name].derived_from if i in REGISTRY}, lang
        )
        if name in derived
        else str(source)
        for name, cvegeo, year, source in zip(
            rows["indicator"], rows["cvegeo"], rows["year"], rows["source"], strict=True
        )
    ]


def mappable(indicators: pd.DataFrame, n_boroughs: int = len(BOROUGHS)) -> dict[str, list[int]]:
    """Return, per indicator, the years with a numeric value for every borough.

    Only those can be drawn as a choropleth; indicators known for a few
    boroughs are shown in the borough panel instead, never interpolated.
    """
    numeric = indicators.dropna(subset=["value"])
    counts = numeric.groupby(["indicator", "year"])["cvegeo"].nunique()
    complete = counts[counts >= n_boroughs].reset_index()
    return {
        ind: sorted(int(y) for y in group["year"])
        for ind, group in complete.groupby("indicator")
        if ind in REGISTRY
    }


def rows_for(indicators: pd.DataFrame, indicator: str, year: int) -> pd.DataFrame:
    """Return the rows of one indicator in one year (one per borough that has it)."""
    return indicators[(indicators["indicator"] == indicator) & (indicators["year"] == year)]


def display_value(indicator: str, value: float, category: str = "", lang: str = "en") -> str:
    """Return a value as shown to people: the category if it has one, else the formatted number."""
    return category or format_value(value, REGISTRY[indicator].fmt, lang)
