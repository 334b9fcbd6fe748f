"""HyperCompat's analyzer for Python: will this Android app work on the microkernel target?

    >>> import hypercompat
    >>> report = hypercompat.analyze("app.apk")
    >>> report["facts"]["package"], [f["code"] for f in report["findings"]]

``analyze`` returns the same report as ``hyper-migrate analyze --format json`` (schema
``hypercompat.report/1``, see docs/report-schema.md) as a dict. It releases the interpreter
lock while it works, so threads analyze in parallel. An input that cannot be read raises
:class:`UnusableInputError`, whose message is the CLI's one-line reason.

``python -m hypercompat.batch`` runs the analyzer over many APKs on Ray (see that module).
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Optional, Union

from . import _native

__all__ = ["analyze", "rules", "UnusableInputError", "SCHEMA", "__version__"]

SCHEMA: str = _native.SCHEMA
__version__: str = _native.__version__

Input = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview]


class UnusableInputError(ValueError):
    """An input that could not be analyzed: not an APK/DEX/ELF/..., truncated, unreadable.

    ``str(err)`` is ``"<file>: <reason>"``, the line ``hyper-migrate`` prints for it;
    ``err.report`` is the report the CLI would print (with ``error`` set and what could be read
    before the failure).
    """

    def __init__(self, report: Dict[str, Any]):
        self.report = report
        self.file: str = report["file"]
        self.reason: str = report["error"]
        super().__init__(f"{self.file}: {self.reason}")


def _codes(value: Optional[Union[str, Iterable[str]]], what: str) -> Optional[List[str]]:
    if value is None:
        return None
    if isinstance(value, str):
        # As on the command line: "HC3,HC4001".
        return [part for part in value.split(",") if part]
    codes = list(value)
    if not all(isinstance(code, str) for code in codes):
        raise TypeError(f"{what} takes rule codes or names as strings")
    return codes


def analyze_json(
    input: Input,
    select: Optional[Union[str, Iterable[str]]] = None,
    ignore: Optional[Union[str, Iterable[str]]] = None,
    profile: Optional[Union[str, "os.PathLike[str]"]] = None,
    name: Optional[str] = None,
) -> str:
    """Like :func:`analyze`, but returns the report as JSON text and never raises for an
    unusable input (the report's ``error`` says why). For callers that store reports as they
    come, such as the batch job."""
    if isinstance(input, memoryview):
        input = input.tobytes()
    profile_text = profile_name = None
    if profile is not None:
        profile_name = os.fspath(profile)
        profile_text = read_profile(profile_name)
    return _native.analyze_json(
        input,
        select=_codes(select, "select"),
        ignore=_codes(ignore, "ignore"),
        profile=profile_text,
        profile_name=profile_name,
        name=name,
    )


def read_profile(path: str) -> str:
    """The text of a target profile file; ``ValueError`` naming the file when it cannot be read."""
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise ValueError(f"{path}: {reason}") from None


def analyze(
    input: Input,
    select: Optional[Union[str, Iterable[str]]] = None,
    ignore: Optional[Union[str, Iterable[str]]] = None,
    profile: Optional[Union[str, "os.PathLike[str]"]] = None,
    name: Optional[str] = None,
) -> Dict[str, Any]:
    """Analyzes one APK, split-APK bundle, AAR, JAR, DEX or ELF file.

    ``input`` is a path (read through a memory map, like the CLI) or the file's bytes.
    ``select``/``ignore`` take rule codes, code prefixes or names (``["HC3", "HC4001"]`` or
    ``"HC3,HC4001"``), as ``--select``/``--ignore`` do; an unknown one raises ``ValueError``.
    ``profile`` is a target profile TOML file instead of the built-in one. ``name`` is what the
    report calls the file (default: the path as given, or ``"<bytes>"``).

    Returns the report as a dict; raises :class:`UnusableInputError` when the input cannot be
    analyzed.
    """
    report = json.loads(analyze_json(input, select, ignore, profile, name))
    if report["error"] is not None:
        raise UnusableInputError(report)
    return report


def rules() -> List[Dict[str, Any]]:
    """The rule catalogue, in code order: ``code``, ``name``, ``severity``, ``category``,
    ``fixable``, ``summary`` and the documentation (``what``, ``why``, ``fix``), as
    ``hyper-migrate rules`` and ``explain`` print them."""
    return json.loads(_native.rules_json())
