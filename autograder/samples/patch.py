"""Replace functions of the reference package with a buggy sample's versions, located with ast.

A bug file is ordinary Python: top-level ``def``s replace the top-level function of the same name
wherever it is defined in ``cs231n/`` (exactly one module must define it), and a ``class C:`` block
replaces the listed methods of class ``C``.  A replacement that calls ``_reference_<name>`` (or
``self._reference_<name>``) keeps the original beside it under that name, so a sample can break
one branch and delegate the rest.  Anything that cannot be located exactly raises
``SamplePatchError``: a sample that silently stopped applying would grade as perfect.
"""

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path


class SamplePatchError(ValueError):
    """A bug file does not apply cleanly to the reference package."""


@dataclass(frozen=True)
class Replacement:
    """One function (``qualname`` "f" or "Class.method") and the source that replaces it."""

    qualname: str
    source: str  # dedented def, decorators included
    keeps_reference: bool  # the new code calls _reference_<name>


def _segment(lines, node):
    """Source lines of ``node`` including its decorators, as one dedented string."""
    start = min([d.lineno for d in node.decorator_list] + [node.lineno])
    return textwrap.dedent("".join(lines[start - 1 : node.end_lineno]))


def _calls_reference(node, name):
    wanted = f"_reference_{name}"
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id == wanted:
            return True
        if isinstance(sub, ast.Attribute) and sub.attr == wanted:
            return True
    return False


def read_bug_file(path):
    """Return the bug file's ``(replacements, imports)``; imports are source lines to ensure."""
    text = Path(path).read_text()
    tree = ast.parse(text, filename=str(path))
    lines = text.splitlines(keepends=True)
    replacements, imports = [], []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            replacements.append(
                Replacement(node.name, _segment(lines, node), _calls_reference(node, node.name))
            )
        elif isinstance(node, ast.ClassDef):
            methods = [m for m in node.body if isinstance(m, ast.FunctionDef)]
            if not methods:
                raise SamplePatchError(f"{path}: class {node.name} lists no method to replace")
            for method in methods:
                replacements.append(
                    Replacement(
                        f"{node.name}.{method.name}",
                        _segment(lines, method),
                        _calls_reference(method, method.name),
                    )
                )
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(ast.get_source_segment(text, node))
    if not replacements:
        raise SamplePatchError(f"{path}: no function or method to replace")
    return replacements, imports


def _find(tree, qualname):
    """The def node for ``qualname`` in a module tree, or None."""
    parts = qualname.split(".")
    body = tree.body
    node = None
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        kinds = (ast.FunctionDef, ast.AsyncFunctionDef) if last else (ast.ClassDef,)
        matches = [n for n in body if isinstance(n, kinds) and n.name == part]
        if len(matches) != 1:
            return None
        node = matches[0]
        body = node.body
    return node


def locate(package_dir, qualname):
    """The one ``.py`` file under ``package_dir`` that defines ``qualname``; raise otherwise."""
    found = []
    for path in sorted(Path(package_dir).rglob("*.py")):
        if _find(ast.parse(path.read_text(), filename=str(path)), qualname) is not None:
            found.append(path)
    if len(found) != 1:
        where = ", ".join(str(p) for p in found) or "no module"
        raise SamplePatchError(
            f"{qualname} must be defined in exactly one module of {package_dir}, found in {where}"
        )
    return found[0]


def _indent(source, col):
    return textwrap.indent(source, " " * col, lambda line: line.strip() != "")


def replace_function(text, replacement, filename="<module>"):
    """Return ``text`` with ``replacement.qualname`` replaced (and the original kept if asked)."""
    tree = ast.parse(text, filename=filename)
    node = _find(tree, replacement.qualname)
    if node is None:
        raise SamplePatchError(f"{filename}: {replacement.qualname} not found")
    name = node.name
    lines = text.splitlines(keepends=True)
    start = min([d.lineno for d in node.decorator_list] + [node.lineno])
    new_block = _indent(replacement.source, node.col_offset)
    if not new_block.endswith("\n"):
        new_block += "\n"
    if replacement.keeps_reference:
        # Keep the reference under a private name; only the def line's name changes.
        original = lines[start - 1 : node.end_lineno]
        def_line = node.lineno - start
        head = original[def_line]
        marker = f"def {name}("
        if marker not in head:
            raise SamplePatchError(f"{filename}: cannot find '{marker}' on line {node.lineno}")
        original[def_line] = head.replace(marker, f"def _reference_{name}(", 1)
        new_block = "".join(original) + "\n" + new_block
    patched = "".join(lines[: start - 1]) + new_block + "".join(lines[node.end_lineno :])
    check = _find(ast.parse(patched, filename=filename), replacement.qualname)
    expected = ast.dump(ast.parse(replacement.source).body[0])
    if check is None or ast.dump(check) != expected:
        raise SamplePatchError(f"{filename}: replacing {replacement.qualname} did not take")
    return patched


def ensure_imports(text, imports, filename="<module>"):
    """Add each import statement the module lacks, after its docstring and __future__ imports."""
    tree = ast.parse(text, filename=filename)
    have = {ast.dump(n) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))}
    missing = [imp for imp in imports if ast.dump(ast.parse(imp).body[0]) not in have]
    if not missing:
        return text
    insert_after = 0
    for node in tree.body:
        is_doc = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        is_future = isinstance(node, ast.ImportFrom) and node.module == "__future__"
        if (is_doc and node is tree.body[0]) or is_future:
            insert_after = node.end_lineno
        else:
            break
    lines = text.splitlines(keepends=True)
    block = "".join(imp + "\n" for imp in missing)
    return "".join(lines[:insert_after]) + block + "".join(lines[insert_after:])


def apply_bug_file(bug_file, package_dir):
    """Patch the ``cs231n`` package in ``package_dir`` in place; return the files changed."""
    replacements, imports = read_bug_file(bug_file)
    changed = {}
    for replacement in replacements:
        path = locate(package_dir, replacement.qualname)
        text = changed.get(path, path.read_text())
        changed[path] = replace_function(text, replacement, filename=str(path))
    for path, text in changed.items():
        path.write_text(ensure_imports(text, imports, filename=str(path)))
    return sorted(changed)
