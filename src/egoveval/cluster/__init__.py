"""Hierarchical clustering with SPSS and R semantics: trees, schedules, cuts, profiles, types."""

from .tree import Tree, build_tree, heights, to_r_merge
from .schedule import spss_schedule
from .cut import cut, memberships

__all__ = ["Tree", "build_tree", "heights", "to_r_merge", "spss_schedule", "cut", "memberships"]
