"""The class report: one self-contained HTML file (figures embedded as PNG, no network, opens
offline) that shows how a graded batch went.

    python -m autograder report OUT_DIR      # grade-all writes OUT_DIR/report.html itself

Sections: score distribution (histogram, mean, median); per-function mean score and
full-marks rate; per-test failure rates, sorted; how many students got each hint; grader
incidents per student (timeouts, memory, crashes, import errors, refused packages, refused or
skipped files, grader faults) and what the sandbox enforced; every student, sortable, linking to
their feedback.txt.  Everything shown comes from the results.json files the grader wrote and
from grades.csv; student ids and messages are escaped.
"""

import base64
import csv
import html
import io
import statistics
from collections import Counter
from pathlib import Path

from autograder.batch import read_results
from autograder.points import POINTS
from autograder.report import write_text_atomic

INCIDENT_COLUMNS = ("timeout", "memory", "crashed", "import_error", "not_allowed",
                    "missing_module", "not_run")


def load_batch(out_dir: Path) -> tuple[dict, dict]:
    """({student: results.json data}, {student: grades.csv row}) of a grade-all folder."""
    out_dir = Path(out_dir)
    rows = {}
    if (out_dir / "grades.csv").is_file():
        with open(out_dir / "grades.csv", newline="", encoding="utf-8", errors="replace") as f:
            rows = {row["student_id"]: row for row in csv.DictReader(f)}
    results = {}
    for folder in sorted(p for p in out_dir.iterdir() if p.is_dir() and not p.is_symlink()):
        data = read_results(folder / "results.json")
        if data is not None:
            results[folder.name] = data
    return results, rows


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    import matplotlib.pyplot as plt
    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="figure" src="data:image/png;base64,{data}">'


def _figures(results: dict, failure_rates: list) -> list[str]:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    totals = [data["score"] for data in results.values()]
    figures = []
    figure, axes = plt.subplots(figsize=(7, 3.2))
    axes.hist(totals, bins=range(0, int(sum(POINTS.values())) + 6, 5), color="#4c72b0")
    if totals:
        axes.axvline(statistics.mean(totals), color="#c44e52", label=f"mean "
                     f"{statistics.mean(totals):.1f}")
        axes.axvline(statistics.median(totals), color="#55a868", linestyle="--",
                     label=f"median {statistics.median(totals):.1f}")
        axes.legend()
    axes.set(title="Score distribution", xlabel="total points", ylabel="students")
    axes.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    figures.append(_png(figure))

    names = list(POINTS)
    mean, full = [], []
    for name in names:
        got = [d["extra_data"]["functions"][name] for d in results.values()
               if name in d["extra_data"]["functions"]]
        mean.append(statistics.mean(g / m for g, m in got) if got else 0.0)
        full.append(sum(g >= m for g, m in got) / len(got) if got else 0.0)
    figure, axes = plt.subplots(figsize=(7, 5))
    positions = range(len(names))
    axes.barh([p + 0.2 for p in positions], mean, height=0.4, label="mean score (fraction)",
              color="#4c72b0")
    axes.barh([p - 0.2 for p in positions], full, height=0.4, label="full-marks rate",
              color="#55a868")
    axes.set_yticks(list(positions), names)
    axes.invert_yaxis()
    axes.set(title="Per function", xlim=(0, 1))
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=2, frameon=False)
    figures.append(_png(figure))

    top = failure_rates[:25]
    figure, axes = plt.subplots(figsize=(7, 0.3 * len(top) + 1.2))
    axes.barh([name for name, _ in top], [rate for _, rate in top], color="#c44e52")
    axes.invert_yaxis()
    axes.set(title="Most failed tests", xlabel="fraction of students failing", xlim=(0, 1))
    figures.append(_png(figure))
    return figures


def _table(headers: list[str], rows: list[list], sortable: bool = False) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
                   for row in rows)
    kind = ' class="sortable"' if sortable else ""
    return f"<table{kind}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _failure_rates(results: dict) -> list[tuple[str, float]]:
    failed, seen = Counter(), Counter()
    for data in results.values():
        for test in data["tests"]:
            seen[test["name"]] += 1
            failed[test["name"]] += test["status"] != "passed"
    rates = [(name, failed[name] / seen[name]) for name in seen if failed[name]]
    return sorted(rates, key=lambda item: (-item[1], item[0]))


def _hints(results: dict) -> list[tuple[str, int]]:
    counts = Counter()
    for data in results.values():
        hints = {line.removeprefix("Hint: ") for test in data["tests"]
                 for line in test["output"].splitlines() if line.startswith("Hint: ")}
        counts.update(hints)
    return counts.most_common()


def _incidents(results: dict, rows: dict) -> list[list]:
    table = []
    for student in sorted(set(results) | set(rows)):
        data = results.get(student)
        row = rows.get(student, {})
        counts = Counter()
        problems = []
        if data is not None:
            for per_function in data["extra_data"].get("incidents", {}).values():
                counts.update(per_function)
            problems = data["extra_data"].get("problems", [])
        fault = row.get("status", "").startswith("grader fault")
        if any(counts.get(k) for k in INCIDENT_COLUMNS) or problems or fault:
            table.append([html.escape(student), *(counts.get(k, "") or "" for k in
                                                  INCIDENT_COLUMNS),
                          html.escape("; ".join(problems))[:300],
                          html.escape(row.get("status", "")) if fault else ""])
    return table


SORT_SCRIPT = """
document.querySelectorAll("table.sortable th").forEach(th => {
  th.addEventListener("click", () => {
    const column = th.cellIndex;
    const body = th.closest("table").tBodies[0];
    const key = r => { const t = r.cells[column].innerText; const n = parseFloat(t);
                       return isNaN(n) ? t.toLowerCase() : n; };
    const rows = [...body.rows], up = th.dataset.up !== "1";
    rows.sort((a, b) => (key(a) > key(b) ? 1 : key(a) < key(b) ? -1 : 0) * (up ? 1 : -1));
    th.dataset.up = up ? "1" : "0";
    rows.forEach(r => body.appendChild(r));
  });
});
"""

STYLE = """
body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
th { background: #eee; } table.sortable th { cursor: pointer; }
img { max-width: 100%; display: block; margin: 1em 0; }
"""


def render(out_dir: Path) -> str:
    results, rows = load_batch(out_dir)
    failure_rates = _failure_rates(results)
    figures = _figures(results, failure_rates)
    totals = [data["score"] for data in results.values()]
    faults = [s for s, row in rows.items() if row.get("status", "").startswith("grader fault")]
    title = f"Class report: {len(results)} students graded, {len(faults)} grader faults"
    parts = [f"<h1>{title}</h1>"]
    if totals:
        parts.append(f"<p>Mean {statistics.mean(totals):.1f}, median "
                     f"{statistics.median(totals):.1f} of {sum(POINTS.values()):g}.</p>")
    parts += ["<h2>Scores</h2>", figures[0], "<h2>Per function</h2>", figures[1],
              "<h2>Failed tests</h2>", figures[2],
              "<details><summary>every failed test</summary>",
              _table(["test", "students failing"], [[html.escape(n), f"{r:.0%}"]
                                                     for n, r in failure_rates], True),
              "</details>"]
    hints = _hints(results)
    parts += ["<h2>Hints given</h2>", _table(["hint", "students", "share"], [
        [html.escape(h), n, f"{n / max(len(results), 1):.0%}"] for h, n in hints], True)
        if hints else "<p>No hints were given.</p>"]
    parts += ["<h2>Grader incidents</h2>", _table(
        ["student", *INCIDENT_COLUMNS, "files refused or skipped", "grader fault"],
        _incidents(results, rows), True)]
    sandbox = next(iter(results.values()))["extra_data"]["sandbox"] if results else None
    if sandbox:
        parts.append(f"<p>Sandbox: <b>{html.escape(sandbox['mechanism'])}</b></p>")
        parts.append("<details><summary>enforced / not enforced</summary><ul>"
                     + "".join(f"<li>{html.escape(line)}</li>" for line in sandbox["enforced"])
                     + "</ul><ul>" + "".join(f"<li><b>not:</b> {html.escape(line)}</li>"
                                            for line in sandbox["not_enforced"])
                     + "</ul></details>")
    student_rows = []
    for student in sorted(set(results) | set(rows)):
        row = rows.get(student, {})
        link = (f'<a href="{html.escape(student, quote=True)}/feedback.txt">'
                f"{html.escape(student)}</a>" if student in results else html.escape(student))
        student_rows.append([link, html.escape(str(row.get("total", ""))),
                             html.escape(row.get("status", ""))])
    parts += ["<h2>Students</h2>", _table(["student", "total", "status"], student_rows, True)]
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Class report</title>"
            f"<style>{STYLE}</style></head><body>{''.join(parts)}"
            f"<script>{SORT_SCRIPT}</script></body></html>")


def write_report(out_dir: Path) -> Path:
    path = Path(out_dir) / "report.html"
    write_text_atomic(path, render(out_dir))
    return path
