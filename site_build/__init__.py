"""Build-time code of the course site: plain functions any generator can use.

The exercise directive is a Python-Markdown extension (exercise_directive.py);
everything else runs before or after the pages (finish.py), from the MkDocs hooks
(hooks.py, a thin adapter) or from `python -m site_build check | finish SITE_DIR`.
Data flows one way: YAML and Python sources in the repository -> validated
models -> files written into the built site (JSON, wheel, Pyodide runtime).
"""
