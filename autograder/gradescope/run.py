"""Grade ``ROOT/submission`` into ``ROOT/results/results.json`` (ROOT is /autograder on Gradescope).

Whatever happens, a results.json is written: a submission that cannot be graded gets a score of 0
and a message saying why, never Gradescope's bare "autograder failed".
"""

import argparse
import json
import os
import subprocess
import sys
import traceback
from pathlib import Path

from autograder.gradescope.layout import assemble
from autograder.seeding import SECRET_FILE  # written into the zip by kit.gradescope (mode 600)
from autograder.submission import student_id

# The grader sandboxes and times out each function itself; this bounds the whole run.
GRADE_TIMEOUT_SECONDS = 30 * 60


def _write(path, results):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=2))
    os.replace(tmp, path)


def grade(root):
    """Assemble and grade; return the Gradescope results dict."""
    source = Path(__file__).resolve().parents[2]
    work = root / "work" / "assignment2"
    results_path = root / "results" / "results.json"
    assembly = assemble(root / "submission", source / "release" / "assignment2", work)
    graded = root / "work" / "results.json"
    if graded.exists():
        graded.unlink()
    command = [sys.executable, "-m", "autograder", "grade", str(work), "-o", str(graded),
               "--student-id", student_id(work, root / "submission_metadata.json")]
    if SECRET_FILE.is_file():
        command += ["--secret-file", str(SECRET_FILE)]
    process = subprocess.run(
        command,
        capture_output=True, text=True, timeout=GRADE_TIMEOUT_SECONDS, cwd=source, check=False,
    )
    if not graded.is_file():
        raise RuntimeError(
            f"the grader exited with status {process.returncode} without results:\n"
            f"{process.stderr[-2000:]}"
        )
    results = json.loads(graded.read_text())
    results["output"] = assembly.summary() + "\n\n" + results.get("output", "")
    _write(results_path, results)
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.gradescope.run")
    parser.add_argument("--root", default=os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    root = Path(parser.parse_args(argv).root)
    try:
        results = grade(root)
    except Exception as error:  # noqa: BLE001 - the student still gets a result and a reason
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        results = {
            "score": 0.0,
            "output": "The autograder could not grade this submission; please tell your "
                      f"instructor.\n{detail}",
            "tests": [],
        }
        _write(root / "results" / "results.json", results)
        print(detail, file=sys.stderr)
    # Exit 0 either way: Gradescope shows results.json, which now says what happened.
    print(f"score: {results.get('score')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
