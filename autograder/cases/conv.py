"""conv_forward_naive and conv_backward_naive: strides, pads 0-3, non-square images and filters."""

from autograder.case import Case, FunctionTests, Hint
from autograder.cases._build import backward_pair, call, unmodified

# key: (N, C, H, W), (F, HH, WW), stride, pad.  Every shape tiles exactly.
SHAPES = {
    "base": ((2, 3, 6, 6), (4, 3, 3), 1, 1),
    "stride2": ((2, 3, 7, 7), (3, 3, 3), 2, 1),
    "image": ((2, 2, 5, 8), (3, 3, 3), 1, 1),
    "filter": ((2, 3, 7, 7), (2, 3, 5), 1, 1),
    "pad0": ((2, 2, 6, 5), (3, 3, 2), 1, 0),
    "pad3": ((1, 2, 5, 5), (2, 3, 3), 2, 3),
    "mixed": ((2, 2, 7, 9), (3, 3, 5), 2, 2),
}


def _conv_inputs(key):
    (N, C, H, W), (F, HH, WW), stride, pad = SHAPES[key]

    def build(rng):
        x = rng.standard_normal((N, C, H, W))
        w = rng.standard_normal((F, C, HH, WW)) * 0.5
        b = rng.standard_normal(F)
        H_out = 1 + (H + 2 * pad - HH) // stride
        W_out = 1 + (W + 2 * pad - WW) // stride
        dout = rng.standard_normal((N, F, H_out, W_out))
        return {"args": [x, w, b, {"stride": stride, "pad": pad}], "dout": dout}
    return build


F = "conv_forward_naive"
_f = {key: call(key, F, _conv_inputs(key), ("out", "cache"))
      for key in ("base", "stride2", "image", "filter", "pad0", "pad3")}
CONV_FORWARD = FunctionTests(F, (
    Case(F, "base", "out, stride 1, pad 1, square", 2.0, (_f["base"],), "out"),
    Case(F, "stride2", "out, stride 2", 2.0, (_f["stride2"],), "out"),
    Case(F, "image", "out, non-square image (H != W)", 1.5, (_f["image"],), "out"),
    Case(F, "filter", "out, non-square filter (HH != WW)", 1.5, (_f["filter"],), "out"),
    Case(F, "pad0", "out, pad 0", 1.0, (_f["pad0"],), "out"),
    Case(F, "pad3", "out, pad 3, stride 2", 1.0, (_f["pad3"],), "out"),
    unmodified(F, (_f["stride2"],), 1.0),
), (
    Hint("right only for stride 1: the window of output (i, j) starts at (i*stride, j*stride)",
         ("stride2",), ("base",)),
    Hint("square images only: use H for rows and W for columns (H_out and W_out differ)",
         ("image",), ("base",)),
    Hint("square filters only: use HH for the window height and WW for its width",
         ("filter",), ("base",)),
    Hint("breaks for pad 0: slicing with [pad:-pad] is empty when pad is 0", ("pad0",),
         ("base",)),
    Hint("the padding looks hard-coded: pad by conv_param['pad'] on each side", ("pad3",),
         ("base", "stride2")),
))


def _cache(args):
    return tuple(args)  # (x, w, b, conv_param), as the forward's docstring documents


B = "conv_backward_naive"
_b = {key: backward_pair(key, F, B, _conv_inputs(key), _cache)
      for key in ("base", "stride2", "mixed", "pad0", "pad3")}
CONV_BACKWARD = FunctionTests(B, (
    Case(B, "base-dx", "dx, stride 1, pad 1", 1.5, _b["base"], "dx"),
    Case(B, "base-dw", "dw, stride 1, pad 1", 1.5, _b["base"], "dw"),
    Case(B, "base-db", "db", 1.0, _b["base"], "db"),
    Case(B, "stride2-dx", "dx, stride 2", 1.5, _b["stride2"], "dx"),
    Case(B, "stride2-dw", "dw, stride 2", 1.5, _b["stride2"], "dw"),
    Case(B, "mixed-dx", "dx, non-square image and filter, stride 2, pad 2", 1.0, _b["mixed"],
         "dx"),
    Case(B, "mixed-dw", "dw, non-square image and filter, stride 2, pad 2", 1.0, _b["mixed"],
         "dw"),
    Case(B, "pad0-dx", "dx, pad 0", 0.75, _b["pad0"], "dx"),
    Case(B, "pad0-dw", "dw, pad 0", 0.75, _b["pad0"], "dw"),
    Case(B, "pad3-dx", "dx, pad 3, stride 2", 0.5, _b["pad3"], "dx"),
    Case(B, "pad3-dw", "dw, pad 3, stride 2", 0.5, _b["pad3"], "dw"),
    unmodified(B, _b["stride2"], 0.5),
), (
    Hint("right only for stride 1: each output position reads the window at (i*stride, "
         "j*stride)", ("stride2-dx",), ("base-dx",)),
    Hint("square images or filters only: keep H/W and HH/WW apart", ("mixed-dx",),
         ("base-dx", "stride2-dx")),
    Hint("breaks for pad 0: slicing with [pad:-pad] is empty when pad is 0", ("pad0-dx",),
         ("base-dx",)),
    Hint("dx must drop the padding: return the centre (H, W) of the padded gradient",
         ("base-dx",), ("base-dw",)),
))

TESTS = (CONV_FORWARD, CONV_BACKWARD)
