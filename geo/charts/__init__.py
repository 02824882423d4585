"""Plotly charts of the Atlas data, one module per chart family.

- :mod:`geo.charts.ranking`: boroughs ranked by an indicator, with the city value;
- :mod:`geo.charts.need`: need against programme provision;
- :mod:`geo.charts.trend`: change over time;
- :mod:`geo.charts.sites`: a programme's openings per year and sites by status;
- :mod:`geo.charts.pcmb`: PCMB project counts and budgets as reported;
- :mod:`geo.charts.display`: a chart's table, selection and text alternative on the page.

Each chart is a ``*_data`` function (the tidy table: the chart's download and
data table), a figure function returning the figure and that table, and a
``describe_*`` text alternative, in the same module. Pure builders, no
Streamlit. Every figure names its source under the plot, uses colour-blind-safe
colours (Paul Tol's "safe" set as shipped by plotly, plus lightness, dashes or
patterns so nothing is told by hue alone) and puts the borough code in
``customdata`` of every borough mark, so a Streamlit selection maps back to
boroughs (:func:`geo.charts.display.boroughs_from_selection`).

Every text is in the view's language (``lang``; catalogue ``geo/locales/charts.toml``)
and numbers follow its locale: babel formats the texts, and the layout's
``separators`` make plotly's own ticks and hover numbers agree with it.
Borough names come from the loaded boundaries (``Atlas.borough_names``),
passed in as ``names``. Texts from data files and from the catalogue are
HTML-escaped before plotly renders them.
"""
