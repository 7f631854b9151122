"""Seeded generators of the synthetic sample studies (shared by tests, docs and the demo).

The data are SYNTHETIC: generated to mirror what the source study reports, not
collected. Clusters found in them reflect how the data were generated, not a finding.
"""

from .provincial import (SAMPLE_SEED, STUDY_CLUSTERS, build_sample, generate_provincial,
                         render_collection, sample_study_path, write_provincial_sample)

__all__ = ["SAMPLE_SEED", "STUDY_CLUSTERS", "SAMPLES", "build_sample", "generate_provincial", "render_collection",
           "sample_path", "sample_study_path", "write_provincial_sample"]

#: The bundled sample studies by framework id; the first is what plain ``egoveval run`` runs.
SAMPLES = ("provincial-channels", "city-multichannel")


def sample_path(name: str = SAMPLES[0]):
    """The study file of a bundled sample (``provincial-channels`` or ``city-multichannel``)."""
    if name == "city-multichannel":
        from .city import city_study_path

        return city_study_path()
    if name == "provincial-channels":
        return sample_study_path()
    raise ValueError(f"unknown sample {name!r}; samples: {', '.join(SAMPLES)}")
