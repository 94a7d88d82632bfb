"""max_pool_forward_naive and max_pool_backward_naive: overlapping and non-square windows."""

from autograder.case import Case, FunctionTests, Hint
from autograder.cases._build import backward_pair, call, unmodified

# key: (N, C, H, W), pool_height, pool_width, stride.  Every shape tiles exactly.
SHAPES = {
    "base": ((2, 3, 6, 6), 2, 2, 2),
    "overlap": ((2, 2, 7, 7), 3, 3, 2),
    "nonsquare": ((2, 2, 5, 7), 2, 3, 1),
    "image": ((2, 3, 4, 8), 2, 2, 2),
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


F = "max_pool_forward_naive"
_f = {key: call(key, F, _pool_inputs(key), ("out", "cache")) for key in SHAPES}
POOL_FORWARD = FunctionTests(F, (
    Case(F, "base", "out, 2x2 windows, stride 2", 1.5, (_f["base"],), "out"),
    Case(F, "overlap", "out, overlapping 3x3 windows, stride 2", 1.5, (_f["overlap"],), "out"),
    Case(F, "nonsquare", "out, non-square 2x3 windows, stride 1", 1.0, (_f["nonsquare"],),
         "out"),
    Case(F, "image", "out, non-square image", 0.5, (_f["image"],), "out"),
    unmodified(F, (_f["overlap"],), 0.5),
), (
    Hint("right only when the stride equals the window size: windows may overlap",
         ("overlap",), ("base",)),
    Hint("square windows only: use pool_height for rows and pool_width for columns",
         ("nonsquare",), ("base",)),
    Hint("square images only: use H for rows and W for columns", ("image",), ("base",)),
))

B = "max_pool_backward_naive"
_b = {key: backward_pair(key, F, B, _pool_inputs(key), tuple) for key in SHAPES}
POOL_BACKWARD = FunctionTests(B, (
    Case(B, "base", "dx, 2x2 windows, stride 2", 2.0, _b["base"], "dx"),
    Case(B, "overlap", "dx, overlapping 3x3 windows, stride 2", 1.5, _b["overlap"], "dx"),
    Case(B, "nonsquare", "dx, non-square 2x3 windows on a non-square image, stride 1", 1.5,
         _b["nonsquare"], "dx"),
    unmodified(B, _b["overlap"], 1.0),
), (
    Hint("overlapping windows: where one input is the max of two windows, add both gradients "
         "(+=), do not overwrite", ("overlap",), ("base",)),
    Hint("square windows only: use pool_height for rows and pool_width for columns",
         ("nonsquare",), ("base",)),
))

TESTS = (POOL_FORWARD, POOL_BACKWARD)
