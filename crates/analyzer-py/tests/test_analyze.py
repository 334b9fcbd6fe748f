"""`hypercompat.analyze` against `hyper-migrate analyze`: the same report for every input of the
corpus, the real third-party samples and framework-res.apk; the same reasons for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import hypercompat
from conftest import CLI, FRAMEWORK_RES, canonical, cli_reports


def test_reports_equal_the_cli_on_every_real_input(corpus, samples):
    inputs = [*corpus, *samples, FRAMEWORK_RES]
    expected = cli_reports(inputs)
    compared = 0
    for path in inputs:
        try:
            report = hypercompat.analyze(str(path))
        except hypercompat.UnusableInputError as err:
            report = err.report
            assert str(err) == f"{path}: {report['error']}"
        assert canonical(report) == canonical(expected[str(path)]), path
        compared += 1
    assert compared == len(inputs)
    # The set is not all-clean or all-broken: findings and facts are really compared.
    assert sum(len(r["findings"]) for r in expected.values()) > 100
    assert sum(1 for r in expected.values() if r["facts"] and r["facts"]["dex"]) > 20


def test_bytes_and_pathlike_inputs_give_the_report_of_the_path(corpus):
    path = corpus[0]
    by_path = hypercompat.analyze(str(path))
    assert canonical(hypercompat.analyze(path)) == canonical(by_path)
    data = path.read_bytes()
    for given in (data, bytearray(data), memoryview(data)):
        report = hypercompat.analyze(given, name=str(path))
        assert canonical(report) == canonical(by_path)
    assert hypercompat.analyze(data)["file"] == "<bytes>"


def test_select_and_ignore_as_on_the_command_line(corpus):
    apps = corpus[:8]
    for options in ((["--select", "HC1,HC4"]), (["--ignore", "HC2001,shared-user-id"])):
        flag, value = options
        expected = cli_reports(apps, flag, value)
        key = "select" if flag == "--select" else "ignore"
        for path in apps:
            try:
                report = hypercompat.analyze(str(path), **{key: value.split(",")})
            except hypercompat.UnusableInputError as err:
                report = err.report
            assert canonical(report) == canonical(expected[str(path)]), (path, options)
    codes = {f["code"] for p in apps for f in hypercompat.analyze(str(p), select="HC4")["findings"]}
    assert codes and all(code.startswith("HC4") for code in codes)
    with pytest.raises(ValueError, match="no rule code starts with `HC9`"):
        hypercompat.analyze(str(apps[0]), select=["HC9"])


def test_profile_file_as_with_the_cli(corpus, tmp_path):
    builtin = Path(__file__).resolve().parents[2] / "analyzer" / "profiles" / "hypercompat.toml"
    # A stricter target: apps must target API 33 or later.
    profile = tmp_path / "p.toml"
    profile.write_text(builtin.read_text().replace("min_target = 24", "min_target = 33"))
    assert profile.read_text() != builtin.read_text()
    expected = cli_reports(corpus[:5], "--profile", str(profile))
    for path in corpus[:5]:
        try:
            report = hypercompat.analyze(str(path), profile=profile)
        except hypercompat.UnusableInputError as err:
            report = err.report
        assert canonical(report) == canonical(expected[str(path)])
    bad = tmp_path / "bad.toml"
    bad.write_text("api_level = [")
    with pytest.raises(ValueError, match=str(bad)):
        hypercompat.analyze(str(corpus[0]), profile=bad)
    with pytest.raises(ValueError, match="No such file"):
        hypercompat.analyze(str(corpus[0]), profile=tmp_path / "missing.toml")


@pytest.mark.parametrize("cut", [0, 1, 30, 1000, -22, -1])
def test_unusable_input_raises_with_the_cli_reason(corpus, tmp_path, cut):
    data = corpus[0].read_bytes()
    broken = tmp_path / f"cut{cut}.apk"
    broken.write_bytes(data[:cut] if cut >= 0 else data[:len(data) + cut])
    result = subprocess.run([str(CLI), "analyze", "--format", "json", str(broken)],
                            capture_output=True, text=True)
    cli_report = json.loads(result.stdout)
    if cli_report["error"] is None:
        # Some cuts still leave a readable file (e.g. only the archive comment lost).
        assert hypercompat.analyze(str(broken))["error"] is None
        return
    assert result.returncode == 2
    with pytest.raises(hypercompat.UnusableInputError) as caught:
        hypercompat.analyze(str(broken))
    err = caught.value
    assert isinstance(err, ValueError)
    # One line, exactly the CLI's line without its "hyper-migrate: error: " prefix.
    assert result.stderr.strip() == f"hyper-migrate: error: {err}"
    assert "\n" not in str(err)
    assert err.file == str(broken) and err.reason == cli_report["error"]
    assert canonical(err.report) == canonical(cli_report)


def test_wrong_types_and_missing_files(tmp_path):
    with pytest.raises(TypeError, match="path .* or bytes"):
        hypercompat.analyze(42)
    with pytest.raises(hypercompat.UnusableInputError, match="No such file"):
        hypercompat.analyze(str(tmp_path / "nothing.apk"))
    with pytest.raises(hypercompat.UnusableInputError, match="is a directory"):
        hypercompat.analyze(str(tmp_path))


def test_the_interpreter_is_released_while_analyzing(corpus, tmp_path):
    # A thread analyzes a FIFO: it blocks inside `analyze` until someone writes the APK into
    # the FIFO. Only this process's main thread can do that, and it can only if `analyze`
    # released the interpreter lock. Held, the child deadlocks and the timeout fails the test.
    fifo = tmp_path / "app.apk"
    os.mkfifo(fifo)
    script = textwrap.dedent(f"""
        import threading, hypercompat
        result = {{}}
        worker = threading.Thread(target=lambda: result.update(r=hypercompat.analyze({str(fifo)!r})))
        worker.start()
        with open({str(fifo)!r}, "wb") as pipe:
            pipe.write(open({str(corpus[0])!r}, "rb").read())
        worker.join()
        print(result["r"]["sha256"])
    """)
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == hypercompat.analyze(str(corpus[0]))["sha256"]


def test_rules_are_the_cli_catalogue():
    catalogue = hypercompat.rules()
    table = subprocess.run([str(CLI), "rules"], capture_output=True, text=True, check=True).stdout
    codes = [line.split()[0] for line in table.splitlines() if line.startswith("HC")]
    assert [rule["code"] for rule in catalogue] == codes
    assert len(codes) >= 40
    for rule in catalogue:
        explained = subprocess.run([str(CLI), "explain", rule["code"]], capture_output=True,
                                   text=True, check=True).stdout
        assert explained.startswith(f"{rule['code']} {rule['name']} ")
        for field in ("summary", "what", "why", "fix"):
            assert rule[field] and rule[field].strip().splitlines()[0] in explained, (rule["code"], field)
        assert rule["severity"] in ("info", "warning", "error")
    assert hypercompat.SCHEMA == "hypercompat.report/1"
