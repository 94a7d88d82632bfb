"""Headless Debian Chromium driven by selenium, for the tests of what a person sees in a browser
(tests/test_browser.py: the student's notebooks; tests/test_class_report.py: the class report).

`browser_or_skip()` finds chromium, chromedriver and selenium or skips the test saying what is
missing (`apt-get install chromium chromium-driver`; .ci/run installs them as root).  A
`Browser` is stopped by PID, with everything it started, whatever happens.
"""

import contextlib
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

import pytest


def browser_or_skip():
    """(chromium, chromedriver) paths and the selenium package, or a skip naming what is
    missing."""
    webdriver = pytest.importorskip(
        "selenium.webdriver", reason="selenium not installed (pip install -e '.[test]')")
    chromium = next((shutil.which(n) for n in ("chromium", "chromium-browser")
                     if shutil.which(n)), None)
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("no headless browser: apt-get install chromium chromium-driver "
                    "(.ci/run does when root)")
    return chromium, driver, webdriver


def descendants(pid):
    """PIDs of every live process below ``pid`` (read from /proc)."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def stop(pids):
    """SIGTERM each PID, then SIGKILL whatever is still there two seconds later."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        alive = []
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
                alive.append(pid)
        if not alive or sig == signal.SIGKILL:
            return
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in alive):
            time.sleep(0.1)


class Browser:
    """Headless Chromium through chromedriver (console messages kept); ``quit`` stops both by
    PID."""

    def __init__(self, chromium, driver_path, webdriver, profile, log_path,
                 size=(1280, 1000)):
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                         "--disable-gpu", "--no-first-run", f"--window-size={size[0]},{size[1]}",
                         f"--user-data-dir={profile}"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(executable_path=driver_path, log_output=str(log_path))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.service = service

    def quit(self):
        pid = self.service.process.pid
        leftovers = descendants(pid)
        try:
            self.driver.quit()
        finally:
            stop([pid, *leftovers])


@contextlib.contextmanager
def chromium(width=1200, height=1600):
    """A selenium driver for one test, or a skip saying why there is none."""
    browser_path, driver_path, webdriver = browser_or_skip()
    with tempfile.TemporaryDirectory(prefix="chromium-") as scratch:
        browser = Browser(browser_path, driver_path, webdriver, Path(scratch) / "profile",
                          Path(scratch) / "chromedriver.log", size=(width, height))
        try:
            yield browser.driver
        finally:
            browser.quit()
