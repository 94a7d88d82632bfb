"""Headless Debian Chromium driven by selenium, for tests of what a person sees in a browser.

`chromium()` yields a driver or skips the test saying why (no selenium, no chromium or
chromedriver: `apt-get install chromium chromium-driver`; .ci/run installs them as root).
The driver's processes are stopped when the context ends.
"""

import contextlib
import shutil

import pytest

BROWSER_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
DRIVER_PATHS = ("/usr/bin/chromedriver",)


def _first(paths, name):
    found = [p for p in paths if shutil.which(p)] or ([shutil.which(name)] if shutil.which(
        name) else [])
    return found[0] if found else None


@contextlib.contextmanager
def chromium(width=1200, height=1600):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium not installed")
    browser, driver_path = _first(BROWSER_PATHS, "chromium"), _first(DRIVER_PATHS,
                                                                     "chromedriver")
    if browser is None or driver_path is None:
        pytest.skip("no browser: apt-get install chromium chromium-driver (CI does as root)")
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", f"--window-size={width},{height}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()
