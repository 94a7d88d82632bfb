"""max_pool_forward_naive and max_pool_backward_naive: overlapping windows, non-square windows,
non-square images and outputs, one property per case."""

from autograder.case import Case, FunctionTests, Hint
from autograder.cases import _alternatives as bug
from autograder.cases._build import backward_pair, call, unmodified

# key: (N, C, H, W), pool_height, pool_width, stride.  Every shape tiles exactly.  Each case
# differs from "base" in one property:
SHAPES = {
    "base": ((2, 3, 6, 6), 2, 2, 2),
    "overlap": ((2, 3, 7, 7), 3, 3, 2),  # overlapping windows (stride < window), square
    "window": ((2, 3, 5, 6), 2, 3, 3),  # non-square 2x3 windows, no overlap, square 2x2 output
    "image": ((2, 3, 4, 8), 2, 2, 2),  # non-square image and output (2x4), 2x2 windows
}


def _pool_inputs(key):
    (N, C, H, W), ph, pw, stride = SHAPES[key]

    def build(rng):
        x = rng.permutation(N * C * H * W).reshape(N, C, H, W) / 10.0 - 3.0  # no ties
        H_out, W_out = 1 + (H - ph) // stride, 1 + (W - pw) // stride
        dout = rng.standard_normal((N, C, H_out, W_out))
        params = {"pool_height": ph, "pool_width": pw, "stride": stride}
        return {"args": [x, params], "dout": dout}
    return build


STRIDE_HINT = ("windows must move by the stride: the window of output (i, j) starts at "
               "(i*stride, j*stride)")
WINDOW_HINT = "square windows only: use pool_height for rows and pool_width for columns"
IMAGE_HINT = ("right only when H_out == W_out: rows go with H and H_out, columns with W and "
              "W_out (somewhere one is used for the other)")
TO_ALL_HINT = ("only the cell that held the window's maximum gets the upstream gradient; the "
               "other cells of the window get 0")
OVERWRITE_HINT = ("overlapping windows: where one input is the max of two windows, add both "
                  "gradients (+=), do not overwrite")

F = "max_pool_forward_naive"
_f = {key: call(key, F, _pool_inputs(key), ("out", "cache")) for key in SHAPES}
_stride = ((STRIDE_HINT, bug.pool_forward_stride_ignored),)
POOL_FORWARD = FunctionTests(F, (
    Case(F, "base", "out, 2x2 windows, stride 2", 1.5, (_f["base"],), "out", matches=_stride),
    Case(F, "overlap", "out, overlapping 3x3 windows, stride 2", 1.5, (_f["overlap"],), "out",
         matches=_stride),
    Case(F, "window", "out, non-square 2x3 windows, stride 3", 1.0, (_f["window"],), "out",
         matches=_stride),
    Case(F, "image", "out, non-square image and output", 0.5, (_f["image"],), "out",
         matches=_stride),
    unmodified(F, (_f["overlap"],), 0.5),
), (
    # A 2x2 window hard-coded also fails "window": "overlap" (3x3) must pass to blame ph/pw.
    Hint(WINDOW_HINT, ("window",), ("base", "overlap", "image"), when="any"),
    Hint(IMAGE_HINT, ("image",), ("base",), when="any"),
))

B = "max_pool_backward_naive"
_b = {key: backward_pair(key, F, B, _pool_inputs(key), tuple) for key in SHAPES}
POOL_BACKWARD = FunctionTests(B, (
    Case(B, "base", "dx, 2x2 windows, stride 2", 1.5, _b["base"], "dx",
         matches=((TO_ALL_HINT, bug.pool_backward_to_all),)),
    Case(B, "overlap", "dx, overlapping 3x3 windows, stride 2", 1.5, _b["overlap"], "dx",
         matches=tuple((OVERWRITE_HINT, alternative) for alternative in bug.POOL_OVERWRITES)),
    Case(B, "window", "dx, non-square 2x3 windows, stride 3", 1.0, _b["window"], "dx"),
    Case(B, "image", "dx, non-square image and output", 1.0, _b["image"], "dx"),
    unmodified(B, _b["overlap"], 1.0),
), (
    Hint(WINDOW_HINT, ("window",), ("base", "overlap", "image"), when="any"),
    Hint(IMAGE_HINT, ("image",), ("base",), when="any"),
))

TESTS = (POOL_FORWARD, POOL_BACKWARD)
