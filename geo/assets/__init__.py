"""Offline copies of the JS/CSS that folium's maps load from CDNs.

streamlit-folium loads a map's scripts and stylesheets one after another and
draws an *empty* map, with no useful error, if any one of them fails. With no
internet every CDN link fails, so the Atlas can serve the same files itself.
Three modules, one job each:

* :mod:`geo.assets.manifest`: which CDN file is which file of a pinned npm
  package, which CDN files are left out and why, and which of the needed files
  are missing from ``static/vendor/``.
* :mod:`geo.assets.install`: ``npm ci`` in a temporary folder and a copy of
  the needed files into ``static/vendor/`` (``python -m geo.assets``, which
  ``make run`` calls; ``--check`` only lists what is missing).
* :mod:`geo.assets.serve`: points folium's class-level script and stylesheet
  lists at the files Streamlit serves at ``/app/static/vendor/``, or back at
  the CDNs. :mod:`geo.standalone` inlines the same files into an HTML export.

Not covered: streamlit-folium hard-codes two d3 CDN links for any branca
``ColorMap`` on the map (e.g. a ``folium.Choropleth`` legend); those cannot be
redirected through folium's class attributes, so offline maps must not carry a
branca legend.

Pure Python: no Streamlit import, so tests and the CLI run without a server.
"""
