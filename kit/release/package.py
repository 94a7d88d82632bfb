"""Copy the reference ``cs231n`` package into the release with every solution region stripped.

nbgrader copies ``.py`` files verbatim (solutions included), so the package never goes through
nbgrader: this step copies it, stripping ``*.py`` files with ``regions.strip_solutions`` and
copying the rest (``datasets/get_datasets.sh``) as they are.  Downloaded data, caches and build
outputs are never copied.
"""

import shutil

from autograder.never_copied import never_copied

from .regions import strip_solutions


def wanted(path, top):
    """Whether ``path`` (below ``top``) belongs in a student's copy (data is downloaded by
    get_datasets.sh; caches and builds are never copied)."""
    return path.is_file() and not never_copied(path.relative_to(top))


def copy_stripped_package(layout):
    """Copy ``assignment/cs231n`` to ``<staging>/cs231n``, stripping solution regions."""
    source = layout.package
    if not (source / "__init__.py").is_file():
        raise FileNotFoundError(f"reference package not found: {source}/__init__.py")
    target = layout.staging / "cs231n"
    for path in sorted(source.rglob("*")):
        if not wanted(path, source):
            continue
        relative = path.relative_to(source)
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".py":
            shown = f"cs231n/{relative.as_posix()}"
            text = path.read_text(encoding="utf-8")
            destination.write_text(strip_solutions(text, path, display_path=shown),
                                   encoding="utf-8")
        else:
            shutil.copyfile(path, destination)
        # Only the executable bit matters to git; keep it for get_datasets.sh.
        destination.chmod(0o755 if path.stat().st_mode & 0o100 else 0o644)
