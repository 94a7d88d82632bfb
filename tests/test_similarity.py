"""Code similarity: disguised copies are flagged, independent solutions are not, the starter
code never counts, and the report shows the pair side by side."""

import io
import random
import subprocess
import sys
import tokenize
from pathlib import Path

from autograder.similarity import compare, read_submission
from autograder.variants import make_submission

ROOT = Path(__file__).resolve().parents[1]
RELEASE = ROOT / "release" / "assignment2"

# Three independent conv_forward_naive: four nested loops, a window loop with einsum, im2col.
LOOPS = '''
def conv_forward_naive(x, w, b, conv_param):
    """Naive convolution."""
    stride, pad = conv_param['stride'], conv_param['pad']
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode='constant')
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    patch = xp[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[n, f, i, j] = np.sum(patch * w[f]) + b[f]
    cache = (x, w, b, conv_param)
    return out, cache
'''
EINSUM = '''
def conv_forward_naive(x, w, b, conv_param):
    s = conv_param.get('stride', 1)
    p = conv_param.get('pad', 0)
    padded = np.pad(x, [(0, 0), (0, 0), (p, p), (p, p)])
    n_filters, _, fh, fw = w.shape
    rows = (padded.shape[2] - fh) // s + 1
    cols = (padded.shape[3] - fw) // s + 1
    result = np.empty((x.shape[0], n_filters, rows, cols))
    for r in range(rows):
        for c in range(cols):
            region = padded[:, :, r * s:r * s + fh, c * s:c * s + fw]
            result[:, :, r, c] = np.einsum('nchw,fchw->nf', region, w)
    result += b[None, :, None, None]
    return result, (x, w, b, conv_param)
'''
IM2COL = '''
def conv_forward_naive(x, w, b, conv_param):
    stride = conv_param['stride']
    pad = conv_param['pad']
    num, chans, height, width = x.shape
    nf, _, kh, kw = w.shape
    oh = (height + 2 * pad - kh) // stride + 1
    ow = (width + 2 * pad - kw) // stride + 1
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = np.zeros((num, chans * kh * kw, oh * ow))
    idx = 0
    for a in range(oh):
        for c in range(ow):
            block = x_pad[:, :, a * stride:a * stride + kh, c * stride:c * stride + kw]
            cols[:, :, idx] = block.reshape(num, -1)
            idx += 1
    res = w.reshape(nf, -1) @ cols + b.reshape(-1, 1)
    out = res.reshape(num, nf, oh, ow)
    return out, (x, w, b, conv_param)
'''


def disguise(source: str, seed: int) -> str:
    """What a copier does: rename every local name, change comments and the docstring, swap
    two independent statements (the two reads of conv_param, or the two shape unpackings)."""
    rng = random.Random(seed)
    names, out, previous = {}, [], ""
    keep = {"def", "for", "in", "range", "return", "np", "x", "w", "b", "conv_param"}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        text = tok.string
        if tok.type == tokenize.NAME and text.islower() and text not in keep and (
                previous not in (".", "def")):  # attributes and the function keep their names
            text = names.setdefault(text, f"v{rng.randrange(10**6)}")
        out.append((tok.type, text))
        previous = tok.string
    copied = tokenize.untokenize(out).replace('"""Naive convolution."""', '"""My own."""')
    lines = copied.splitlines()
    for i in range(len(lines) - 1):
        if "shape" in lines[i] and "shape" in lines[i + 1]:
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
            break
    return "\n".join(lines) + "\n# written from scratch\n"


def sources(**functions):
    return {name: {"conv_forward_naive": code} for name, code in functions.items()}


def flagged(pairs):
    return {(p.a, p.b) for p in pairs if p.flagged}


def test_disguised_copies_are_flagged_and_independent_solutions_are_not():
    submissions = sources(loops=LOOPS, einsum=EINSUM, im2col=IM2COL,
                          loops_copy=disguise(LOOPS, 1), im2col_copy=disguise(IM2COL, 2),
                          einsum_copy=disguise(EINSUM, 3))
    assert "xp" not in disguise(LOOPS, 1) and "xp" in LOOPS  # names really changed
    pairs, _ = compare(submissions, {})
    assert flagged(pairs) == {("loops", "loops_copy"), ("im2col", "im2col_copy"),
                              ("einsum", "einsum_copy")}


def test_starter_code_and_common_code_never_count():
    starter = read_submission(RELEASE)
    stub = starter["conv_forward_naive"]
    pairs, _ = compare(sources(a=stub, b=stub, c=LOOPS), starter)
    assert flagged(pairs) == set()
    many = sources(**{f"s{i}": LOOPS for i in range(10)}, other=EINSUM)
    pairs, _ = compare(many, {})  # ten identical: code everyone writes, not a copy
    assert flagged(pairs) == set()


def test_the_command_writes_a_ranked_table_and_side_by_side_code(tmp_path):
    root = tmp_path / "class"
    for name, code in [("ann", LOOPS), ("ben", disguise(LOOPS, 7)), ("cat", IM2COL)]:
        make_submission(root / name, {"layers.py": code}, stub=True)
    corpus = tmp_path / "known"
    make_submission(corpus / "public-solution", {"layers.py": IM2COL}, stub=True)
    done = subprocess.run([sys.executable, "-m", "autograder", "similarity", str(root), "-o",
                           str(tmp_path / "out"), "--corpus", str(corpus)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=True)
    assert "2 flagged pairs" in done.stderr
    csv_text = (tmp_path / "out" / "similarity.csv").read_text()
    assert "ann,ben,conv_forward_naive" in csv_text
    assert "cat,corpus:public-solution,conv_forward_naive" in csv_text
    page = (tmp_path / "out" / "similarity.html").read_text()
    assert page.count("<mark>") > 10 and "never a verdict" in page


def test_the_corpus_of_student_code_measures_precision(tmp_path):
    """The corpus's correct-but-unusual implementations and the reference are independent
    solutions: no pair of them is flagged.  A variant written by editing another one line is a
    copy of it: flagged."""
    from autograder.samples import load_corpus
    from autograder.samples.build import build_corpus_variant, build_samples
    variants = load_corpus()
    for variant in variants:
        build_corpus_variant(variant, tmp_path)
    build_samples(tmp_path, ["perfect"])
    sources = {p.name: read_submission(p) for p in sorted(tmp_path.iterdir())}
    pairs, _ = compare(sources, read_submission(RELEASE))
    independent = {v.name for v in variants if not v.loses} | {"perfect"}
    assert len(independent) > 15
    assert [(p.a, p.b) for p in pairs if p.flagged and {p.a, p.b} <= independent] == []
    assert ("spatial_bn_direct", "spatial_bn_direct_unbiased") in flagged(pairs)
