"""Build ``autograder.zip`` for Gradescope: ``python -m kit.gradescope [-o autograder.zip]``.

The zip holds, at its top (Gradescope unpacks it to ``/autograder/source``):

- ``setup.sh`` and ``run_autograder`` (from ``autograder/gradescope/``);
- ``requirements.txt``: every package the grader and the build need, pinned to the versions of
  the environment that builds the zip (so Gradescope grades with what the tests ran with);
- the kit's build files (``pyproject.toml``, ``setup.py``, ``README.md``), the ``cs231n_fast``
  sources (``setup.sh`` compiles them), the ``autograder`` package with its hidden cases, the
  reference ``assignment/cs231n`` and the student view ``release/assignment2``.

With ``--secret-file`` (or ``$CS231N_GRADER_SECRET``, or ``autograder/grader_secret``) the
course secret that seeds each student's hidden inputs goes in too (``autograder/grader_secret``,
mode 600), so Gradescope and the CLI draw the same inputs for a student id.  Without it the zip
grades with the development default secret, and says so.

Entries are sorted and time-stamped 1980-01-01, so the same tree always gives the same zip.
"""

import argparse
import os
import stat
import sys
import zipfile
from importlib import metadata
from pathlib import Path

from autograder.never_copied import never_copied
from kit.release.build_files import fast_sources
from kit.release.layout import ROOT, Layout

GRADESCOPE_DIR = ROOT / "autograder" / "gradescope"

# Installed on Gradescope (pinned with their dependencies); the kit itself is installed --no-deps.
TOP_LEVEL_REQUIREMENTS = ["numpy", "Cython", "setuptools", "wheel", "matplotlib", "imageio", "tqdm"]

# Besides what is never copied (autograder.never_copied): the sample submissions.
NOT_SHIPPED = {"samples"}


def _closure(names):
    """The installed distributions ``names`` need (markers evaluated here), as {name: version}."""
    from packaging.requirements import Requirement

    pinned, todo = {}, list(names)
    while todo:
        name = todo.pop()
        dist = metadata.distribution(name)
        key = dist.metadata["Name"]
        if key.lower() in {k.lower() for k in pinned}:
            continue
        pinned[key] = dist.version
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            todo.append(requirement.name)
    return pinned


def requirements_text(names=TOP_LEVEL_REQUIREMENTS):
    """``requirements.txt`` pinning ``names`` and everything they pull in, one ``==`` a line."""
    pinned = _closure(names)
    lines = [f"{name}=={version}" for name, version in sorted(pinned.items(), key=lambda kv:
                                                               kv[0].lower())]
    python = ".".join(map(str, sys.version_info[:2]))
    return f"# Pinned by kit.gradescope from the Python {python} build environment.\n" + (
        "\n".join(lines) + "\n")


def _tree_files(folder):
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not never_copied(relative) and not (
                set(relative.parts) & NOT_SHIPPED):
            yield path


def bundle_files(root=ROOT):
    """{path inside the zip: path on disk} for everything but the generated requirements."""
    layout = Layout(Path(root))
    # $CS231N_RELEASE_DIR: bundle a student view built elsewhere (as autograder.samples does).
    release = Path(os.environ.get("CS231N_RELEASE_DIR") or layout.release_dir)
    for needed in (layout.package / "layers.py", release / "cs231n"):
        if not needed.exists():
            raise FileNotFoundError(f"{needed} is missing (run `make release` first)")
    files = {
        "setup.sh": GRADESCOPE_DIR / "setup.sh",
        "run_autograder": GRADESCOPE_DIR / "run_autograder",
    }
    for name in ("pyproject.toml", "setup.py", "README.md"):
        files[name] = layout.root / name
    # The same kernel sources the student release ships (never the generated .c or .so).
    for path in fast_sources(layout.fast):
        files[f"cs231n_fast/{path.name}"] = path
    folders = {"autograder": layout.root / "autograder", "assignment/cs231n": layout.package,
               "release/assignment2": release}
    for name, folder in folders.items():
        for path in _tree_files(folder):
            files[f"{name}/{path.relative_to(folder).as_posix()}"] = path
    return files


SECRET_NAME = "autograder/grader_secret"  # autograder.seeding.SECRET_FILE inside the zip


def _add(archive, name, data, mode=0o644):
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (stat.S_IFREG | mode) << 16
    archive.writestr(info, data)


def course_secret(secret_file=None):
    """The course secret's bytes (autograder.seeding.load_secret: the same loader, the same
    stripping as every grading path), or None for the development default."""
    from autograder.seeding import GraderFault, load_secret

    try:
        secret = load_secret(secret_file)
    except GraderFault as error:
        raise ValueError(str(error)) from None
    return None if secret.is_development else secret.value


def build_zip(out_path, root=ROOT, secret=None):
    """Write the Gradescope autograder zip to ``out_path``; return the names it holds."""
    files = bundle_files(root)
    files.pop(SECRET_NAME, None)  # a stray local copy never ships by accident
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    extra = ["requirements.txt"] + ([SECRET_NAME] if secret else [])
    names = sorted([*files, *extra])
    with zipfile.ZipFile(out_path, "w") as archive:
        for name in names:
            if name == "requirements.txt":
                _add(archive, name, requirements_text())
            elif name == SECRET_NAME:
                _add(archive, name, secret + b"\n", mode=0o600)
            else:
                mode = 0o755 if name in ("setup.sh", "run_autograder") else 0o644
                _add(archive, name, files[name].read_bytes(), mode=mode)
    return names


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kit.gradescope", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("-o", "--output", default=str(ROOT / "autograder.zip"))
    parser.add_argument("--secret-file", help="the course secret (default: "
                        "$CS231N_GRADER_SECRET; without either, the development default)")
    args = parser.parse_args(argv)
    try:
        secret = course_secret(args.secret_file)
        names = build_zip(args.output, secret=secret)
    except (FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    size = Path(args.output).stat().st_size
    print(f"wrote {args.output} ({len(names)} files, {size // 1024} KiB)")
    if secret is None:
        print("warning: no course secret (--secret-file or CS231N_GRADER_SECRET): the zip "
              "grades with the development default, which students can read in the kit.")
    print("Upload it as the autograder of a Gradescope programming assignment "
          "(base image: Ubuntu 22.04 or 24.04).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
