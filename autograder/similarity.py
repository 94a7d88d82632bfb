"""Code similarity of the graded functions across submissions, and against known solutions.

    python -m autograder similarity ROOT -o OUT [--corpus DIR]

Winnowed token fingerprints, the algorithm MOSS uses (Schleimer, Wilkerson and Aiken, 2003;
the winnowing step is copydetect's `utils.winnow`).  Per graded function:
1. its source is taken from the student's package by `ast` (files read as the grader reads
   them: regular files only, bounded);
2. Python's tokenizer turns it into tokens; identifiers become V (attribute names after a dot
   and builtins stay: they cannot be renamed), numbers N, strings S; comments, docstrings and
   layout are dropped, so renamed variables, changed literals and edited comments do not hide
   a copy;
3. k-gram hashes are winnowed; fingerprints of the release's starter code for that function,
   and fingerprints found in more than COMMON_SHARE of the submissions (code everyone writes),
   are removed;
4. two submissions' overlap is, both ways, the share of each one's fingerprints that the other
   has; a function is flagged when both ways reach FLAG_OVERLAP and at least MIN_SHARED
   fingerprints are shared.  Reordered independent statements keep their fingerprints.
A flag is a reason to look at two pieces of code side by side, never a verdict.
"""

import ast
import builtins
import csv
import hashlib
import html
import io
import keyword
import tokenize
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import numpy as np

from autograder.points import POINTS
from autograder.report import write_text_atomic
from autograder.submission import Refused, find_package_root, read_package

K = 10  # tokens per k-gram (noise threshold)
WINDOW = 5  # winnowing window: any shared run of K + WINDOW - 1 tokens is always found
FLAG_OVERLAP = 0.5
MIN_SHARED = 6
COMMON_SHARE = 0.2  # fingerprints in more than this share of submissions are common code
MIN_COMMON = 4  # ...and in more than this many submissions
BUILTINS = frozenset(dir(builtins))
MODULE_FILES = {"ThreeLayerConvNet": Path("classifiers/cnn.py")}


@dataclass
class Code:
    """One function of one submission: its source, tokens and fingerprints."""

    source: str
    spans: list  # (start offset, end offset) in source, per token
    fingerprints: dict = field(default_factory=dict)  # hash -> first token index


def function_sources(files: dict[Path, bytes]) -> dict[str, str]:
    """{graded function: its source} found in a package's files (missing ones left out)."""
    found = {}
    for module in {MODULE_FILES.get(name, Path("layers.py")) for name in POINTS}:
        data = files.get(module)
        if data is None:
            continue
        text = data.decode("utf-8", "replace")
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in POINTS and (
                    MODULE_FILES.get(node.name, Path("layers.py")) == module):
                found[node.name] = ast.get_source_segment(text, node) or ""
    return found


def _offsets(source: str) -> list[int]:
    starts, total = [], 0
    for line in source.splitlines(keepends=True):
        starts.append(total)
        total += len(line)
    return starts + [total]


def tokens(source: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Normalised tokens and their (start, end) offsets in `source`."""
    lines = _offsets(source)
    normal, spans, previous = [], [], None
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            kind, text = tok.type, tok.string
            if kind in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                        tokenize.DEDENT, tokenize.ENDMARKER, tokenize.ENCODING):
                if kind in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
                    previous = kind
                continue
            if kind == tokenize.STRING and previous in (tokenize.NEWLINE, tokenize.INDENT,
                                                        tokenize.DEDENT, None):
                previous = "docstring"
                continue  # a string statement: a docstring
            if kind == tokenize.NAME and not (keyword.iskeyword(text) or text in BUILTINS
                                              or previous == "."):
                text = "V"
            elif kind == tokenize.NUMBER:
                text = "N"
            elif kind == tokenize.STRING:
                text = "S"
            previous = tok.string if kind == tokenize.OP else kind
            normal.append(text)
            (row, col), (end_row, end_col) = tok.start, tok.end
            spans.append((lines[row - 1] + col, lines[end_row - 1] + end_col))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return normal, spans


def _stable_hash(gram: list[str]) -> int:
    """The same k-gram gives the same hash in every process (Python's hash() is salted)."""
    digest = hashlib.blake2b("\x1f".join(gram).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def fingerprint(source: str) -> Code:
    from copydetect.utils import winnow

    normal, spans = tokens(source)
    code = Code(source, spans)
    if len(normal) < K:
        return code
    grams = np.array([_stable_hash(normal[i:i + K]) for i in range(len(normal) - K + 1)],
                     dtype=np.int64)
    hashes, positions = winnow(grams, window_size=WINDOW, remove_duplicates=False)
    for value, position in zip(hashes.tolist(), positions.tolist(), strict=True):
        code.fingerprints.setdefault(value, position)
    return code


def read_submission(folder: Path) -> dict[str, str]:
    """The graded functions' sources of one submission folder (or {} when none)."""
    try:
        files, _ = read_package(find_package_root(folder))
    except (Refused, OSError):
        return {}
    return function_sources(files)


@dataclass
class Pair:
    a: str
    b: str
    functions: dict  # function -> (shared, overlap of a, overlap of b, flagged)

    @property
    def flagged(self) -> list[str]:
        return [f for f, (_, _, _, flag) in self.functions.items() if flag]

    @property
    def shared(self) -> int:
        return sum(s for s, _, _, _ in self.functions.values())


def compare(sources: dict[str, dict[str, str]], starter: dict[str, str],
            corpus: frozenset = frozenset()) -> tuple[list[Pair], dict]:
    """Pairs of submissions sharing fingerprints in some graded function, ranked, and the
    fingerprinted code {(submission, function): Code}.  Pairs inside `corpus` are skipped."""
    codes, pairs = {}, defaultdict(dict)
    for function in POINTS:
        boilerplate = set(fingerprint(starter.get(function, "")).fingerprints)
        owners = defaultdict(list)
        for name, functions in sources.items():
            if function not in functions:
                continue
            code = fingerprint(functions[function])
            for value in boilerplate:
                code.fingerprints.pop(value, None)
            codes[name, function] = code
            for value in code.fingerprints:
                owners[value].append(name)
        cap = max(MIN_COMMON, COMMON_SHARE * len(sources))
        common = {value for value, names in owners.items() if len(names) > cap}
        shared = Counter()
        for value, names in owners.items():
            if value not in common:
                shared.update(combinations(sorted(names), 2))
        for (a, b), count in shared.items():
            if a in corpus and b in corpus:
                continue
            size_a = len(set(codes[a, function].fingerprints) - common)
            size_b = len(set(codes[b, function].fingerprints) - common)
            overlap_a, overlap_b = count / max(size_a, 1), count / max(size_b, 1)
            flag = min(overlap_a, overlap_b) >= FLAG_OVERLAP and count >= MIN_SHARED
            pairs[a, b][function] = (count, overlap_a, overlap_b, flag)
    ranked = [Pair(a, b, functions) for (a, b), functions in pairs.items()]
    ranked.sort(key=lambda p: (-len(p.flagged), -p.shared, p.a, p.b))
    return ranked, codes


def _highlight(code: Code, shared: set) -> str:
    """The source as HTML, the tokens of shared k-grams marked."""
    marked = np.zeros(len(code.spans), dtype=bool)
    for value, position in code.fingerprints.items():
        if value in shared:
            marked[position:position + K] = True
    out, cursor = [], 0
    for (start, end), mark in zip(code.spans, marked, strict=True):
        out.append(html.escape(code.source[cursor:start]))
        piece = html.escape(code.source[start:end])
        out.append(f"<mark>{piece}</mark>" if mark else piece)
        cursor = end
    out.append(html.escape(code.source[cursor:]))
    return "".join(out)


def write_outputs(pairs: list[Pair], codes: dict, out_dir: Path) -> None:
    """OUT/similarity.csv (every pair and function with shared fingerprints) and
    OUT/similarity.html (ranked pairs, side-by-side code of the flagged functions)."""
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(["submission_a", "submission_b", "function", "shared_fingerprints",
                     "overlap_a", "overlap_b", "flagged"])
    for pair in pairs:
        for function, (count, overlap_a, overlap_b, flag) in pair.functions.items():
            writer.writerow([pair.a, pair.b, function, count, f"{overlap_a:.2f}",
                             f"{overlap_b:.2f}", "yes" if flag else ""])
    write_text_atomic(Path(out_dir) / "similarity.csv", text.getvalue())
    flagged = [p for p in pairs if p.flagged]
    rows = "".join(
        f"<tr><td>{i}</td><td>{html.escape(p.a)}</td><td>{html.escape(p.b)}</td><td>"
        + ", ".join(f"{html.escape(f)} ({p.functions[f][1]:.0%} / {p.functions[f][2]:.0%})"
                    for f in p.flagged) + "</td></tr>" for i, p in enumerate(flagged, 1))
    sections = []
    for i, pair in enumerate(flagged, 1):
        sections.append(f"<h2 id='pair{i}'>{i}. {html.escape(pair.a)} and "
                        f"{html.escape(pair.b)}</h2>")
        for function in pair.flagged:
            a, b = codes[pair.a, function], codes[pair.b, function]
            shared = set(a.fingerprints) & set(b.fingerprints)
            sections.append(f"<h3>{html.escape(function)}</h3><div class='side'>"
                            f"<pre>{_highlight(a, shared)}</pre>"
                            f"<pre>{_highlight(b, shared)}</pre></div>")
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Code similarity</title>"
        "<style>body{font-family:sans-serif;margin:2em} table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:3px 8px} .side{display:flex;gap:1em}"
        ".side pre{flex:1;overflow:auto;background:#f7f7f7;padding:.5em;font-size:.8em}"
        "mark{background:#ffd54f}</style></head><body>"
        f"<h1>Code similarity: {len(flagged)} flagged pairs</h1>"
        "<p>A flag means that two submissions share long runs of code in a graded function, "
        "after renaming, literals, comments, layout and the starter code are set aside. It is "
        "a reason to read both side by side, never a verdict: short functions, the course's "
        "own hints and common idioms can make honest work look alike.</p>"
        "<table><tr><th>#</th><th>submission</th><th>submission</th><th>functions flagged "
        f"(share of each one's fingerprints)</th></tr>{rows}</table>{''.join(sections)}"
        "</body></html>")
    write_text_atomic(Path(out_dir) / "similarity.html", page)


def run(root: Path, out_dir: Path, corpus_dir: Path | None, starter_dir: Path) -> list[Pair]:
    """Compare every submission under ROOT (and the known solutions under --corpus)."""
    from autograder.batch import submission_folders

    sources = {folder.name: read_submission(folder) for folder in submission_folders(root)}
    corpus = set()
    if corpus_dir is not None:
        for folder in submission_folders(corpus_dir):
            name = f"corpus:{folder.name}"
            sources[name] = read_submission(folder)
            corpus.add(name)
    starter = read_submission(starter_dir)
    pairs, codes = compare(sources, starter, frozenset(corpus))
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    write_outputs(pairs, codes, out_dir)
    return pairs
