"""Typed cluster descriptions (the study's Table 5), in Chinese and English, generated from
the statistics alone: type label and rank (:mod:`.typology`), size and members, overall
level, strengths and weaknesses by channel with their standardised means
(:mod:`.separation`), the gaps to the neighbouring types, and optionally the bootstrap
stability (:mod:`.stability`). All wording is in ``messages/cluster_describe.yaml``; the
text is a deterministic function of the inputs (clusters in rank order, channels in
framework order, indicators by |mean| then id).

The overall level of cluster c is L_c = (1/p) Σ_j d_j·z̄_cj (z-scores, n − 1 SD; d_j the
direction); the comparison reports L differences to the types ranked just above and below.

>>> import pandas as pd
>>> q = pd.DataFrame({"a": [1.0, 2.0, 9.0, 10.0], "b": [5.0, 4.0, 1.0, 0.0]}, index=list("wxyz"))
>>> d = describe_clusters(q, pd.Series([1, 1, 2, 2], index=q.index), directions={"b": -1})
>>> d.table[["cluster", "rank", "label_en"]].values.tolist()
[[2, 1, 'Level 1 of 2 (highest)'], [1, 2, 'Level 2 of 2 (lowest)']]
>>> print(d.table.loc[0, "text_en"])
2 units (50%); overall level +0.85, ranked 1 of 2.
Members: y, z.
Strengths: a +0.86, b -0.84.
No indicator falls to -0.5.
Its overall level is 1.70 above that of the other type, Level 2 of 2 (lowest).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ..messages import LANGS, text
from .separation import cluster_z_means, indicator_tests, strengths_weaknesses
from .typology import type_clusters

__all__ = ["Descriptions", "describe_clusters", "bilingual_name"]


def bilingual_name(names: Mapping | None, key, lang: str) -> str:
    """``names[key]`` as a string or a (zh, en) pair; the key itself when absent."""
    if not names or key not in names:
        return str(key)
    v = names[key]
    if isinstance(v, str):
        return v
    return v[0] if lang == "zh" else v[1]


def _fmt_p(p: float) -> str:
    if not np.isfinite(p):
        return "–"
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


@dataclass(frozen=True)
class Descriptions:
    table: pd.DataFrame  # cluster, rank, label_zh, label_en, level, size, members, text_zh, text_en
    markdown_zh: str
    markdown_en: str

    @property
    def markdown(self) -> str:
        return self.markdown_zh + "\n\n" + self.markdown_en


def describe_clusters(quantified: pd.DataFrame, membership: pd.Series, *, method: str = "ward",
                      directions: Mapping[str, int] | None = None,
                      channels: Mapping[str, str] | None = None,
                      names: Mapping | None = None, indicator_names: Mapping | None = None,
                      channel_names: Mapping | None = None,
                      type_labels: Sequence | None = None, threshold: float = 0.5,
                      tests: pd.DataFrame | None = None,
                      stability: pd.DataFrame | None = None) -> Descriptions:
    """Describe each cluster of ``membership`` (unit → 1..k, indexed like ``quantified``)."""
    directions = dict(directions or {})
    lab = membership.reindex(quantified.index).to_numpy()
    zm = cluster_z_means(quantified, lab)
    types = type_clusters(zm, directions, type_labels).set_index("cluster")
    sw = strengths_weaknesses(zm, directions, channels, threshold)
    tests = indicator_tests(quantified, lab) if tests is None else tests
    k, n = len(zm), len(quantified)
    order = list(types.sort_values("rank").index)
    rows = []
    for c in order:
        members = [u for u, m in zip(quantified.index, lab) if m == c]
        row = {"cluster": int(c), "rank": int(types.loc[c, "rank"]), "label_zh": types.loc[c, "label_zh"],
               "label_en": types.loc[c, "label_en"], "level": float(types.loc[c, "level"]),
               "size": len(members), "members": list(members)}
        for lang in LANGS:
            row[f"text_{lang}"] = _cluster_text(lang, c, row, members, order, types, sw, k, n, names,
                                                indicator_names, channel_names, threshold, stability)
        rows.append(row)
    table = pd.DataFrame(rows)
    md = {lang: _markdown(lang, table, tests, method, k, n, threshold, indicator_names) for lang in LANGS}
    return Descriptions(table, md["zh"], md["en"])


def _items(lang, sub: pd.DataFrame, indicator_names, channel_names) -> str:
    groups = []
    for channel, g in sub.groupby("channel", sort=False):
        inner = text("describe.sep.items", lang).join(
            text("describe.indicator_value", lang, name=bilingual_name(indicator_names, r.indicator, lang),
                 value=r.z_mean) for r in g.itertuples())
        groups.append(text("describe.channel_group", lang, channel=bilingual_name(channel_names, channel, lang),
                           items=inner) if channel else inner)
    return text("describe.sep.channels", lang).join(groups)


def _cluster_text(lang, c, row, members, order, types, sw, k, n, names, indicator_names, channel_names,
                  threshold, stability) -> str:
    label = row[f"label_{lang}"]
    parts = [text("describe.overall", lang, size=row["size"], share=row["size"] / n, level=row["level"],
                  rank=row["rank"], k=k)]
    sep = text("describe.sep.items", lang)
    parts.append(text("describe.members", lang, members=sep.join(bilingual_name(names, u, lang) for u in members)))
    mine = sw[sw["cluster"] == c]
    for kind, key, none in (("strength", "describe.strengths", "describe.no_strengths"),
                            ("weakness", "describe.weaknesses", "describe.no_weaknesses")):
        sub = mine[mine["kind"] == kind]
        parts.append(text(key, lang, items=_items(lang, sub, indicator_names, channel_names)) if len(sub)
                     else text(none, lang, threshold=threshold))
    pos = order.index(c)
    lvl = types["level"]

    def lab_of(o):
        return types.loc[o, f"label_{lang}"]

    if k == 1:
        parts.append(text("describe.compare.single", lang))
    elif k == 2:
        other = order[1 - pos]
        key = "describe.compare.pair_top" if pos == 0 else "describe.compare.pair_bottom"
        parts.append(text(key, lang, other=lab_of(other), gap=abs(lvl[c] - lvl[other])))
    elif pos == 0:
        parts.append(text("describe.compare.top", lang, other=lab_of(order[1]), gap=lvl[c] - lvl[order[1]]))
    elif pos == k - 1:
        parts.append(text("describe.compare.bottom", lang, other=lab_of(order[-2]), gap=lvl[order[-2]] - lvl[c]))
    else:
        a, b = order[pos - 1], order[pos + 1]
        parts.append(text("describe.compare.middle", lang, above=lab_of(a), below=lab_of(b),
                          gap_above=lvl[a] - lvl[c], gap_below=lvl[c] - lvl[b]))
    if stability is not None:
        s = stability.set_index("cluster").loc[c]
        common = dict(jaccard=s["jaccard_mean"], band=text(f"value.band.{s['band']}", lang),
                      null=s["null_jaccard_mean"])
        if "null_jaccard_p05" in s.index:
            parts.append(text("describe.stability.band", lang, low=s["null_jaccard_p05"],
                              high=s["null_jaccard_p95"], **common))
        else:
            parts.append(text("describe.stability", lang, **common))
    return "\n".join(parts)


def _markdown(lang, table, tests, method, k, n, threshold, indicator_names) -> str:
    out = [f"## {text('describe.doc_title', lang)}", "",
           text("describe.intro", lang, n=n, k=k, method=text(f"cluster.method.{method}", lang),
                threshold=threshold)]
    t = tests.dropna(subset=["epsilon2"]).sort_values(["epsilon2", "indicator"], ascending=[False, True]).head(3)
    if len(t):
        items = text("describe.sep.items", lang).join(
            text("describe.separating.item", lang, name=bilingual_name(indicator_names, r.indicator, lang),
                 epsilon2=r.epsilon2, p=_fmt_p(r.kw_p)) for r in t.itertuples())
        out += ["", text("describe.separating", lang, items=items)]
    for r in table.itertuples():
        out += ["", f"### {text('describe.heading', lang, label=getattr(r, f'label_{lang}'), cluster=r.cluster)}", ""]
        out += [line + "  " if i < len(lines) - 1 else line
                for lines in [getattr(r, f"text_{lang}").split("\n")] for i, line in enumerate(lines)]
    return "\n".join(out)
