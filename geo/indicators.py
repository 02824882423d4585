"""The indicator registry and the indicators derived from shipped ones.

Every legend, tooltip and panel reads labels, units, number formats and the
direction of "need" from here, so an indicator is described once. Derived
indicators are computed by code from their inputs and say so in their source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from geo.formatting import format_value


@dataclass(frozen=True)
class Indicator:
    """How one indicator is named, formatted and read.

    ``fmt`` is one of ``percent`` (values are already percentages), ``count``,
    ``density`` (people per km²), ``index``, ``years`` or ``category``. ``higher_is_worse``
    orders the colour ramp so that darker always means more need; ``None``
    means the indicator has no need direction (population, say).
    """

    id: str
    label: dict[str, str]
    fmt: str
    higher_is_worse: bool | None
    derived_from: tuple[str, ...] = field(default_factory=tuple)
    note: str = ""

    def title(self, lang: str = "en") -> str:
        """Return the label in ``lang``, falling back to English."""
        return self.label.get(lang) or self.label["en"]


def _ind(
    id_: str,
    es: str,
    en: str,
    fr: str,
    fmt: str,
    higher_is_worse: bool | None,
    **extra: object,
) -> Indicator:
    return Indicator(id_, {"es": es, "en": en, "fr": fr}, fmt, higher_is_worse, **extra)  # type: ignore[arg-type]


_PCT = "percent"
REGISTRY: dict[str, Indicator] = {
    ind.id: ind
    for ind in (
        _ind(
            "poverty_pct",
            "Población en pobreza",
            "Population in poverty",
            "Population en situation de pauvreté",
            _PCT,
            True,
        ),
        _ind(
            "extreme_poverty_pct",
            "Población en pobreza extrema",
            "Population in extreme poverty",
            "Population en situation d'extrême pauvreté",
            _PCT,
            True,
        ),
        _ind(
            "carencia_rezago_educativo_pct",
            "Rezago educativo",
            "Educational lag",
            "Retard éducatif",
            _PCT,
            True,
        ),
        _ind(
            "carencia_acceso_salud_pct",
            "Carencia por acceso a los servicios de salud",
            "No access to health services",
            "Sans accès aux services de santé",
            _PCT,
            True,
        ),
        _ind(
            "carencia_seguridad_social_pct",
            "Carencia por acceso a la seguridad social",
            "No access to social security",
            "Sans accès à la sécurité sociale",
            _PCT,
            True,
        ),
        _ind(
            "carencia_calidad_espacios_vivienda_pct",
            "Carencia por calidad y espacios de la vivienda",
            "Poor housing quality and space",
            "Logement de qualité ou d'espace insuffisants",
            _PCT,
            True,
        ),
        _ind(
            "carencia_servicios_basicos_vivienda_pct",
            "Carencia por servicios básicos en la vivienda",
            "No basic services in the dwelling",
            "Sans services de base dans le logement",
            _PCT,
            True,
        ),
        _ind(
            "carencia_alimentacion_pct",
            "Carencia por acceso a la alimentación",
            "No access to adequate food",
            "Sans accès à une alimentation adéquate",
            _PCT,
            True,
        ),
        _ind(
            "ingreso_bajo_linea_pobreza_pct",
            "Ingreso inferior a la línea de pobreza por ingresos",
            "Income below the poverty line",
            "Revenu sous le seuil de pauvreté",
            _PCT,
            True,
        ),
        _ind(
            "ingreso_bajo_linea_pobreza_extrema_pct",
            "Ingreso inferior a la línea de pobreza extrema por ingresos",
            "Income below the extreme poverty line",
            "Revenu sous le seuil d'extrême pauvreté",
            _PCT,
            True,
        ),
        _ind("population_total", "Población total", "Total population", "Population totale", "count", None),
        _ind(
            "population_projection_conapo_midyear",
            "Población proyectada a mitad de año (CONAPO)",
            "Mid-year population projection (CONAPO)",
            "Projection de population en milieu d'année (CONAPO)",
            "count",
            None,
        ),
        _ind(
            "marginalisation_index",
            "Índice de marginación (mayor = menos marginado)",
            "Marginalisation index (higher = less marginalised)",
            "Indice de marginalisation (plus élevé = moins marginalisé)",
            "index",
            False,
        ),
        _ind(
            "marginalisation_grade",
            "Grado de marginación",
            "Marginalisation grade",
            "Degré de marginalisation",
            "category",
            None,
        ),
        _ind(
            "density",
            "Densidad de población",
            "Population density",
            "Densité de population",
            "density",
            None,
            derived_from=("population_total", "area_km2"),
            note="population_total / area_km2 (area computed from INEGI geometry)",
        ),
        _ind(
            "poverty_persons_est",
            "Personas en pobreza (estimación)",
            "People in poverty (estimate)",
            "Personnes en situation de pauvreté (estimation)",
            "count",
            True,
            derived_from=("poverty_pct", "population_total"),
            note="poverty_pct × census population_total / 100; CONEVAL applies the share to its own population base, so its own counts differ (Iztapalapa 2020: ≈773,000 as reported)",
        ),
        _ind(
            "poverty_persons",
            "Personas en pobreza (según fuente)",
            "People in poverty (as reported)",
            "Personnes en situation de pauvreté (selon la source)",
            "count",
            True,
        ),
        _ind(
            "unmet_basic_needs_pct_evalua",
            "Necesidades básicas insatisfechas (EVALÚA)",
            "Unmet basic needs (EVALÚA method)",
            "Besoins de base non satisfaits (méthode EVALÚA)",
            _PCT,
            True,
        ),
        _ind("median_age", "Edad mediana", "Median age", "Âge médian", "years", None),
        _ind("male_share_pct", "Población masculina", "Male population", "Population masculine", _PCT, None),
        _ind(
            "population_10_19",
            "Población de 10 a 19 años",
            "Population aged 10–19",
            "Population de 10 à 19 ans",
            "count",
            None,
        ),
        _ind(
            "population_12_17",
            "Población de 12 a 17 años",
            "Population aged 12–17",
            "Population de 12 à 17 ans",
            "count",
            None,
        ),
        _ind(
            "population_15_19",
            "Población de 15 a 19 años",
            "Population aged 15–19",
            "Population de 15 à 19 ans",
            "count",
            None,
        ),
        _ind(
            "population_18_24",
            "Población de 18 a 24 años",
            "Population aged 18–24",
            "Population de 18 à 24 ans",
            "count",
            None,
        ),
        _ind(
            "population_18_29",
            "Población de 18 a 29 años",
            "Population aged 18–29",
            "Population de 18 à 29 ans",
            "count",
            None,
        ),
        _ind(
            "population_20_24",
            "Población de 20 a 24 años",
            "Population aged 20–24",
            "Population de 20 à 24 ans",
            "count",
            None,
        ),
        _ind(
            "population_20_29",
            "Población de 20 a 29 años",
            "Population aged 20–29",
            "Population de 20 à 29 ans",
            "count",
            None,
        ),
        _ind(
            "population_25_29",
            "Población de 25 a 29 años",
            "Population aged 25–29",
            "Population de 25 à 29 ans",
            "count",
            None,
        ),
        _ind(
            "youth_15_29_share_pct",
            "Jóvenes de 15 a 29 años",
            "Young people aged 15–29",
            "Jeunes de 15 à 29 ans",
            _PCT,
            None,
        ),
        _ind(
            "youth_18_29_share_pct",
            "Jóvenes de 18 a 29 años",
            "Young people aged 18–29",
            "Jeunes de 18 à 29 ans",
            _PCT,
            None,
        ),
        _ind(
            "youth_20_29_share_pct",
            "Jóvenes de 20 a 29 años",
            "Young people aged 20–29",
            "Jeunes de 20 à 29 ans",
            _PCT,
            None,
        ),
    )
}

DERIVED_SOURCE = "Derived by the Atlas from: {inputs}"


def derive_indicators(indicators: pd.DataFrame, areas_km2: pd.Series) -> pd.DataFrame:
    """Return the derived rows (density, estimated people in poverty).

    ``areas_km2`` is indexed by ``cvegeo``. Rows exist only where every input
    exists for the same borough and year; their ``source`` names the inputs'
    sources so a derived figure is never shown without where it came from.
    """
    pop = indicators[indicators["indicator"] == "population_total"].set_index(["cvegeo", "year"])
    poverty = indicators[indicators["indicator"] == "poverty_pct"].set_index(["cvegeo", "year"])

    density = pop[["value", "source"]].copy()
    density["value"] = pop["value"] / pop.index.get_level_values("cvegeo").map(areas_km2).to_numpy()
    density["unit"] = "persons per km²"
    density["source"] = [
        DERIVED_SOURCE.format(
            inputs=f"population_total ({src}); area_km2 (INEGI Marco Geoestadístico geometry, equal-area)"
        )
        for src in pop["source"]
    ]
    density["source_url"] = pop["source_url"]
    density["indicator"] = "density"

    joined = poverty.join(pop, how="inner", lsuffix="_pov", rsuffix="_pop")
    persons = pd.DataFrame(
        {
            "value": (joined["value_pov"] * joined["value_pop"] / 100).round(0),
            "unit": "persons (estimate)",
            "source": [
                DERIVED_SOURCE.format(inputs=f"poverty_pct ({a}) × population_total ({b})")
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


def mappable(indicators: pd.DataFrame, n_boroughs: int = 16) -> dict[str, list[int]]:
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
