"""Plotly charts of the Atlas data, one module per chart family.

- :mod:`geo.charts.ranking`: boroughs ranked by an indicator, with the city value;
- :mod:`geo.charts.need`: need against programme provision;
- :mod:`geo.charts.trend`: change over time;
- :mod:`geo.charts.sites`: a programme's openings per year and sites by status;
- :mod:`geo.charts.pcmb`: PCMB project counts and budgets as reported;
- :mod:`geo.charts.grades`: each borough's people by the CONAPO grade of their AGEB;
- :mod:`geo.charts.reach`: each borough's people within walking reach, counted by AGEB;
- :mod:`geo.charts.colonias`: a borough's colonias with most people in high marginalisation;
- :mod:`geo.charts.usersites`: a visitor's sites per borough (per 100,000 people) and per colonia;
- :mod:`geo.charts.userindicator`: a visitor's indicator table, ranked;
- :mod:`geo.charts.display`: a chart's table, selection and text alternative on the page.

Each chart is a ``*_data`` function (the tidy table: the chart's download and
data table), a figure function returning the figure and that table, and a
``describe_*`` text alternative, in the same module. Pure builders, no
Streamlit. Every figure names its source under the plot, uses colour-blind-safe
colours (Paul Tol's "safe" set as shipped by plotly, plus lightness, dashes or
patterns so nothing is told by hue alone; grades in the AGEB map's colours) and
puts the borough code (a colonia's key, for colonia marks) in ``customdata`` of
every mark, so a Streamlit selection maps back to boroughs or colonias
(:func:`geo.charts.display.codes_from_selection`).

Every text is in the view's language (``lang``; catalogue ``geo/locales/charts.toml``)
and numbers follow its locale: babel formats the texts, and the layout's
``separators`` make plotly's own ticks and hover numbers agree with it.
Borough names come from the loaded boundaries (``Atlas.borough_names``),
passed in as ``names``. Texts from data files and from the catalogue are
HTML-escaped before plotly renders them.
"""
