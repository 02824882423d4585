"""The one-page brief: what a screen shows, on an A4 landscape page (PNG or PDF) for people who
will not open the Atlas.

:mod:`geo.brief.content` says what a brief holds (from the screen's model:
:mod:`geo.mapmodel`, :mod:`geo.profilemodel`, the charts' tables);
:mod:`geo.brief.layout` draws it with matplotlib (helped by
:mod:`geo.brief.text`, :mod:`geo.brief.mapdraw` and :mod:`geo.brief.chartdraw`)
and returns the file's bytes.
"""
