"""The student path in a real browser: the release in Jupyter Notebook 7, driven by headless
Chromium through selenium, as a student would run it.

A copy of ``release/assignment2`` is served by ``jupyter notebook`` on 127.0.0.1 with a random
token; each notebook is opened and run with Kernel > Restart Kernel and Run All Cells... from
the menu bar, first with the stubs, then with the reference ``cs231n`` dropped in. The run is
the full one (not quick mode) on the CIFAR-10 subset in ``../shared/data``: the three notebooks
take about a minute together with the solution. Checked on what the page shows and on the saved
notebook: with the solution no cell shows an error or red stderr text and every figure is an
image; with the stubs the first error names the function and file to write. Screenshots, the
notebooks as the browser saved them and the per-notebook times (``times.json``) go to
``out/browser/``. Everything started here is stopped by PID.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them when root) and
selenium (the ``test`` extra); skips with the reason otherwise.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from importlib import metadata
from pathlib import Path

import nbformat
import pytest

from tests.browser import Browser, browser_or_skip, descendants, stop

ROOT = Path(__file__).resolve().parents[1]
RELEASE = ROOT / "release" / "assignment2"
PACKAGE = ROOT / "assignment" / "cs231n"
SCREENSHOTS = ROOT / "out" / "browser"
RUN_ALL = "Restart Kernel and Run All Cells…"
# Figures each notebook draws with a correct solution (kitten/puppy, loss and accuracy, filters).
FIGURES = {"Layers": 0, "ConvolutionalNetworks": 3, "SpatialBatchNormalization": 0}
FIRST_STUB = {"Layers": "affine_forward", "ConvolutionalNetworks": "conv_forward_naive",
              "SpatialBatchNormalization": "batchnorm_forward"}
NOTEBOOK_TIMEOUT = 600
TIMES = {}

pytestmark = pytest.mark.slow


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``jupyter notebook`` serving ``folder`` on 127.0.0.1 with a random token."""

    def __init__(self, folder, env, log):
        self.port, self.token = _free_port(), secrets.token_hex(16)
        command = [sys.executable, "-m", "jupyter", "notebook", "--no-browser", "--allow-root",
                   "--ip=127.0.0.1", f"--port={self.port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={folder}"]
        self.process = subprocess.Popen(command, cwd=folder, env=env, stdout=log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while True:
            try:
                self.api("status")
                return
            except OSError as error:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"jupyter notebook did not start; see {log.name}") from error
                time.sleep(0.5)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}/{path}?token={self.token}"

    def api(self, path, method="GET"):
        request = urllib.request.Request(self.url(f"api/{path}"), method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def kernel_state(self, path):
        """The execution state of the kernel of notebook ``path`` (None before it starts)."""
        for session in self.api("sessions"):
            if session["path"] == path and session.get("kernel"):
                return session["kernel"]["execution_state"]
        return None

    def shut_down(self, path):
        """End the session (and kernel) of notebook ``path``."""
        for session in self.api("sessions"):
            if session["path"] == path:
                self.api(f"sessions/{session['id']}", method="DELETE")

    def stop(self):
        """Shut the kernels down through the API, then stop the server and anything left."""
        try:
            for kernel in self.api("kernels"):
                self.api(f"kernels/{kernel['id']}", method="DELETE")
        except OSError:
            pass
        leftovers = descendants(self.process.pid)
        stop([self.process.pid])
        self.process.wait(timeout=10)
        stop(leftovers)


def _wait(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.25)


def _click_menu(driver, menu, item):
    """Open ``menu`` in the menu bar and click ``item`` in it, as a student would."""
    from selenium.webdriver.common.by import By

    bar = _wait(lambda: [e for e in driver.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-item")
                         if e.text.strip() == menu], 30, f"the {menu} menu")
    bar[0].click()
    entry = _wait(lambda: [e for e in driver.find_elements(
        By.CSS_SELECTOR, ".lm-Menu-content .lm-Menu-item") if e.text.strip().startswith(item)],
        10, f"{menu} > {item}")
    entry[0].click()


PAGE_STATE = """
const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
    .map(p => p.textContent.trim());
const outputs = [...document.querySelectorAll('.jp-OutputArea-output')];
return {
  prompts: prompts,
  stderr: outputs.filter(o => o.dataset.mimeType === 'application/vnd.jupyter.stderr')
                 .map(o => o.textContent),
  images: [...document.querySelectorAll('.jp-OutputArea-output img')]
          .map(i => [i.naturalWidth, i.naturalHeight]),
};
"""


def _run_all(driver, server, top, variant, stem):
    """Open ``<variant>/assignment2/<stem>.ipynb`` and run it from the menu; return (seconds,
    page state, the notebook as the browser saved it)."""
    from selenium.webdriver.common.by import By

    path = top / variant / "assignment2" / f"{stem}.ipynb"
    relative = path.relative_to(top).as_posix()
    driver.get(server.url(f"notebooks/{relative}"))
    _wait(lambda: driver.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell"), 60,
          f"{stem} to open")
    _wait(lambda: server.kernel_state(relative) == "idle", 60, "the kernel to start")
    start = time.perf_counter()
    _click_menu(driver, "Kernel", RUN_ALL)
    accept = _wait(lambda: driver.find_elements(By.CSS_SELECTOR, ".jp-Dialog .jp-mod-accept"),
                   10, "the restart dialog")
    accept[0].click()

    def finished():
        state = driver.execute_script(PAGE_STATE)
        idle = server.kernel_state(relative) == "idle"
        ran = "[1]:" in state["prompts"]
        return state if ran and idle and not any("*" in p for p in state["prompts"]) else None

    # Idle must hold for a second: the kernel is idle for a moment between two cells.
    state = None
    while True:
        state = _wait(finished, NOTEBOOK_TIMEOUT, f"{stem} to finish")
        time.sleep(1)
        if finished() == state:
            break
    seconds = time.perf_counter() - start

    # Save from the menu too, and read what the browser holds as a notebook file.
    before = path.stat().st_mtime_ns
    _click_menu(driver, "File", "Save")
    _wait(lambda: path.stat().st_mtime_ns != before, 30, f"{stem} saved")
    time.sleep(0.5)
    shutil.copyfile(path, SCREENSHOTS / f"{stem}-{variant}.ipynb")
    return seconds, state, nbformat.read(path, as_version=4)


def _close(driver, server, variant, stem):
    """Leave the page and shut its kernel down, so kernels do not pile up."""
    driver.get("about:blank")
    server.shut_down(f"{variant}/assignment2/{stem}.ipynb")


def _screenshot_of(driver, element, name):
    """Scroll ``element`` into view and save a screenshot of the window to out/browser."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", element)
    time.sleep(0.5)
    driver.save_screenshot(str(SCREENSHOTS / name))


def _student_jupyter_config(folder):
    """Jupyter settings that hide the instructor's nbgrader extensions (installed in the kit's
    environment, never in a student's), so the page is the one a student sees."""
    (folder / "labconfig").mkdir(parents=True)
    (folder / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyter/nbgrader": True}}))
    server_extensions = {f"nbgrader.server_extensions.{name}": False for name in (
        "formgrader", "assignment_list", "course_list", "validate_assignment")}
    (folder / "jupyter_server_config.json").write_text(json.dumps(
        {"ServerApp": {"jpserver_extensions": server_extensions}}))


@pytest.fixture(scope="module")
def student_session(tmp_path_factory, cifar_dir, images_dir):
    """A Jupyter server over two copies of the release (stubs, reference solution) and a
    headless browser, both stopped by PID at the end."""
    chromium, driver_path, webdriver = browser_or_skip()
    if int(metadata.version("notebook").split(".")[0]) < 7:
        pytest.skip("Jupyter Notebook 7 is not installed (the [instructor] extra installs it)")
    top = tmp_path_factory.mktemp("browser")
    for variant in ("stubs", "solution"):
        shutil.copytree(RELEASE, top / variant / "assignment2")
    solution = top / "solution" / "assignment2" / "cs231n"
    shutil.rmtree(solution)
    shutil.copytree(PACKAGE, solution, ignore=shutil.ignore_patterns("__pycache__"))

    home = top / "home"
    _student_jupyter_config(home / ".jupyter")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "CS231N_", "PYTHONPATH", "NBGRADER"))}
    env.update(HOME=str(home), IPYTHONDIR=str(home / ".ipython"),
               JUPYTER_CONFIG_DIR=str(home / ".jupyter"), CS231N_CIFAR10_DIR=str(cifar_dir),
               CS231N_IMAGES_DIR=str(images_dir), OMP_NUM_THREADS="2",
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    log = open(SCREENSHOTS / "jupyter.log", "w")  # noqa: SIM115 (closed below)
    server = browser = None
    try:
        server = Server(top, env, log)
        browser = Browser(chromium, driver_path, webdriver, top / "profile",
                          SCREENSHOTS / "chromedriver.log")
        yield server, browser.driver, top
    finally:
        if browser is not None:
            browser.quit()
        if server is not None:
            server.stop()
        log.close()
        (SCREENSHOTS / "times.json").write_text(json.dumps(TIMES, indent=2) + "\n")


def _error_outputs(nb):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if o.output_type == "error"]


@pytest.mark.parametrize("stem", list(FIRST_STUB))
def test_stub_notebook_stops_at_the_first_function_to_write(student_session, stem):
    """Run from the menu with the stubs, does the notebook stop at its first function to write,
    with an error naming that function and its file?"""
    from selenium.webdriver.common.by import By

    server, driver, top = student_session
    seconds, state, nb = _run_all(driver, server, top, "stubs", stem)
    TIMES[f"{stem} (stubs)"] = round(seconds, 1)
    print(f"{stem} with the stubs: {seconds:.1f} s")

    expected = f"NotImplementedError: Implement {FIRST_STUB[stem]} in cs231n/layers.py"
    assert state["stderr"], "no error shown"
    assert expected in state["stderr"][0], state["stderr"][0][-500:]
    errors = _error_outputs(nb)
    assert [(e.ename, e.evalue) for e in errors] == [
        ("NotImplementedError", f"Implement {FIRST_STUB[stem]} in cs231n/layers.py")]
    first = driver.find_elements(By.CSS_SELECTOR,
                                 ".jp-OutputArea-output[data-mime-type$='stderr']")[0]
    _screenshot_of(driver, first, f"{stem}-stubs.png")
    _close(driver, server, "stubs", stem)


@pytest.mark.parametrize("stem", list(FIGURES))
def test_solution_notebook_runs_clean_with_every_figure(student_session, stem):
    """Run from the menu with a correct solution, does every cell run with no error or red
    stderr text, and is every figure rendered as an image?"""
    from selenium.webdriver.common.by import By

    server, driver, top = student_session
    seconds, state, nb = _run_all(driver, server, top, "solution", stem)
    TIMES[f"{stem} (solution)"] = round(seconds, 1)
    print(f"{stem} with the solution: {seconds:.1f} s")

    assert state["stderr"] == [], state["stderr"]
    assert _error_outputs(nb) == []
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "a cell did not run"
    pngs = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(pngs) == FIGURES[stem]
    assert len(state["images"]) == FIGURES[stem]
    assert all(width > 100 and height > 100 for width, height in state["images"]), state
    if stem == "ConvolutionalNetworks":
        # What the gradient-check text promises a correct solution, and the subset said once.
        printed = "".join(o.get("text", "") for c in code for o in c.outputs)
        errors = [float(line.split(":")[1]) for line in printed.splitlines()
                  if "max relative error:" in line]
        assert len(errors) == 6 and max(errors) <= 1e-4, errors
        assert printed.count("NOTE: this is not the full CIFAR-10") == (
            0 if "X_train:  (49000," in printed else 1)

    first_cell = driver.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-Cell")[0]
    _screenshot_of(driver, first_cell, f"{stem}-solution.png")
    for number, image in enumerate(driver.find_elements(By.CSS_SELECTOR,
                                                        ".jp-OutputArea-output img"), 1):
        _screenshot_of(driver, image, f"{stem}-figure{number}.png")
    _close(driver, server, "solution", stem)
