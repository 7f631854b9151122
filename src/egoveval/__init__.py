"""egoveval — evaluate the development of government online service channels.

政务服务渠道发展水平评价: indicator systems, double collection and reconciliation,
quantification, Ward clustering with SPSS/R-identical output, composite indices,
regional statistics and bilingual reports.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "run", "load_study", "Result", "InputError", "Problem"]


def __getattr__(name):
    # Lazy imports keep `import egoveval` (and the CLI start-up) light.
    if name in {"run", "load_study"}:
        from . import study

        return getattr(study, name)
    if name == "Result":
        from .result import Result

        return Result
    if name in {"InputError", "Problem"}:
        from . import errors

        return getattr(errors, name)
    raise AttributeError(name)
