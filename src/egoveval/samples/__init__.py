"""Seeded generators of the synthetic sample studies (shared by tests, docs and the demo).

The data are SYNTHETIC: generated to mirror what the source study reports, not
collected. Clusters found in them reflect how the data were generated, not a finding.
"""

from .provincial import (SAMPLE_SEED, STUDY_CLUSTERS, build_sample, generate_provincial,
                         render_collection, sample_study_path, write_provincial_sample)

__all__ = ["SAMPLE_SEED", "STUDY_CLUSTERS", "build_sample", "generate_provincial", "render_collection",
           "sample_study_path", "write_provincial_sample"]
