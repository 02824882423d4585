"""The Atlas's closed vocabularies: the city and its boroughs, programmes and site statuses, defined once.

The URL state, the data schemas, the filters, the charts and the brief all read
these tuples; the names of programmes and statuses in each language are
``labels.programme.<id>`` and ``labels.status.<id>`` in ``geo/locales/labels.toml``
(borough names are data: ``data/boroughs.geojson``). The order is the order
in which they are listed everywhere (filters, legends, charts).
"""

from __future__ import annotations

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
