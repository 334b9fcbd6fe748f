"""Analyze many APKs on Ray: ``python -m hypercompat.batch INPUT... --out DIR``.

Inputs are files, directories (searched recursively for the kinds ``hyper-migrate`` reads) and
text files of paths (``*.txt``/``*.lst``, one path per line, ``#`` comments; relative paths are
taken from the list's folder). The files are cut into chunks, each chunk is one Ray task, and at
most a few tasks per CPU are in flight at a time (back-pressure: a million inputs never become a
million queued tasks or a million results held in memory).

``DIR`` receives:

- ``shards/part-NNNNN.jsonl``: the reports, one JSON object per line, exactly as
  ``hyper-migrate analyze --format jsonl`` prints them. A shard is written aside and renamed into
  place once complete, so every shard on disk is whole, and an input is in exactly one shard.
- ``tasks.jsonl``: one line per finished task: which files, on which node and worker process,
  how long it took, the worker's peak memory.
- ``runs.jsonl``: one line per run of the job: how many files it analyzed, how long Ray took to
  start, the analysis, and the summary.
- ``summary.json`` and ``summary.html``: counts by rule, by family and by severity, the
  portability (lock-in) score histogram, and every failure with its reason; over all shards, so a
  resumed run summarizes the whole job.
- ``batch.json``: the options the job was started with; a re-run with other rule options is
  refused instead of mixing reports judged differently.

Re-running with the same ``--out`` skips the inputs already in a shard (resumable). A worker that
dies (killed, out of memory, a crash) has its task retried by Ray (``--max-retries``); a chunk
that still fails is split and its files retried one by one, and a file that kills its worker on
every try is recorded as a failure with the reason, so nothing is lost and nothing counted twice.
An unreadable file is an ordinary report with ``error`` set, counted as a failure.

With no ``--address``, Ray is started embedded on this machine (``--num-cpus`` of its CPUs, all by
default) and stopped at the end. With ``--address auto`` (a cluster started with ``ray start`` on
this machine), ``--address HOST:PORT`` (the head's GCS address) or ``--address ray://HOST:PORT``
(Ray Client, needs ``ray[client]``), the job joins that cluster; every node must then have the
``hypercompat`` wheel installed and see the inputs at the same paths (shared storage).

Exit status: 0 when every input was analyzed, 2 when some input could not be (the job still
completes and reports it), or on a usage error (one line naming the problem).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections import deque
from typing import Any, Deque, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import hypercompat
from hypercompat import _native, summary

EXIT_OK = 0
EXIT_UNUSABLE = 2

#: File extensions searched for in directories (as ``hyper-migrate analyze`` does).
ANALYZED = ("apk", "apks", "xapk", "aar", "jar", "dex", "so")
#: Files read as lists of paths.
LIST_SUFFIXES = (".txt", ".lst")

BATCH_SCHEMA = "hypercompat.batch/1"


class UsageError(Exception):
    """Bad arguments or inputs that cannot be listed: one line, exit 2."""


# ---------------------------------------------------------------------------------------------
# Listing the inputs


def _walk(directory: str, out: List[str]) -> None:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as err:
        raise UsageError(f"{directory}: {err.strerror or err}") from None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            _walk(entry.path, out)
        elif entry.name.rsplit(".", 1)[-1].lower() in ANALYZED and "." in entry.name:
            out.append(entry.path)


def _read_list(path: str) -> List[str]:
    base = os.path.dirname(path)
    try:
        with open(path, encoding="utf-8") as file:
            lines = file.read().splitlines()
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise UsageError(f"{path}: {reason}") from None
    paths = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            paths.append(line if os.path.isabs(line) else os.path.join(base, line))
    return paths


def list_inputs(inputs: Sequence[str]) -> List[str]:
    """Every file to analyze, as absolute paths, in a stable order, each once."""
    files: List[str] = []
    for given in inputs:
        path = os.path.abspath(given)
        if os.path.isdir(path):
            found: List[str] = []
            _walk(path, found)
            if not found:
                raise UsageError(f"{given}: directory holds no .{'/.'.join(ANALYZED)} files")
            files.extend(found)
        elif path.endswith(LIST_SUFFIXES) and os.path.isfile(path):
            for listed in _read_list(path):
                if os.path.isdir(listed):
                    _walk(listed, files)
                else:
                    # A listed file that does not exist is the job's failure to report, not a
                    # reason to refuse the whole list.
                    files.append(os.path.abspath(listed))
        elif os.path.lexists(path):
            files.append(path)
        else:
            raise UsageError(f"{given}: No such file or directory")
    seen = set()
    unique = []
    for path in files:
        if path not in seen:
            seen.add(path)
            unique.append(path)
    return unique


def chunks(files: Sequence[str], size: int) -> List[List[str]]:
    """Consecutive runs of at most ``size`` files."""
    return [list(files[i : i + size]) for i in range(0, len(files), size)]


# ---------------------------------------------------------------------------------------------
# The output folder


def _write_atomically(path: str, data: bytes) -> None:
    temp = f"{os.path.dirname(path)}/.{os.path.basename(path)}.{os.getpid()}.tmp"
    with open(temp, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temp, path)


class OutDir:
    """The job's folder: shards of reports, the task log, the summary."""

    def __init__(self, path: str):
        self.path = os.path.abspath(path)
        self.shards = os.path.join(self.path, "shards")

    def prepare(self, options: Dict[str, Any]) -> None:
        """Creates the folder, or checks that a job started there used the same options."""
        try:
            os.makedirs(self.shards, exist_ok=True)
        except OSError as err:
            raise UsageError(f"{self.path}: cannot create the output folder: {err.strerror or err}") from None
        marker = os.path.join(self.path, "batch.json")
        if os.path.exists(marker):
            try:
                with open(marker, encoding="utf-8") as file:
                    before = json.load(file)
            except (OSError, ValueError) as err:
                raise UsageError(f"{marker}: unreadable: {err}") from None
            if before.get("options") != options:
                raise UsageError(
                    f"{self.path}: holds a job started with other options "
                    f"({json.dumps(before.get('options'), sort_keys=True)}); use another --out"
                )
        else:
            document = {"schema": BATCH_SCHEMA, "options": options}
            _write_atomically(marker, (json.dumps(document, sort_keys=True, indent=2) + "\n").encode())

    def shard_paths(self) -> List[str]:
        names = sorted(n for n in os.listdir(self.shards) if n.startswith("part-") and n.endswith(".jsonl"))
        return [os.path.join(self.shards, n) for n in names]

    def reports(self) -> Iterator[Dict[str, Any]]:
        """Every report in every shard, in shard order."""
        for shard in self.shard_paths():
            with open(shard, encoding="utf-8") as file:
                for number, line in enumerate(file, 1):
                    try:
                        yield json.loads(line)
                    except ValueError as err:
                        raise UsageError(f"{shard}:{number}: not a report: {err}") from None

    def done(self) -> Tuple[set, int]:
        """The files already reported, and the number the next shard gets."""
        files = set()
        for report in self.reports():
            files.add(report["file"])
        numbers = [int(os.path.basename(p)[5:-6]) for p in self.shard_paths()]
        return files, (max(numbers) + 1 if numbers else 0)

    def write_shard(self, number: int, lines: List[str]) -> str:
        path = os.path.join(self.shards, f"part-{number:05d}.jsonl")
        if os.path.exists(path):
            raise RuntimeError(f"{path}: exists already; two jobs write to the same --out?")
        _write_atomically(path, "".join(line + "\n" for line in lines).encode())
        return path

    def log(self, name: str, record: Dict[str, Any]) -> None:
        """Appends a JSON line to ``name`` (``tasks.jsonl``, ``runs.jsonl``)."""
        # One write per line with O_APPEND: lines of concurrent writers do not interleave.
        line = (json.dumps(record, sort_keys=True) + "\n").encode()
        fd = os.open(os.path.join(self.path, name), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)


# ---------------------------------------------------------------------------------------------
# The Ray task


def analyze_chunk(paths: List[str], select: Optional[List[str]], ignore: Optional[List[str]],
                  profile: Optional[str], profile_name: Optional[str]) -> Dict[str, Any]:
    """Analyzes a chunk of files in a worker; returns their reports as JSON lines."""
    import ray  # the worker has it: it is running us

    started = time.monotonic()
    reports = [
        _native.analyze_json(path, select=select, ignore=ignore, profile=profile, profile_name=profile_name)
        for path in paths
    ]
    return {
        "reports": reports,
        "node": ray.get_runtime_context().get_node_id(),
        "pid": os.getpid(),
        "seconds": round(time.monotonic() - started, 6),
        # Linux reports kibibytes.
        "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


# ---------------------------------------------------------------------------------------------
# Progress


class Progress:
    """A status line on a terminal; on a pipe, a line at each tenth of the way."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total = total
        self.stream = stream
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self.done = 0
        self.failed = 0
        self.next_tenth = 1

    def update(self, analyzed: int, failed: int) -> None:
        self.done += analyzed
        self.failed += failed
        elapsed = time.monotonic() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        line = (f"batch: {self.done}/{self.total} analyzed, {self.failed} failed, "
                f"{rate:.1f} files/s, eta {eta:.0f} s")
        if self.tty:
            self.stream.write("\r" + line + "\x1b[K")
            self.stream.flush()
        elif self.total and self.done * 10 >= self.next_tenth * self.total:
            while self.done * 10 >= self.next_tenth * self.total:
                self.next_tenth += 1
            print(line, file=self.stream, flush=True)

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


# ---------------------------------------------------------------------------------------------
# The job


def _short(err: BaseException) -> str:
    """A Ray error in one line: its first line, which names the kind of failure."""
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__


RAY_CLIENT_ATTEMPTS = 3


def _start_ray(address: Optional[str], num_cpus: Optional[int]):
    # Ray reports usage statistics to a public service unless told not to; a batch job on an
    # app store's cluster has no business sending anything out.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
    except ImportError:
        raise UsageError("the batch job needs Ray: pip install 'ray==2.60.0'") from None
    kwargs: Dict[str, Any] = {"logging_level": "WARNING", "log_to_driver": False}
    if address is None:
        kwargs.update(num_cpus=num_cpus, include_dashboard=False,
                      _node_ip_address=os.environ.get("HYPERCOMPAT_NODE_IP", "127.0.0.1"))
    # Through Ray Client the head starts a server process per client, and on a loaded head that
    # start can fail once ("Initialization failure from server" with no reason given) and succeed
    # when asked again; an unreachable cluster fails every time. So a ray:// join is tried up to
    # three times, each retry said on stderr; anything else is tried once.
    attempts = RAY_CLIENT_ATTEMPTS if (address or "").startswith("ray://") else 1
    for attempt in range(1, attempts + 1):
        try:
            ray.init(address=address, **kwargs)
            return ray
        except Exception as err:  # Ray raises several kinds for an unreachable cluster
            failure = f"cannot start or join Ray ({address or 'embedded'}): {_short(err)}"
            if attempt == attempts or not isinstance(err, ConnectionError):
                raise UsageError(failure) from None
            print(f"hypercompat.batch: {failure}; trying again ({attempt + 1} of {attempts})",
                  file=sys.stderr, flush=True)
            time.sleep(2 * attempt)  # a failed ray:// init has already disconnected itself
    raise AssertionError("unreachable")


def run(args: argparse.Namespace) -> int:
    if args.chunk_size < 1:
        raise UsageError("--chunk-size must be at least 1")
    if args.shard_size < 1:
        raise UsageError("--shard-size must be at least 1")
    if args.num_cpus is not None and args.num_cpus < 1:
        raise UsageError("--num-cpus must be at least 1")
    select = hypercompat._codes(args.select, "select")
    ignore = hypercompat._codes(args.ignore, "ignore")
    profile = profile_name = None
    if args.profile is not None:
        profile_name = args.profile
        try:
            profile = hypercompat.read_profile(args.profile)
        except ValueError as err:
            raise UsageError(str(err)) from None
    # The rule options are checked here, once, rather than failing in every task.
    try:
        _native.check_options(select=select, ignore=ignore, profile=profile, profile_name=profile_name)
    except ValueError as err:
        raise UsageError(str(err)) from None

    files = list_inputs(args.inputs)
    out = OutDir(args.out)
    out.prepare({
        "select": select or [],
        "ignore": ignore or [],
        "profile": profile,
        "hypercompat": hypercompat.__version__,
    })
    done, next_shard = out.done()
    todo = [f for f in files if f not in done]
    log = sys.stderr
    print(f"batch: {len(files)} inputs, {len(files) - len(todo)} already in {out.shards}, "
          f"{len(todo)} to analyze", file=log, flush=True)

    run_record: Dict[str, Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "inputs": len(files),
        "analyzed": len(todo),
        "address": args.address,
        "chunk_size": args.chunk_size,
    }
    clock = time.monotonic()
    if todo:
        ray = _start_ray(args.address, args.num_cpus)
        try:
            run_record["ray_start_seconds"] = round(time.monotonic() - clock, 3)
            run_record["cpus"] = int(ray.cluster_resources().get("CPU", 1))
            clock = time.monotonic()
            next_shard = _analyze(ray, args, out, todo, next_shard, select, ignore, profile, profile_name)
            run_record["analysis_seconds"] = round(time.monotonic() - clock, 3)
        finally:
            clock = time.monotonic()
            ray.shutdown()
            run_record["ray_stop_seconds"] = round(time.monotonic() - clock, 3)

    clock = time.monotonic()
    document = summary.build(out.reports(), total_inputs=len(files))
    _write_atomically(os.path.join(out.path, "summary.json"),
                      (json.dumps(document, indent=2, sort_keys=True) + "\n").encode())
    _write_atomically(os.path.join(out.path, "summary.html"), summary.html(document).encode())
    run_record["summary_seconds"] = round(time.monotonic() - clock, 3)
    out.log("runs.jsonl", run_record)
    print(f"batch: {document['analyzed']} analyzed, {document['failed']} failed, "
          f"{document['findings']} findings; summary in {out.path}/summary.html "
          f"({run_record['summary_seconds']:.1f} s)", file=log, flush=True)
    missing = len(files) - document["reports"]
    if missing:
        # Cannot happen unless shards were removed by hand during the run.
        print(f"batch: error: {missing} inputs have no report", file=log)
        return EXIT_UNUSABLE
    return EXIT_UNUSABLE if document["failed"] else EXIT_OK


def _analyze(ray, args, out: OutDir, todo: List[str], next_shard: int,
             select, ignore, profile, profile_name) -> int:
    task = ray.remote(analyze_chunk).options(num_cpus=1, max_retries=args.max_retries)
    cpus = int(ray.cluster_resources().get("CPU", 1))
    if args.address is not None and args.num_cpus is not None:
        # On a shared cluster, --num-cpus caps how many tasks this job runs at once.
        in_flight_limit = args.num_cpus
    else:
        # A second task per CPU waits at the raylet, so no worker idles between two tasks.
        in_flight_limit = 2 * cpus
    print(f"batch: Ray {ray.__version__} with {cpus} CPUs "
          f"({args.address or 'embedded'}), chunks of {args.chunk_size}, "
          f"at most {in_flight_limit} tasks in flight", file=sys.stderr, flush=True)

    queue: Deque[List[str]] = deque(chunks(todo, args.chunk_size))
    pending: Dict[Any, List[str]] = {}
    buffered: List[str] = []
    flushed_at = time.monotonic()
    progress = Progress(len(todo))

    def flush() -> None:
        nonlocal next_shard, buffered, flushed_at
        if buffered:
            out.write_shard(next_shard, buffered)
            next_shard += 1
            buffered = []
        flushed_at = time.monotonic()

    while queue or pending:
        while queue and len(pending) < in_flight_limit:
            chunk = queue.popleft()
            pending[task.remote(chunk, select, ignore, profile, profile_name)] = chunk
        ready, _ = ray.wait(list(pending), num_returns=1)
        for ref in ready:
            chunk = pending.pop(ref)
            try:
                result = ray.get(ref)
            except Exception as err:  # Ray's errors for a dead worker or node, or the task's own
                if len(chunk) > 1:
                    # Isolate the file that kills its worker: the others then go through.
                    queue.extendleft([[path] for path in reversed(chunk)])
                    print(f"batch: a task of {len(chunk)} files failed ({_short(err)}); "
                          f"retrying them one by one", file=sys.stderr, flush=True)
                    continue
                reason = (f"its analysis failed (a dead worker's task is retried "
                          f"{args.max_retries} times): {_short(err)}")
                buffered.append(_native.unreadable_json(chunk[0], reason))
                out.log("tasks.jsonl", {"files": chunk, "error": reason})
                progress.update(0, 1)
                continue
            failed = 0
            for line in result["reports"]:
                buffered.append(line)
                # Cheap test for a set `error` without parsing: the field is last and null when
                # the file was read.
                if not line.endswith('"error":null}'):
                    failed += 1
            out.log("tasks.jsonl", {k: result[k] for k in ("node", "pid", "seconds", "max_rss_kib")} | {"files": chunk})
            progress.update(len(chunk) - failed, failed)
            if len(buffered) >= args.shard_size or time.monotonic() - flushed_at >= args.flush_seconds:
                flush()
    flush()
    progress.finish()
    return next_shard


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m hypercompat.batch",
        description="Analyze many APKs (and AAR, JAR, DEX, .so files) on Ray; write JSONL "
                    "shards of reports and a summary (JSON and HTML).",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files, directories (searched recursively), or .txt/.lst files of paths")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="where shards and the summary go; re-running with it resumes the job")
    p.add_argument("--address", default=None,
                   help="join a Ray cluster: auto, HOST:PORT or ray://HOST:PORT "
                        "[default: start Ray on this machine]")
    p.add_argument("--num-cpus", type=int, default=None, metavar="N",
                   help="CPUs of the embedded Ray [default: all]; with --address, the most "
                        "tasks this job runs at once")
    p.add_argument("--chunk-size", type=int, default=8, metavar="N",
                   help="files per Ray task [default: 8]")
    p.add_argument("--shard-size", type=int, default=1000, metavar="N",
                   help="reports per shard file [default: 1000]")
    p.add_argument("--flush-seconds", type=float, default=60.0, metavar="S",
                   help="write a shard at least this often while results come in [default: 60]")
    p.add_argument("--max-retries", type=int, default=3, metavar="N",
                   help="times Ray retries a task whose worker died [default: 3]")
    p.add_argument("--select", default=None, help="rule codes/prefixes/names to run (comma-separated)")
    p.add_argument("--ignore", default=None, help="rule codes/prefixes/names to skip (comma-separated)")
    p.add_argument("--profile", default=None, metavar="FILE", help="target profile TOML")
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except UsageError as err:
        print(f"hypercompat.batch: error: {err}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        print("\nhypercompat.batch: interrupted; re-run with the same --out to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
