"""Indicator systems (frameworks): channels (一级指标) → indicators (二级指标)."""

from .schema import Channel, Framework, Indicator, Level, KINDS
from .loading import (BUILTIN, DEFAULT_FRAMEWORK, builtin_ids, column_header, framework_table, load_framework,
                      range_text, rule_text, table1)

__all__ = ["Channel", "Framework", "Indicator", "Level", "KINDS", "BUILTIN", "DEFAULT_FRAMEWORK", "builtin_ids",
           "load_framework", "framework_table", "table1", "column_header", "range_text", "rule_text"]
