"""Sample submissions for the demo and the grading tests, stored as small specs, not copies.

Three kinds of sample, all materialised by ``python -m autograder.samples build OUT_DIR``
(see ``build.py``) on top of the student view ``release/assignment2``:

- ``perfect``: the reference ``cs231n`` package copied over the release;
- ``stubs``: the release as a student receives it (every graded function raises);
- one per file in ``bugs/``: the reference with the functions in that file replaced by buggy
  versions (see ``patch.py``).  The file's docstring is its description and its ``LOSES`` dict
  maps each graded function that must lose points to the points it loses (``None``: "some").

Every graded function not listed in ``LOSES`` must keep full marks; ``tests/test_samples.py``
grades each sample and checks exactly that.

``corpus/`` holds many more variants in the same format, for the tests only (``load_corpus``):
realistic student code, buggy or correct-but-unusual, each also declaring the hints it must get.
A corpus file may declare ``LOSES = {}`` (a correct variant), ``HINTS = {function: (text, ...)}``
(each text is part of exactly one hint that function must show; a function not listed must show
none), ``MESSAGES = {function: (text, ...)}`` (texts its failure messages must hold),
``NO_HINT = "why"`` (a bug whose cause its pattern does not identify: not counted in recall),
``MISSED = "why"`` (a recognisable bug the grader does not name: counted against recall),
``APPEND = {"layer_utils.py": source}`` (code added to a module first, e.g. the student's own
helpers) and ``GRADE = [...]`` (more functions to grade).  tests/test_corpus.py grades them.
"""

import ast
from dataclasses import dataclass, field
from pathlib import Path

BUGS_DIR = Path(__file__).resolve().parent / "bugs"
CORPUS_DIR = Path(__file__).resolve().parent / "corpus"


@dataclass(frozen=True)
class Sample:
    """One sample submission: how to build it and what grading it must give."""

    name: str
    description: str
    base: str  # "reference" (the solution) or "release" (the stubs)
    bug_file: Path | None = None
    loses: dict = field(default_factory=dict)  # function -> points lost (None: some)
    loses_everything: bool = False  # the stubs: every graded function scores 0

    def expected_scores(self, points):
        """{function: the score it must get, or None where it must lose some points}."""
        if self.loses_everything:
            return dict.fromkeys(points, 0.0)
        lost = {function: self.loses.get(function, 0) for function in points}
        return {function: None if lost[function] is None else full - lost[function]
                for function, full in points.items()}

    def expected_total(self, points):
        """The exact total this sample must score, or None when some loss is open."""
        scores = self.expected_scores(points)
        return None if None in scores.values() else float(sum(scores.values()))


def _read_bug_spec(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    doc = ast.get_docstring(tree)
    if not doc:
        raise ValueError(f"{path}: a bug file starts with a docstring describing the bug")
    loses = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [
            "LOSES"
        ]:
            loses = ast.literal_eval(node.value)
    if not isinstance(loses, dict) or not loses:
        raise ValueError(f"{path}: LOSES must be a non-empty dict literal, got {loses!r}")
    return Sample(
        name=path.stem,
        description=" ".join(doc.split("\n\n")[0].split()),
        base="reference",
        bug_file=path,
        loses=loses,
    )


def load_samples():
    """All samples: perfect, stubs, then the buggy ones in file-name order."""
    samples = [
        Sample("perfect", "the reference solution", base="reference"),
        Sample("stubs", "the release untouched: every graded function raises", base="release",
               loses_everything=True),
    ]
    samples += [_read_bug_spec(path) for path in sorted(BUGS_DIR.glob("*.py"))]
    return samples


SAMPLES = load_samples()
SAMPLE_NAMES = [s.name for s in SAMPLES]


def get_sample(name):
    """The sample called ``name``; ValueError listing the names otherwise."""
    for sample in SAMPLES:
        if sample.name == name:
            return sample
    raise ValueError(f"no sample named {name!r}; samples: {', '.join(SAMPLE_NAMES)}")


@dataclass(frozen=True)
class CorpusVariant:
    """One corpus variant: a bug file plus the hints and messages grading must give."""

    name: str
    description: str
    path: Path
    loses: dict
    hints: dict  # function -> tuple of texts, one per hint it must show
    messages: dict  # function -> tuple of texts its failure messages must hold
    no_hint: str | None  # why the bug cannot be named with certainty (not counted in recall)
    missed: str | None  # a bug that could be named but is not (counted against recall)
    append: dict  # module path inside cs231n -> source appended before patching
    grade: tuple  # extra functions to grade

    @property
    def is_bug(self) -> bool:
        return bool(self.loses)


def _literal(tree, name, default):
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [
                name]:
            return ast.literal_eval(node.value)
    return default


def read_corpus_variant(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    doc = ast.get_docstring(tree)
    if not doc:
        raise ValueError(f"{path}: a corpus file starts with a docstring describing the code")
    loses = _literal(tree, "LOSES", None)
    if not isinstance(loses, dict):
        raise TypeError(f"{path}: LOSES must be a dict literal ({{}} for a correct variant)")
    hints = {f: tuple(v) for f, v in _literal(tree, "HINTS", {}).items()}
    return CorpusVariant(
        name=path.stem, description=" ".join(doc.split("\n\n")[0].split()), path=path,
        loses=loses, hints=hints,
        messages={f: tuple(v) for f, v in _literal(tree, "MESSAGES", {}).items()},
        no_hint=_literal(tree, "NO_HINT", None), missed=_literal(tree, "MISSED", None),
        append=_literal(tree, "APPEND", {}),
        grade=tuple(_literal(tree, "GRADE", ())))


def load_corpus():
    """Every variant in corpus/, in file-name order."""
    return [read_corpus_variant(path) for path in sorted(CORPUS_DIR.glob("*.py"))]
