"""Scripts that regenerate parts of the docs, run from the repository root:
`python -m docs.scripts.zoo_page`, `python -m docs.scripts.calibrate_metrics`."""
