"""qip-site: publish Vietnamese schools' quality improvement plans as a searchable website.

Data flow, one module per step: load (YAML → data with positions) → validate (schema.py, then
checks across files) → model (schools, plans, per-year views) → render (Jinja2 templates →
Markdown pages) → site (a thin MkDocs plugin adds them as virtual files).
"""

__version__ = "0.1.0"
