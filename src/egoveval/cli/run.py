"""``egoveval run [STUDY.yaml] [--out DIR]``: every stage, then every output."""

from __future__ import annotations

import click

from ..messages import bilingual
from ..samples import SAMPLES
from .common import console, handles_errors, warning_line

__all__ = ["run"]


@click.command()
@click.argument("study", required=False, type=click.Path(path_type=str))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=str),
              help="Output folder (default: the study's `output`) / 输出目录")
@click.option("--lang", type=click.Choice(["zh", "en", "both"]), help="Report language / 报告语言")
@click.option("--k", "k", type=int, help="Number of clusters (overrides cluster.k) / 聚类数")
@click.option("--tiers", help="Index tiers (overrides index.tiers): un, cn or thresholds T1,T2,… / 指数等级")
@click.option("--rank", "rank_rule", type=click.Choice(["competition", "dense"]),
              help="Index rank rule (overrides index.rank) / 排名规则")
@click.option("--sample", type=click.Choice(SAMPLES),
              help="Run a bundled SYNTHETIC sample study (default without STUDY: provincial-channels) / 运行内置合成样例")
@handles_errors
def run(study, out_dir, lang, k, tiers, rank_rule, sample):
    """Run a study (no argument: the bundled SYNTHETIC sample study). / 运行研究（无参数时运行内置合成样例）。"""
    from ..errors import InputError, Problem
    from ..io.writers import check_output_target
    from ..report.outputs import write_outputs
    from ..study import load_study
    from ..study import run as run_study

    if study is not None and sample is not None:
        raise InputError([Problem.of("run.study_and_sample", file=study, value=sample)])
    overrides = {"report.lang": lang, "cluster.k": k, "index.tiers": tiers, "index.rank": rank_rule}
    if out_dir:
        overrides["output"] = out_dir
    loaded = load_study(study, {k_: v for k_, v in overrides.items() if v is not None}, sample=sample)
    if study is None:
        console.print(bilingual("run.sample", sample=loaded.sample))
    check_output_target(loaded.output, loaded.input_paths)  # before minutes of work, not after
    result = run_study(loaded)
    out = write_outputs(result, loaded.output, loaded.settings["report"]["lang"], inputs=loaded.input_paths)
    for w in result.warnings:
        console.print(warning_line(w))
    console.print(bilingual("run.done", path=out / "report.html"))
