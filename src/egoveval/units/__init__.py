"""Units of evaluation: the 32 provincial units, city-level units, custom lists.

The reference tables in ``data/`` are copies of the project's verified tables
(GB/T 2260 codes, NBS regions, adjacency; see ``data/SOURCES.md``).
"""

from .registry import UnitRegistry, cities, key_cities, load_units, provinces
from .matching import normalise_name

__all__ = ["UnitRegistry", "provinces", "cities", "key_cities", "load_units", "normalise_name"]
