"""``egoveval validate FILE [--framework ID]``: every problem at once; exit 0 clean, 2 otherwise."""

from __future__ import annotations

import click

from ..frameworks.loading import DEFAULT_FRAMEWORK
from ..messages import bilingual
from .common import console, handles_errors, print_problems

__all__ = ["validate"]


@click.command()
@click.argument("file", type=click.Path(path_type=str))
@click.option("--framework", "framework_id", default=DEFAULT_FRAMEWORK, show_default=True,
              help="Built-in framework id or YAML file / 指标体系")
@click.option("--units", "units_spec", default=None, help="provinces | cities | FILE (default: the framework's)")
@click.option("--sheet", default=None, help="XLSX sheet name / 工作表")
@handles_errors
def validate(file, framework_id, units_spec, sheet):
    """Check a data file against a framework. / 按指标体系检查数据文件。"""
    from ..frameworks import load_framework
    from ..io.observations import read_observations
    from ..units import load_units

    framework = load_framework(framework_id)
    units = load_units(units_spec or framework.units)
    obs = read_observations(file, framework, units, sheet=sheet)
    if obs.warnings:
        print_problems(obs.warnings, to=console)
    console.print(bilingual("validate.clean", units=len(obs.values), indicators=obs.values.shape[1]))
