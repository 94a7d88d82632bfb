"""The build files agree: environment.yml holds pyproject.toml's dependencies and extras, and the
torch oracle is pinned once."""

import re
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from 3.11")

ROOT = Path(__file__).resolve().parents[1]
NOT_IN_CONDA = {"oracle"}  # torch: installed by pip (make test WITH_TORCH=1), never by conda


def _name_and_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"\s*([A-Za-z0-9_.-]+)\s*(.*)", requirement)
    return match.group(1).lower(), match.group(2).replace(" ", "")


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra, requirements in project["optional-dependencies"].items():
        if extra not in NOT_IN_CONDA:
            wanted += requirements
    return dict(_name_and_spec(r) for r in wanted)


def _environment_requirements() -> dict[str, str]:
    found = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        item = re.match(r"\s*-\s+([^#]+)", line)
        if item and not item.group(1).strip().startswith(("-e", "pip:")):
            name, spec = _name_and_spec(item.group(1).strip())
            found[name] = spec
    return found


def test_environment_yml_lists_every_pyproject_requirement_with_its_bound():
    environment = _environment_requirements()
    for name, spec in _pyproject_requirements().items():
        assert name in environment, f"environment.yml lacks {name}{spec}"
        assert environment[name] == spec, f"{name}: pyproject {spec!r}, environment.yml " \
                                          f"{environment[name]!r}"


def test_the_oracle_is_pinned_once():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    pins = [r for r in extras["oracle"] if r.startswith("torch==")]
    assert len(pins) == 1, extras["oracle"]
    version = pins[0].removeprefix("torch==")
    for path in ("Makefile", "tests/conftest.py", ".ci/run", "environment.yml"):
        assert version not in (ROOT / path).read_text(), f"{path} pins torch itself"
