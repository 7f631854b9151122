"""Rendering a Result: figures, HTML report, workbook, CSV, manifest."""
