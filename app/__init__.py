"""The Streamlit app of 长治项目一张图, one module per part of the page.

``streamlit_app.py`` is the entry point; it sets up the page and runs
:mod:`app.pages`. Modules: :mod:`app.state` (session keys and per-session
values), :mod:`app.data` (the cached data edge), :mod:`app.config` (secrets),
:mod:`app.url` (the view in the URL), :mod:`app.labels`, :mod:`app.sidebar`,
:mod:`app.signin`, :mod:`app.map_page`, :mod:`app.export_panel` and the staff
pages :mod:`app.staff_import`, :mod:`app.staff_review`, :mod:`app.staff_history`;
:mod:`app._heap` sets the process's long-lived heap aside from the garbage collector.
"""
