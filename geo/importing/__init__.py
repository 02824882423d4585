"""A visitor's own data: read a file safely, check it row by row, locate it in the city's units.

Nothing here trusts the file: its encoding, delimiter, types, coordinates,
codes and names are all checked, and every finding is reported
(:class:`geo.importing.findings.Finding`) before anything is used. Modules:
``read`` (bytes → a table or a GeoDataFrame, within ``limits``; by way of
``archive``, ``text``, ``table``, ``excel`` and ``spatial``), ``templates``
(the CSV template of each kind), ``columns`` (which column plays which role),
``values`` (one cell as a number, date, status or code), ``crs`` (which
coordinate system), ``check`` and ``locate`` (rows checked and placed in the
Atlas's units).
Plain Python: no Streamlit.
"""
