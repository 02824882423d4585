"""The Atlas's closed vocabularies: programmes and site statuses, defined once.

The URL state, the data schemas, the filters, the charts and the brief all read
these tuples; their names in each language are ``labels.programme.<id>`` and
``labels.status.<id>`` in ``geo/locales/labels.toml``. The order is the order
in which they are listed everywhere (filters, legends, charts).
"""

from __future__ import annotations

# Every programme the Atlas shows: UTOPÍAS as sites, the PCMB as a yearly series.
PROGRAMMES = ("utopias", "pcmb")
# The programmes whose sites are rows of data/utopias.csv.
SITE_PROGRAMMES = ("utopias",)
STATUSES = ("open", "under_construction", "announced")
# CONAPO's marginalisation grades (grado de marginación), from least to most need.
MARGINALISATION_GRADES = ("Muy bajo", "Bajo", "Medio", "Alto", "Muy alto")
