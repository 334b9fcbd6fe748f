"""`python -m hypercompat.batch` on Ray: embedded, on a two-node cluster, with a worker killed
mid-task, resumed; every shard's report held against the CLI's report of the same file."""

from __future__ import annotations

import json
import os
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Dict, List

import pytest

from conftest import FRAMEWORK_RES, canonical, cli_reports

BATCH = [sys.executable, "-m", "hypercompat.batch"]
# A test machine has no business reporting to Ray's usage service.
ENV = dict(os.environ, RAY_USAGE_STATS_ENABLED="0")


def run_batch(*args: str, timeout: int = 900, env: Dict[str, str] = ENV) -> subprocess.CompletedProcess:
    return subprocess.run([*BATCH, *args], capture_output=True, text=True, timeout=timeout, env=env)


def shard_reports(out: Path) -> List[dict]:
    reports = []
    for shard in sorted((out / "shards").glob("part-*.jsonl")):
        reports += [json.loads(line) for line in shard.read_text().splitlines()]
    return reports


def assert_equal_to_cli(reports: List[dict], expected: Dict[str, dict]) -> None:
    files = Counter(r["file"] for r in reports)
    duplicated = [f for f, n in files.items() if n > 1]
    assert not duplicated, f"reported twice: {duplicated}"
    assert set(files) == set(expected), set(files) ^ set(expected)
    for report in reports:
        assert canonical(report) == canonical(expected[report["file"]]), report["file"]


def test_embedded_batch_equals_the_cli_and_resumes(corpus, samples, tmp_path):
    bad = tmp_path / "inputs" / "<img src=x onerror=alert(1)>.apk"
    bad.parent.mkdir()
    bad.write_bytes(corpus[0].read_bytes()[:100])
    listed = [*corpus, *samples[:20], FRAMEWORK_RES]
    listing = tmp_path / "inputs.txt"
    # Relative paths in a list are taken from the list's folder; comments and blanks skipped.
    listing.write_text("# the job\n\n" + "\n".join(os.path.relpath(p, tmp_path) for p in listed) + "\n")
    inputs = [*listed, bad]
    expected = cli_reports(inputs)
    out = tmp_path / "out"

    first = run_batch(str(listing), str(bad.parent), "--out", str(out), "--num-cpus", "2",
                      "--chunk-size", "3", "--shard-size", "10")
    # One input is unusable: the job completes, reports it, and says so in its status.
    assert first.returncode == 2, first.stderr
    reports = shard_reports(out)
    assert_equal_to_cli(reports, expected)
    assert len(list((out / "shards").glob("part-*.jsonl"))) >= len(inputs) // 10

    summary = json.loads((out / "summary.json").read_text())
    assert summary["inputs"] == summary["reports"] == len(inputs)
    assert summary["failed"] == 1 and summary["analyzed"] == len(inputs) - 1
    assert summary["failures"] == [{"file": str(bad), "reason": expected[str(bad)]["error"]}]
    findings = [f for r in expected.values() for f in r["findings"]]
    assert summary["findings"] == len(findings) > 0
    by_code = Counter(f["code"] for f in findings)
    assert {r["code"]: r["findings"] for r in summary["by_rule"]} == dict(by_code)
    for rule in summary["by_rule"]:
        apps = sum(1 for r in expected.values() if any(f["code"] == rule["code"] for f in r["findings"]))
        assert rule["apps"] == apps, rule["code"]
    by_family = Counter(f["category"] for f in findings)
    assert {k: v["findings"] for k, v in summary["by_family"].items() if v["findings"]} == dict(by_family)
    scores = [r["portability"]["score"] for r in expected.values() if r["portability"]]
    assert sum(b["apps"] for b in summary["portability_histogram"]) == len(scores)
    assert summary["portability_histogram"][-1]["apps"] == scores.count(100)

    page = (out / "summary.html").read_text()
    assert page.startswith("<!doctype html>") and "<script" not in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;.apk" in page
    tasks = [json.loads(line) for line in (out / "tasks.jsonl").read_text().splitlines()]
    assert sorted(f for t in tasks for f in t["files"]) == sorted(map(str, inputs))
    assert all(t["max_rss_kib"] > 0 for t in tasks)

    # Re-run: nothing left to do, nothing rewritten.
    before = {p.name: p.read_bytes() for p in (out / "shards").iterdir()}
    again = run_batch(str(listing), str(bad.parent), "--out", str(out))
    assert again.returncode == 2, again.stderr
    assert f"{len(inputs)} inputs, {len(inputs)} already in" in again.stderr
    assert {p.name: p.read_bytes() for p in (out / "shards").iterdir()} == before

    # Lose two shards (as if the job had stopped before writing them): the re-run analyzes
    # exactly their files again.
    lost = sorted((out / "shards").glob("part-*.jsonl"))[1:3]
    lost_files = {json.loads(l)["file"] for p in lost for l in p.read_text().splitlines()}
    for shard in lost:
        shard.unlink()
    resumed = run_batch(str(listing), str(bad.parent), "--out", str(out), "--num-cpus", "1")
    assert resumed.returncode == 2, resumed.stderr
    assert f"{len(lost_files)} to analyze" in resumed.stderr
    assert_equal_to_cli(shard_reports(out), expected)
    assert json.loads((out / "summary.json").read_text()) == summary

    # Other rule options would mix reports judged differently: refused, one line.
    refused = run_batch(str(listing), "--out", str(out), "--select", "HC3")
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "other options" in refused.stderr


def test_usage_errors_are_one_line_and_exit_2(tmp_path):
    cases = [
        ([str(tmp_path / "missing.apk"), "--out", str(tmp_path / "o")], "missing.apk: No such file"),
        ([str(tmp_path), "--out", str(tmp_path / "o")], "directory holds no"),
        ([str(FRAMEWORK_RES), "--out", str(tmp_path / "o"), "--select", "HC9"], "no rule code starts with `HC9`"),
        ([str(FRAMEWORK_RES), "--out", str(tmp_path / "o"), "--chunk-size", "0"], "--chunk-size must be"),
    ]
    for args, message in cases:
        result = run_batch(*args, timeout=120)
        assert result.returncode == 2, args
        assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def two_node_cluster(tmp_path):
    """A Ray head and a second node, two sets of processes on this machine, one CPU each, with
    token authentication as a real cluster has it: (address, environment holding the token)."""
    ray = str(Path(sys.executable).with_name("ray"))
    port, client_port = free_port(), free_port()
    env = dict(ENV, RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=secrets.token_hex(32))
    common = ["--num-cpus", "1", "--node-ip-address", "127.0.0.1", "--object-store-memory", "200000000",
              "--disable-usage-stats"]
    subprocess.run([ray, "stop", "--force"], capture_output=True, env=env)
    head = subprocess.run([ray, "start", "--head", "--port", str(port), "--include-dashboard", "false",
                           "--ray-client-server-port", str(client_port), *common],
                          capture_output=True, text=True, env=env, timeout=300)
    assert head.returncode == 0, head.stderr
    try:
        node = subprocess.run([ray, "start", "--address", f"127.0.0.1:{port}", *common],
                              capture_output=True, text=True, env=env, timeout=300)
        assert node.returncode == 0, node.stderr
        yield f"127.0.0.1:{port}", f"ray://127.0.0.1:{client_port}", env
    finally:
        subprocess.run([ray, "stop", "--force"], capture_output=True, env=env, timeout=300)


def test_two_node_cluster_equals_the_cli(two_node_cluster, corpus, samples, tmp_path):
    inputs = [*corpus, *samples]
    expected = cli_reports(inputs)
    out = tmp_path / "out"
    address, _, env = two_node_cluster
    result = run_batch(*map(str, inputs), "--out", str(out), "--address", address, "--chunk-size", "2",
                       env=env)
    assert result.returncode in (0, 2), result.stderr
    assert_equal_to_cli(shard_reports(out), expected)
    tasks = [json.loads(line) for line in (out / "tasks.jsonl").read_text().splitlines()]
    # Both nodes did part of the work.
    assert len({t["node"] for t in tasks}) == 2, Counter(t["node"] for t in tasks)
    assert sorted(f for t in tasks for f in t["files"]) == sorted(map(str, inputs))


def _reader_pid(fifo: Path) -> int:
    """The process, other than this one, that has `fifo` open."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        if int(pid) == os.getpid():
            continue
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") == str(fifo):
                    return int(pid)
        except OSError:
            continue
    raise AssertionError(f"no process has {fifo} open")


def test_a_killed_worker_loses_nothing_and_counts_nothing_twice(corpus, tmp_path):
    # One input is a FIFO: the worker that reaches it blocks until this test writes into it.
    # The test kills that worker (SIGKILL) mid-task, then feeds the FIFO to the retry.
    fifo = tmp_path / "fed.apk"
    os.mkfifo(fifo)
    apk = corpus[1]
    inputs = [*corpus[:9], fifo, *corpus[9:]]
    out = tmp_path / "out"
    batch = subprocess.Popen([*BATCH, *map(str, inputs), "--out", str(out), "--num-cpus", "2",
                              "--chunk-size", "4"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=ENV)
    opened = threading.Event()
    first: Dict[str, int] = {}

    def first_writer() -> None:
        # Blocks until a worker opens the FIFO for reading.
        first["fd"] = os.open(fifo, os.O_WRONLY)
        opened.set()

    threading.Thread(target=first_writer, daemon=True).start()
    try:
        assert opened.wait(timeout=600), "no worker opened the FIFO"
        victim = _reader_pid(fifo)
        pidfd = os.pidfd_open(victim)
        os.kill(victim, signal.SIGKILL)
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        assert poller.poll(60_000), "the killed worker did not exit"
        os.close(pidfd)
        # The retry opens the FIFO again (the first writer is still open, so its open returns
        # at once); this second open waits for it. Then the first writer goes, the APK goes in.
        second = os.open(fifo, os.O_WRONLY)
        os.close(first.pop("fd"))
        with os.fdopen(second, "wb") as pipe:
            pipe.write(apk.read_bytes())
        stdout, stderr = batch.communicate(timeout=600)
    finally:
        if batch.poll() is None:
            batch.kill()
    assert batch.returncode == 0, stderr
    reports = shard_reports(out)
    expected = cli_reports([*corpus, apk])
    counts = Counter(r["file"] for r in reports)
    assert counts == Counter(map(str, inputs)), "lost or counted twice"
    for report in reports:
        if report["file"] == str(fifo):
            assert canonical(dict(report, file=str(apk))) == canonical(expected[str(apk)])
        else:
            assert canonical(report) == canonical(expected[report["file"]])
    summary = json.loads((out / "summary.json").read_text())
    assert summary["analyzed"] == len(inputs) and summary["failed"] == 0


def test_ray_client_address(two_node_cluster, corpus, tmp_path):
    # The same job through Ray Client (ray://), as from a laptop outside the cluster.
    _, client, env = two_node_cluster
    out = tmp_path / "out"
    result = run_batch(*map(str, corpus), "--out", str(out), "--address", client, env=env)
    assert result.returncode in (0, 2), result.stderr
    # Once seen in CI: no shard at all, with no message to say why; keep the job's own words.
    reports = shard_reports(out)
    assert reports, f"no reports written (exit {result.returncode}): {result.stderr}"
    assert_equal_to_cli(reports, cli_reports(corpus))


def test_a_ray_client_join_is_retried_and_a_plain_address_is_not(monkeypatch, capsys):
    # A Ray Client head can fail one client's start under load and accept it when asked again;
    # the job retries a ray:// join (saying so), but not a failure that is not a connection error,
    # nor any other address.
    import ray

    from hypercompat import batch

    calls: List[str] = []

    def flaky_init(address=None, **_):
        calls.append(address)
        if len(calls) == 1:
            raise ConnectionAbortedError("Initialization failure from server:\n")

    monkeypatch.setattr(ray, "init", flaky_init)
    monkeypatch.setattr(batch.time, "sleep", lambda _: None)
    assert batch._start_ray("ray://127.0.0.1:1", None) is ray
    assert calls == ["ray://127.0.0.1:1"] * 2
    assert "trying again (2 of 3)" in capsys.readouterr().err

    def failing_init(address=None, **_):
        calls.append(address)
        raise ConnectionError("refused")

    monkeypatch.setattr(ray, "init", failing_init)
    calls.clear()
    with pytest.raises(batch.UsageError, match=r"cannot start or join Ray \(ray://127.0.0.1:1\): refused"):
        batch._start_ray("ray://127.0.0.1:1", None)
    assert len(calls) == batch.RAY_CLIENT_ATTEMPTS
    calls.clear()
    with pytest.raises(batch.UsageError, match="refused"):
        batch._start_ray("127.0.0.1:1", None)
    assert calls == ["127.0.0.1:1"]

    def broken_init(address=None, **_):
        calls.append(address)
        raise ValueError("bad argument")

    monkeypatch.setattr(ray, "init", broken_init)
    calls.clear()
    with pytest.raises(batch.UsageError, match="bad argument"):
        batch._start_ray("ray://127.0.0.1:1", None)
    assert len(calls) == 1
