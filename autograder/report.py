"""Reports: Gradescope results.json (under 1 MB), a feedback text per student, grades.csv."""

import csv
import io
import json
import os
from pathlib import Path

from autograder.grader import SubmissionResult
from autograder.points import POINTS

MAX_RESULTS_BYTES = 1_000_000  # Gradescope rejects larger results.json files
TEST_OUTPUT_CHARS = 1500


def _truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n[... {len(text) - limit} characters cut]"


def test_output(test, function_output: str = "") -> str:
    lines = [("PASSED: " if test.passed else "FAILED: ") + test.message]
    lines += [f"Hint: {hint}" for hint in test.hints]
    if function_output and not test.passed:
        lines.append("Your code printed:\n" + function_output)
    return _truncate("\n".join(lines), TEST_OUTPUT_CHARS)


def reproduce_note(result: SubmissionResult) -> str:
    return (f"Graded by autograder {result.grader_version} with seed {result.seed} (student id "
            f"{result.student_id!r}; {result.secret}).")


def gradescope_json(result: SubmissionResult, output_limit: int = TEST_OUTPUT_CHARS) -> dict:
    tests = []
    for function in result.functions:
        shown_output = False
        for test in function.tests:
            # The student's printed output goes with the function's first failing test only.
            printed = "" if shown_output or test.passed else function.output
            shown_output = shown_output or bool(printed)
            output = test_output(test, printed)
            if function.note and test is function.tests[0]:
                output = f"Note: {function.note}\n{output}"
            tests.append({
                "name": test.name, "score": test.score, "max_score": test.max_score,
                "status": "passed" if test.passed else "failed",
                "output": _truncate(output, output_limit),
                "visibility": "visible"})  # hidden inputs, visible results
    summary = [f"Score {result.score:g} / {result.max_score:g}.", *result.problems,
               reproduce_note(result)]
    return {
        "score": result.score,
        "output": "\n".join(summary),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {
            "student_id": result.student_id, "seed": result.seed,
            "seed_derivation": "HMAC-SHA256(course secret, student id), first 63 bits",
            "secret": result.secret, "grader_version": result.grader_version,
            "sandbox": result.sandbox, "seconds": round(result.seconds, 2),
            "functions": {f.function: [f.score, f.max_score] for f in result.functions},
            "secret_fingerprint": result.secret_fingerprint,
            "submission_digest": result.submission_digest,
            "problems": result.problems,
            "incidents": {f.function: f.incidents for f in result.functions if f.incidents},
            # which run counted where reference layers were substituted (autograder/substitute.py)
            "substituted": {f.function: f.substituted for f in result.functions
                            if f.substituted}},
    }


def results_json_text(result: SubmissionResult) -> str:
    """The JSON text, cutting test outputs shorter until it fits Gradescope's 1 MB."""
    limit = TEST_OUTPUT_CHARS
    while True:
        text = json.dumps(gradescope_json(result, limit), indent=1)
        if len(text.encode()) < MAX_RESULTS_BYTES or limit < 50:
            return text
        limit //= 2


def feedback_text(result: SubmissionResult) -> str:
    lines = [f"CS231n assignment 2 - autograder feedback for {result.student_id}",
             f"Total: {result.score:g} / {result.max_score:g}", ""]
    lines += [f"Note: {problem}" for problem in result.problems]
    for function in result.functions:
        lines.append(f"{function.function}: {function.score:g} / {function.max_score:g}")
        if function.note:
            lines.append(f"  note: {function.note}")
        for test in function.tests:
            name = test.name.split(": ", 1)[1]
            mark = "PASS" if test.passed else "FAIL"
            message = test.message.replace("\n", "\n       ")
            lines.append(f"  {mark} {name} ({test.score:g}/{test.max_score:g})"
                         + ("" if test.passed else f": {message}"))
            lines += [f"       hint: {hint}" for hint in test.hints]
        if function.output and function.score < function.max_score:
            printed = _truncate(function.output, 800).replace("\n", "\n    | ")
            lines.append(f"  your code printed:\n    | {printed}")
        lines.append("")
    lines.append(reproduce_note(result))
    return "\n".join(lines) + "\n"


def notebook_feedback(data: dict, function: str) -> str:
    """The short text a notebook's hidden test cell prints, from a results.json's data."""
    tests = [t for t in data["tests"] if t["name"].startswith(function + ": ")]
    score = sum(t["score"] for t in tests)
    lines = [f"{function}: {score:g} / {sum(t['max_score'] for t in tests):g} points"]
    for test in tests:
        name = test["name"].split(": ", 1)[1]
        if test["status"] == "passed":
            lines.append(f"  PASS {name}")
        else:
            detail = test["output"].removeprefix("FAILED: ").replace("\n", "\n       ")
            lines.append(f"  FAIL {name}: {detail}")
    return "\n".join(lines)


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, then rename: never a half-written file.
    Text that cannot be encoded (a lone surrogate from a file name) is replaced, not fatal."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8", errors="replace")
    os.replace(temporary, path)


def write_submission(result: SubmissionResult, results_path: Path,
                     feedback_path: Path | None) -> None:
    write_text_atomic(results_path, results_json_text(result))
    if feedback_path is not None:
        write_text_atomic(feedback_path, feedback_text(result))


def write_grades_csv(rows: list[dict], path: Path) -> None:
    """One row per student: id, total, per-function points, status, seed."""
    columns = ["student_id", "total", *POINTS, "status", "seed"]
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in sorted(rows, key=lambda r: r["student_id"]):
        writer.writerow(row)
    write_text_atomic(path, text.getvalue())


def grades_row(result: SubmissionResult) -> dict:
    row = {"student_id": result.student_id, "total": f"{result.score:g}", "status": "graded",
           "seed": result.seed}
    row.update({f.function: f"{f.score:g}" for f in result.functions})
    return row


def grades_row_from_json(data: dict) -> dict:
    """The grades.csv row of a results.json this grader wrote."""
    extra = data["extra_data"]
    row = {"student_id": extra["student_id"], "total": f"{data['score']:g}",
           "status": "graded", "seed": extra["seed"]}
    row.update({name: f"{points[0]:g}" for name, points in extra["functions"].items()})
    return row
