"""Printing the HTML report to PDF with headless Chromium (``--print-to-pdf``).

Chromium is looked up as ``/usr/bin/chromium``, then ``chromium`` or ``chromium-browser``
on ``PATH`` (``EGOVEVAL_CHROMIUM`` names another binary). Without it, an
:class:`~egoveval.errors.InputError` says so in both languages. The browser runs with a
fresh profile, no sandbox, GPU, sync or background networking, and the report needs no
network anyway.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError, Problem

__all__ = ["find_chromium", "chromium_flags", "html_to_pdf"]


def find_chromium() -> str | None:
    """The Chromium binary, or None."""
    named = os.environ.get("EGOVEVAL_CHROMIUM")
    if named and Path(named).exists():
        return named
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_flags(profile: str) -> list[str]:
    """Flags for a quiet, offline, throw-away headless browser."""
    return ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--disable-default-apps", "--mute-audio",
            f"--user-data-dir={profile}"]


def html_to_pdf(html: Path, pdf: Path, *, timeout: float = 180) -> Path:
    """Print ``html`` to ``pdf`` (A4, the report's print CSS, no browser header/footer)."""
    binary = find_chromium()
    if binary is None:
        raise InputError([Problem.of("report.pdf.no_chromium")])
    html, pdf = Path(html).resolve(), Path(pdf).resolve()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="egoveval-chromium-") as profile:
        tmp = pdf.with_name(f".{pdf.name}.partial")
        cmd = [binary, *chromium_flags(profile), "--no-pdf-header-footer", "--virtual-time-budget=5000",
               f"--print-to-pdf={tmp}", html.as_uri()]
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            tmp.unlink(missing_ok=True)
            raise InputError([Problem.of("report.pdf.failed", detail=f"timeout after {timeout:.0f} s")]) from None
        if run.returncode != 0 or not tmp.exists() or tmp.stat().st_size == 0:
            tmp.unlink(missing_ok=True)
            detail = (run.stderr or run.stdout or f"exit code {run.returncode}").strip().splitlines()
            raise InputError([Problem.of("report.pdf.failed", detail=detail[-1] if detail else "?")])
        os.replace(tmp, pdf)
    return pdf
