"""The city multi-channel survey (seed 003): channels × service areas × cities.

Adoption rates with Wilson intervals by city group and region, key vs prefecture-level
exact tests, channel co-occurrence, per-city coverage scores, ranks and gaps, and the
comparison with benchmark (published) rates. Pipeline entry point: :func:`coverage_tables`.
"""

from .analysis import TABLES, CoverageResult, add_to_result, coverage_tables
from .benchmarks import compare, published_benchmarks, published_benchmarks_path, read_benchmarks
from .intervals import newcombe_interval, wilson_interval
from .layout import coverage_data, coverage_layout
from .rates import adoption_rates, pooled_rates, rates_by_region

__all__ = ["CoverageResult", "coverage_tables", "add_to_result", "TABLES", "compare", "published_benchmarks",
           "published_benchmarks_path", "read_benchmarks", "wilson_interval", "newcombe_interval",
           "coverage_data", "coverage_layout", "adoption_rates", "pooled_rates", "rates_by_region"]
