"""Build-time code of the course site: MkDocs hooks and the steps they run.

Data flows one way: YAML and Python sources in the repository -> validated
models -> files written into the built site (JSON, wheel, Pyodide runtime).
"""
