"""A study is data: a YAML file naming its framework, units, input files and the options
of each stage. :func:`run` is deterministic and returns one :class:`~egoveval.result.Result`.

Study file keys (settings sections as declared in :mod:`egoveval.settings`)::

    title: {zh: ..., en: ...}
    synthetic: false            # true marks sample data; the report shows a banner
    framework: provincial-channels   # a built-in id or a YAML file
    units: provinces            # provinces | cities | a unit list file
    data: collection.xlsx       # one verified file (wide or long) ...
    sheet: 数据                  # optional sheet name
    collections: {a: A.xlsx, b: B.xlsx, adjudication: C.xlsx}   # ... or two collections
    collection_date: 2021-03-15
    output: out/my-study        # relative to the study file
    quantify: {unbuilt_value: 0, missing: error}
    standardize: {method: z}
    cluster: {k: 4, k_range: [2, 8]}
    types: {labels: null}
    regions: {schemes: [nbs4, belt3]}
    report: {lang: both}
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime
from pathlib import Path
from typing import Any, Mapping

import yaml

from .errors import InputError, Problem
from .settings import SETTINGS, merge_settings

__all__ = ["Study", "load_study", "run", "run_until", "STUDY_KEYS"]

STUDY_KEYS = {"title", "synthetic", "framework", "units", "data", "sheet", "collections", "collection_date",
              "output"}
SECTIONS = {s.section for s in SETTINGS.values()}


@dataclass(frozen=True)
class Study:
    spec: Mapping[str, Any]  # the study file as written (plus nothing)
    settings: Mapping[str, Mapping[str, Any]]  # merged: defaults < study < command line
    base: Path  # folder of the study file: relative paths resolve against it
    path: Path | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)
    sample: str | None = None  # the bundled sample's name when this is one

    def resolve(self, relative: str | Path) -> Path:
        p = Path(relative)
        return p if p.is_absolute() else (self.base / p)

    @property
    def output(self) -> Path:
        return self.resolve(self.spec.get("output", "egoveval-output"))

    @property
    def collection_date(self) -> date | None:
        value = self.spec.get("collection_date")
        return value if isinstance(value, date) else None

    @cached_property  # reads the framework file: once per study, not once per caller
    def inputs(self) -> dict[str, Path]:
        """Every file the study reads, by the name the manifest records it under: the data or
        the collections (as the study writes them), the study file (its name), the framework
        file (its path), the unit list file (the study's ``units``, or the framework's when
        the study names none) and each file-valued setting (a ``name_or_file`` setting whose
        value is none of its built-in names, e.g. ``coverage.benchmarks``,
        ``regions.test_scheme``). Only files that exist: a missing one is reported by the
        stage that reads it."""
        from .frameworks import builtin_ids
        from .settings import SETTINGS
        from .units.registry import is_unit_file

        named: dict[str, Path] = {}
        for value in [self.spec.get("data"), *dict(self.spec.get("collections") or {}).values()]:
            if isinstance(value, (str, Path)):
                named[str(value)] = self.resolve(value)
        if self.path is not None:
            named[self.path.name] = self.path
        framework = self.spec.get("framework")
        if isinstance(framework, (str, Path)) and str(framework) not in builtin_ids():
            named[str(self.resolve(framework))] = self.resolve(framework)
        units = self.spec["units"] if "units" in self.spec else self._framework_units()
        if isinstance(units, (str, Path)) and is_unit_file(units):
            named[str(units)] = self.resolve(units)
        for s in SETTINGS.values():
            file = s.file_of(dict(self.settings.get(s.section, {})).get(s.key))
            if file is not None:
                named[file] = self.resolve(file)
        return {label: path for label, path in named.items() if path.is_file()}

    def _framework_units(self) -> str | None:
        """The framework's own unit spec (None when the framework cannot be read: the load
        stage reports why)."""
        from .frameworks import load_framework

        try:
            return load_framework(self.spec["framework"], self.base).units
        except (InputError, KeyError):
            return None

    @property
    def input_paths(self) -> tuple[Path, ...]:
        """The files of :attr:`inputs` (an output folder must not hold any of them)."""
        return tuple(dict.fromkeys(self.inputs.values()))

    @property
    def synthetic(self) -> bool:
        return bool(self.spec.get("synthetic", False))


def _check_spec(spec: Any, origin: str, base: Path) -> list[Problem]:
    if not isinstance(spec, dict):
        return [Problem.of("study.top", file=origin)]
    problems = []
    for key in spec:
        if key not in STUDY_KEYS and key not in SECTIONS:
            hint = difflib.get_close_matches(str(key), sorted(STUDY_KEYS | SECTIONS), n=1)
            problems.append(Problem.of("study.unknown_key", file=origin, column=key,
                                       hint=hint[0] if hint else "—"))
    if "framework" not in spec:
        problems.append(Problem.of("study.required", file=origin, column="framework"))
    has_data, has_coll = "data" in spec, "collections" in spec
    if has_data == has_coll:
        problems.append(Problem.of("study.data_or_collections", file=origin, column="data"))
    if has_data and not (base / str(spec["data"])).exists():
        problems.append(Problem.of("study.file_missing", file=origin, column="data", value=spec["data"]))
    if has_coll:
        coll = spec["collections"]
        if not isinstance(coll, dict) or not {"a", "b"} <= set(coll) or set(coll) - {"a", "b", "adjudication"}:
            problems.append(Problem.of("study.collections", file=origin, column="collections", value=coll))
        else:
            for key, value in coll.items():
                if not (base / str(value)).exists():
                    problems.append(Problem.of("study.file_missing", file=origin, column=f"collections.{key}",
                                               value=value))
    cd = spec.get("collection_date")
    if cd is not None and not isinstance(cd, date):
        problems.append(Problem.of("study.collection_date", file=origin, column="collection_date", value=cd))
    return problems


def _index_problems(index: Mapping[str, Any], overrides: Mapping[str, Any], origin: str) -> list[Problem]:
    """The composite index's options checked as the index stage will check them
    (:func:`egoveval.index.build.resolve_options`), so that a bad ``index.tiers`` or
    ``index.uncertainty`` stops the run at the start, not minutes into it; each problem names
    the study file or the command line and the setting (``index.<option>``)."""
    from dataclasses import replace

    from .index.build import resolve_options
    from .messages import bilingual

    if not index.get("enabled", True):
        return []
    try:
        resolve_options({k: v for k, v in index.items() if k != "enabled"})
    except InputError as exc:
        out = []
        for p in exc.problems:
            column = f"index.{p.column}" if p.column else "index"
            given = f"index.{str(p.column or '').split('.')[0]}" in overrides
            out.append(replace(p, file=bilingual("settings.origin_cli") if given else origin, column=column))
        return out
    return []


def load_study(path: str | Path | None = None, overrides: Mapping[str, Any] | None = None,
               sample: str | None = None) -> Study:
    """Read and validate a study file (a bundled sample study when ``path`` is None:
    ``sample`` names it, the provincial one by default).

    ``overrides`` are command-line settings as ``{"section.key": value}``; an ``output``
    key overrides the output folder.
    """
    bundled = path is None
    if bundled:
        from .samples import SAMPLES, sample_path

        path = sample_path(sample or SAMPLES[0])
    path = Path(path)
    if not path.exists():
        raise InputError([Problem.of("study.not_found", file=path)])
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError([Problem.of("study.yaml", file=path, detail=str(exc).splitlines()[0])]) from None
    base = path.resolve().parent
    problems = _check_spec(spec, str(path), base)
    overrides = dict(overrides or {})
    output = overrides.pop("output", None)
    sections = {k: v for k, v in (spec or {}).items() if k in SECTIONS} if isinstance(spec, dict) else {}
    try:
        settings = merge_settings(sections, overrides, origin=str(path))
    except InputError as exc:
        problems.extend(exc.problems)
        settings = {}
    if settings:
        problems.extend(_index_problems(settings["index"], overrides, str(path)))
    if problems:
        raise InputError(problems)
    spec = dict(spec)
    if output is not None:
        spec["output"] = str(Path(output).resolve())
    elif bundled:  # never write into the installed package: the sample's output goes under the cwd
        spec["output"] = str((Path.cwd() / spec.get("output", "egoveval-output")).resolve())
    return Study(spec, settings, base, path.resolve(), overrides, (sample or SAMPLES[0]) if bundled else None)


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run_until(study: Study, stage: str):
    from .pipeline import run_stages

    return run_stages(study, until=stage)


def run(study: Study | str | Path | None = None):
    """Run every stage of a study and return the Result."""
    from .pipeline import run_stages

    if not isinstance(study, Study):
        study = load_study(study)
    return run_stages(study)
