"""Shared helpers: where the corpus, the samples and the CLI are, and the CLI's own reports,
which every Python-side report is held against."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Dict, List

import pytest

ROOT = Path(__file__).resolve().parents[3]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
CLI = Path(os.environ.get("HYPER_MIGRATE", TARGET / "release" / "hyper-migrate"))
CORPUS = TARGET / "corpus"
SAMPLES = Path(os.environ.get("SAMPLES_DIR", TARGET / "samples"))
FRAMEWORK_RES = Path("/usr/share/android-framework-res/framework-res.apk")
EXTENSIONS = {".apk", ".apks", ".xapk", ".aar", ".jar", ".dex", ".so"}


def _require(path: Path, how: str) -> Path:
    # A test that silently skips proves nothing: missing inputs fail with the command to run.
    assert path.exists(), f"{path} missing: {how}"
    return path


def corpus_apks() -> List[Path]:
    _require(CORPUS, "run `cargo run -p corpus -- build`")
    apks = sorted(CORPUS.glob("*.apk"))
    assert len(apks) >= 20, f"only {len(apks)} APKs in {CORPUS}"
    return apks


def sample_files() -> List[Path]:
    _require(SAMPLES / "SHA256SUMS", "run `bash scripts/fetch-samples`")
    files = sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.suffix in EXTENSIONS
                   and not any(part.startswith(".") for part in p.relative_to(SAMPLES).parts))
    assert len(files) >= 30, f"only {len(files)} samples in {SAMPLES}"
    return files


def cli_reports(paths: List[Path], *extra: str) -> Dict[str, dict]:
    """The CLI's report of each path (as given), keyed by the report's `file`."""
    _require(CLI, "run `cargo build --release -p migrator`")
    result = subprocess.run(
        [str(CLI), "analyze", "--format", "jsonl", "--fail-on", "never", "--no-progress", *extra,
         *map(str, paths)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode in (0, 2), result.stderr
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(reports) == len(paths)
    return {report["file"]: report for report in reports}


def canonical(report: dict) -> str:
    """Byte-identical comparison after sorting keys."""
    return json.dumps(report, sort_keys=True, separators=(",", ":"))


@pytest.fixture(scope="session")
def corpus() -> List[Path]:
    return corpus_apks()


@pytest.fixture(scope="session")
def samples() -> List[Path]:
    return sample_files()
