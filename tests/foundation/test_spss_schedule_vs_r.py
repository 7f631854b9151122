"""The SPSS schedule's bookkeeping (clusters combined, stage cluster first appears, next stage)
derived independently from R's merge matrix on the real UN E-Government Survey 2018 table
(tests/r/cluster_ward_un.R → tests/fixtures/r/cluster/ward_un_merge.csv)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from egoveval.cluster import build_tree, spss_schedule
from egoveval.standardize import standardize

TESTS = Path(__file__).resolve().parents[1]
MERGE = TESTS / "fixtures" / "r" / "cluster" / "ward_un_merge.csv"


def spss_from_r_merge(merge: pd.DataFrame) -> pd.DataFrame:
    """R ``hclust$merge`` (row s joins m1 and m2: −i is case i, +j the cluster formed at stage j)
    → SPSS's columns. A cluster is named by its smallest case; "first appears" is the stage that
    formed a combined cluster (0 for a single case); "next stage" the later stage whose merge
    refers to this one (0 for the last)."""
    members: dict[int, frozenset[int]] = {}
    rows = []
    for s, m1, m2 in merge[["stage", "m1", "m2"]].itertuples(index=False):
        sides = []
        for m in (m1, m2):
            cases = frozenset({-m}) if m < 0 else members[m]
            sides.append((min(cases), 0 if m < 0 else m, cases))
        (c1, f1, a), (c2, f2, b) = sorted(sides)
        members[s] = a | b
        rows.append({"stage": s, "cluster_1": c1, "cluster_2": c2, "first_appears_1": f1,
                     "first_appears_2": f2})
    used_at = {m: s for s, m1, m2 in merge[["stage", "m1", "m2"]].itertuples(index=False) for m in (m1, m2) if m > 0}
    for row in rows:
        row["next_stage"] = used_at.get(row["stage"], 0)
    return pd.DataFrame(rows)


def test_derivation_by_hand():
    # cases 1..4 at 0, 1, 5, 6: stage 1 joins 1+2, stage 2 joins 3+4, stage 3 joins both
    merge = pd.DataFrame({"stage": [1, 2, 3], "m1": [-1, -3, 1], "m2": [-2, -4, 2]})
    got = spss_from_r_merge(merge)
    assert got.values.tolist() == [[1, 1, 2, 0, 0, 3], [2, 3, 4, 0, 0, 3], [3, 1, 3, 1, 2, 0]]


def test_schedule_bookkeeping_equals_r_merge_matrix():
    un = pd.read_csv(TESTS / "data" / "un_egdi_2018.csv").set_index("iso3")[["osi", "hci", "tii"]]
    tree = build_tree(standardize(un, "z").data.to_numpy(), list(un.index))
    ours = spss_schedule(tree)
    expected = spss_from_r_merge(pd.read_csv(MERGE))
    columns = ["stage", "cluster_1", "cluster_2", "first_appears_1", "first_appears_2", "next_stage"]
    assert len(ours) == len(un) - 1
    pd.testing.assert_frame_equal(ours[columns].reset_index(drop=True), expected[columns], check_dtype=False)
