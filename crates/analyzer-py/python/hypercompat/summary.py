"""The summary of a batch: counts by rule, family and severity, the portability histogram and
the failures, as a JSON document and as one self-contained HTML page (no script, no network)."""

from __future__ import annotations

import html as _html
from typing import Any, Dict, Iterable, List

SUMMARY_SCHEMA = "hypercompat.batch-summary/1"

#: Families in the order the rule codes give them (HC1xxx ... HC6xxx).
FAMILIES = ("manifest", "dex-api", "native", "packaging", "runtime", "vendor-lock-in")
SEVERITIES = ("error", "warning", "info")
#: Portability score buckets: 0-9, 10-19, ..., 90-99, and 100 (no vendor tie at all).
BUCKETS = [f"{low}-{low + 9}" for low in range(0, 100, 10)] + ["100"]


def _bucket(score: int) -> str:
    return "100" if score >= 100 else BUCKETS[max(0, score) // 10]


def build(reports: Iterable[Dict[str, Any]], total_inputs: int) -> Dict[str, Any]:
    """Summarizes every report of a job. ``total_inputs`` is how many files the job listed."""
    by_rule: Dict[str, Dict[str, Any]] = {}
    by_family = {family: {"findings": 0, "apps": 0} for family in FAMILIES}
    by_severity = {severity: {"findings": 0, "apps": 0} for severity in SEVERITIES}
    histogram = {bucket: 0 for bucket in BUCKETS}
    kinds: Dict[str, int] = {}
    failures: List[Dict[str, str]] = []
    count = analyzed = findings_total = clean = 0
    for report in reports:
        count += 1
        if report.get("error") is not None:
            failures.append({"file": report["file"], "reason": report["error"]})
            continue
        analyzed += 1
        facts = report.get("facts") or {}
        kind = facts.get("kind") or "unknown"
        kinds[kind] = kinds.get(kind, 0) + 1
        portability = report.get("portability")
        if portability is not None:
            histogram[_bucket(int(portability["score"]))] += 1
        findings = report.get("findings") or []
        findings_total += len(findings)
        if not findings:
            clean += 1
        seen_rules, seen_families, seen_severities = set(), set(), set()
        for finding in findings:
            code = finding["code"]
            rule = by_rule.setdefault(code, {
                "code": code,
                "name": finding["name"],
                "severity": finding["severity"],
                "category": finding["category"],
                "findings": 0,
                "apps": 0,
            })
            rule["findings"] += 1
            family = by_family.setdefault(finding["category"], {"findings": 0, "apps": 0})
            family["findings"] += 1
            by_severity[finding["severity"]]["findings"] += 1
            if code not in seen_rules:
                seen_rules.add(code)
                rule["apps"] += 1
            if finding["category"] not in seen_families:
                seen_families.add(finding["category"])
                family["apps"] += 1
            if finding["severity"] not in seen_severities:
                seen_severities.add(finding["severity"])
                by_severity[finding["severity"]]["apps"] += 1
    failures.sort(key=lambda f: f["file"])
    return {
        "schema": SUMMARY_SCHEMA,
        "inputs": total_inputs,
        "reports": count,
        "analyzed": analyzed,
        "failed": len(failures),
        "clean": clean,
        "findings": findings_total,
        "kinds": dict(sorted(kinds.items())),
        "by_severity": by_severity,
        "by_family": by_family,
        "by_rule": [by_rule[code] for code in sorted(by_rule)],
        "portability_histogram": [{"scores": b, "apps": histogram[b]} for b in BUCKETS],
        "failures": failures,
    }


# ---------------------------------------------------------------------------------------------
# HTML

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #d8dee4}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #d8dee4;border-radius:6px;padding:.6rem 1rem}
.card b{display:block;font-size:1.4rem}.error{color:#b42318}.warning{color:#9a6700}.info{color:#0969da}
code{font-family:ui-monospace,monospace}
"""


def _e(value: Any) -> str:
    return _html.escape(str(value), quote=True)


def _bars(rows: List[tuple], width: int = 640, bar_height: int = 22) -> str:
    """A horizontal bar chart as inline SVG: rows of (label, value)."""
    top = max([value for _, value in rows] + [1])
    label_width = 150
    height = bar_height * len(rows) + 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" viewBox="0 0 {width} {height}">']
    span = width - label_width - 60
    for i, (label, value) in enumerate(rows):
        y = i * bar_height + 2
        length = round(span * value / top)
        parts.append(f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" font-size="12">{_e(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{length}" height="{bar_height - 6}" fill="#4477aa"/>')
        parts.append(f'<text x="{label_width + length + 4}" y="{y + 15}" font-size="12">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def html(document: Dict[str, Any]) -> str:
    """One self-contained page for people."""
    d = document
    cards = [("inputs", d["inputs"]), ("analyzed", d["analyzed"]), ("failed", d["failed"]),
             ("clean", d["clean"]), ("findings", d["findings"])]
    out = ["<!doctype html><html lang=en><head><meta charset=utf-8>",
           "<meta name=viewport content='width=device-width,initial-scale=1'>",
           "<title>HyperCompat batch summary</title><style>", _STYLE, "</style></head><body>",
           "<h1>HyperCompat batch summary</h1><div class=cards>"]
    out += [f"<div class=card><b>{_e(v)}</b>{_e(k)}</div>" for k, v in cards]
    out.append("</div>")
    out.append("<h2>Findings by family</h2>")
    out.append(_bars([(family, counts["findings"]) for family, counts in d["by_family"].items()]))
    out.append("<h2>Apps by portability score</h2><p>100 means no tie to a vendor's "
               "proprietary services; every tie found lowers it.</p>")
    out.append(_bars([(row["scores"], row["apps"]) for row in d["portability_histogram"]]))
    out.append("<h2>Findings by severity</h2><table><tr><th>severity</th>"
               "<th class=n>findings</th><th class=n>apps</th></tr>")
    for severity, counts in d["by_severity"].items():
        out.append(f"<tr><td class={_e(severity)}>{_e(severity)}</td><td class=n>{counts['findings']}</td>"
                   f"<td class=n>{counts['apps']}</td></tr>")
    out.append("</table><h2>Findings by rule</h2><table><tr><th>rule</th><th>name</th><th>severity</th>"
               "<th>family</th><th class=n>findings</th><th class=n>apps</th></tr>")
    for rule in sorted(d["by_rule"], key=lambda r: (-r["apps"], r["code"])):
        out.append(f"<tr><td><code>{_e(rule['code'])}</code></td><td>{_e(rule['name'])}</td>"
                   f"<td class={_e(rule['severity'])}>{_e(rule['severity'])}</td><td>{_e(rule['category'])}</td>"
                   f"<td class=n>{rule['findings']}</td><td class=n>{rule['apps']}</td></tr>")
    out.append("</table>")
    out.append(f"<h2>Failures ({d['failed']})</h2>")
    if d["failures"]:
        out.append("<table><tr><th>file</th><th>reason</th></tr>")
        out += [f"<tr><td><code>{_e(f['file'])}</code></td><td>{_e(f['reason'])}</td></tr>" for f in d["failures"]]
        out.append("</table>")
    else:
        out.append("<p>None: every input was analyzed.</p>")
    out.append("</body></html>\n")
    return "".join(out)
