"""What a reader must be told about a diagnosed cut, as catalogue messages: the conventions
(linkage and distance, the silhouettes' distance, the gap statistic's reference
distribution and rule, the null reference's design, the unit-order check) and the
warnings (the partition depends on the order of the units; tied merges that were not
checked). The pipeline puts the notes under its tables and the warnings in the report's
Clusters section; ``egoveval cluster`` writes both to ``notes.md`` and prints the warnings.

The order warning comes from the unit-order check itself, not from tied merge costs
alone: well-separated data with duplicate rows have many tied stages whose order does not
matter (the partition at k is the same under every order), and flagging them would be a
false alarm. Tied stages are given as the detail.

>>> stage_list([1, 2, 3, 7, 9, 10])
'1–3, 7, 9–10'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from ..messages import Message, msg, text
from .kchoice import silhouette_metric
from .tree import method_names, metric_names

if TYPE_CHECKING:  # pragma: no cover
    from .diagnose import Diagnostics

__all__ = ["stage_list", "method_note", "gap_note", "null_note", "order_note", "silhouette_note",
           "order_warning", "notes_of", "notes_markdown"]


def stage_list(stages: Sequence[int]) -> str:
    """Stage numbers with runs written as ranges (``—`` when there are none)."""
    stages = sorted(int(s) for s in stages)
    if not stages:
        return "—"
    runs, start = [], stages[0]
    for prev, cur in zip(stages, stages[1:] + [None]):
        if cur is None or cur != prev + 1:  # a run ends at prev
            runs.append(str(start) if start == prev else f"{start}–{prev}")
            start = cur
    return ", ".join(runs)


def method_note(method: str, metric: str, n: int) -> Message:
    return msg("cluster.note.method", n=n, **method_names(method), **metric_names(metric))


def silhouette_note(method: str, metric: str) -> Message:
    names = metric_names(silhouette_metric(method, metric))
    return msg("cluster.note.silhouette", distance_zh=names["metric_zh"], distance_en=names["metric_en"])


def gap_note(d: "Diagnostics") -> Message | None:
    s = d.settings
    if d.gap is None or not s.get("k_range"):
        return None
    ks = [int(k) for k in d.kstats["k"]]
    k_max = int(d.gap["k"].max())
    space = s["gap_space"]
    return msg("cluster.note.gap", B=s["gap_b"], seed=s["seed"], k_max=k_max, k_top=k_max - 1, lo=ks[0],
               hi=ks[-1], space_zh=text(f"cluster.gap_space.{space}", "zh"),
               space_en=text(f"cluster.gap_space.{space}", "en"))


def null_note(d: "Diagnostics") -> Message | None:
    if d.null_stability is None or not len(d.null_stability):
        return None
    row = d.null_stability.iloc[0]
    return msg("cluster.note.null", sets=int(row["null_sets"]), resamples=int(row["null_resamples"]),
               clusters=int(row["null_clusters"]), k=d.k, B=d.settings["bootstrap"], mean=float(row["jaccard_mean"]),
               p05=float(row["jaccard_p05"]), p95=float(row["jaccard_p95"]))


def order_note(d: "Diagnostics") -> Message | None:
    if d.order is None:
        return None
    return msg("cluster.note.order", permutations=d.order.P, k=d.k)


def order_warning(d: "Diagnostics") -> Message | None:
    """The partition changed under some unit order (with its share, ARI range and tied
    stages), or tied merges were found and the order check was not run; else None."""
    if d.order_dependent:
        lo, hi = d.order.ari_range
        return msg("cluster.order_dependent", permutations=d.order.P, share=d.order.share_changed,
                   ari_min=lo, ari_max=hi, stages=stage_list(d.tied_stages))
    if d.order is None and d.tied_stages:
        return msg("cluster.ties_unchecked", stages=stage_list(d.tied_stages))
    return None


def notes_of(d: "Diagnostics") -> list[Message]:
    """Every convention note that applies to ``d``, in reading order."""
    s = d.settings
    found = [method_note(s["method"], s["metric"], len(d.membership)), silhouette_note(s["method"], s["metric"]),
             gap_note(d), null_note(d), order_note(d)]
    return [m for m in found if m is not None]


def notes_markdown(notes: Sequence[Message], warnings: Sequence[Message] = ()) -> str:
    """``notes.md``: the warnings, then the notes, in Chinese and then in English."""
    out = []
    for lang in ("zh", "en"):
        out += [f"## {text('cluster.notes.title', lang)}", ""]
        out += [f"- **{m.render(lang)}**" for m in warnings]
        out += [f"- {m.render(lang)}" for m in notes]
        out.append("")
    return "\n".join(out)
