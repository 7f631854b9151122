"""Indicator systems (frameworks): channels (一级指标) → indicators (二级指标)."""

from .schema import Channel, Framework, Indicator, Level, KINDS
from .loading import BUILTIN, builtin_ids, load_framework, framework_table

__all__ = ["Channel", "Framework", "Indicator", "Level", "KINDS", "BUILTIN", "builtin_ids",
           "load_framework", "framework_table"]
