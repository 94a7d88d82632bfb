"""The class report a person opens after a batch: every figure loads, the console is clean,
the tables are there, student ids are escaped, and it works offline from a file."""

import html
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.class_report import render, write_report
from autograder.samples.build import build_samples
from tests.browser import chromium

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ["perfect", "stubs", "conv_ignores_stride", "maxpool_routes_to_all"]
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The bundled samples graded by grade-all, which writes report.html itself."""
    root = tmp_path_factory.mktemp("report")
    build_samples(root / "submissions", SAMPLES)
    (root / "submissions" / HOSTILE).mkdir()  # a folder name that is markup: no package
    subprocess.run([sys.executable, "-m", "autograder", "grade-all", str(root / "submissions"),
                    "-o", str(root / "out"), "--jobs", "2"], cwd=ROOT, check=False,
                   capture_output=True, timeout=600)
    return root / "out"


def test_grade_all_writes_the_report_with_every_section(graded):
    text = (graded / "report.html").read_text()
    for heading in ("Scores", "Per function", "Failed tests", "Hints given",
                    "Grader incidents", "Students"):
        assert f"<h2>{heading}</h2>" in text
    assert "right only for stride 1" in html.unescape(text)  # conv_ignores_stride's hint
    assert HOSTILE not in text and html.escape(HOSTILE) in text
    assert 'href="perfect/feedback.txt"' in text
    assert "http://" not in text and "https://" not in text  # nothing from the network
    assert render(graded) == text  # `python -m autograder report` gives the same file


def test_the_report_in_a_browser(graded):
    """Opened from disk in headless Chromium: all figures decode, no console errors."""
    write_report(graded)
    screenshots = ROOT / "out" / "report"
    screenshots.mkdir(parents=True, exist_ok=True)
    with chromium(height=2400) as driver:
        driver.get((graded / "report.html").as_uri())
        loaded = driver.execute_script(
            "return [...document.images].map(i => i.complete && i.naturalWidth > 0)")
        assert loaded and all(loaded), loaded
        assert len(loaded) == 3
        rows = driver.execute_script("return document.querySelectorAll('table tr').length")
        assert rows > 10
        driver.find_element("xpath", "//h2[text()='Students']/following::th[2]").click()
        driver.save_screenshot(str(screenshots / "report.png"))
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []
