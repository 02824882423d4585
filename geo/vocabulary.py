"""The Atlas's closed vocabularies: the city and its boroughs, programmes and site statuses, defined once.

The URL state, the data schemas, the filters, the charts and the brief all read
these tuples; the names of programmes and statuses in each language are
``labels.programme.<id>`` and ``labels.status.<id>`` in ``geo/locales/labels.toml``
(borough names are data: ``data/boroughs.geojson``). The order is the order
in which they are listed everywhere (filters, legends, charts).
"""

from __future__ import annotations

import re

# INEGI's state code of Mexico City (CVE_ENT), and the codes (CVEGEO) of its 16 boroughs, 09002–09017.
CITY_CODE = "09"
BOROUGHS = tuple(f"{CITY_CODE}{n:03d}" for n in range(2, 18))
# Every programme the Atlas shows: UTOPÍAS as sites, the PCMB as a yearly series.
UTOPIAS, PCMB = "utopias", "pcmb"
PROGRAMMES = (UTOPIAS, PCMB)
# The programmes whose sites are rows of data/utopias.csv.
SITE_PROGRAMMES = (UTOPIAS,)
STATUSES = ("open", "under_construction", "announced")
# CONAPO's marginalisation grades (grado de marginación), from least to most need.
MARGINALISATION_GRADES = ("Muy bajo", "Bajo", "Medio", "Alto", "Muy alto")
# The grades the Atlas counts as high marginalisation ("people in need" at neighbourhood level).
HIGH_GRADES = MARGINALISATION_GRADES[3:]


def grade_key(grade: str) -> str:
    """The catalogue key of a grade (``labels.grade.<key>``): "Muy alto" → "muy_alto"."""
    return grade.lower().replace(" ", "_")


# The map's geography levels, coarsest first: the URL's ``level`` and the level switch.
BOROUGH_LEVEL, COLONIA_LEVEL, AGEB_LEVEL = "boroughs", "colonias", "agebs"
LEVELS = (BOROUGH_LEVEL, COLONIA_LEVEL, AGEB_LEVEL)
# The eleven components of CONAPO's urban marginalisation index (columns of data/agebs.csv, shares in %).
MARGINALISATION_COMPONENTS = (
    "p6a14nae",
    "sbasc",
    "psdss",
    "ovsde",
    "ovsee",
    "ovsae",
    "ovpt",
    "ovhac",
    "ovsref",
    "ovsint",
    "ovscel",
)
# What an AGEB can be shaded by, the default first: CONAPO's grade, its index, and its components.
AGEB_INDICATORS = ("gm_2020", "im_2020", *MARGINALISATION_COMPONENTS)

#: The id of a shipped deck, or of a layer or deck the team published (geo.store): slug-safe, for URLs.
ITEM_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,60}$")
#: The ``pub`` URL value that shows none of the team's published layers (not an id: ids start alphanumeric).
NO_PUBLISHED = "-"
#: At most this many published layers can be named in a view.
MAX_PUBLISHED = 20
