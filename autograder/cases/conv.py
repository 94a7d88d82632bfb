"""conv_forward_naive and conv_backward_naive: strides, pads 0-3, non-square images, outputs and
filters, one property per case."""

from autograder.case import Case, FunctionTests, Hint
from autograder.cases import _alternatives as bug
from autograder.cases._build import backward_pair, call, unmodified

# key: (N, C, H, W), (F, HH, WW), stride, pad.  Every shape tiles exactly.  Each case differs
# from "base" in one property, so the pattern of passes and failures names it.
SHAPES = {
    "base": ((2, 3, 6, 6), (4, 3, 3), 1, 1),
    "stride2": ((2, 3, 7, 7), (4, 3, 3), 2, 1),
    "image": ((2, 3, 6, 9), (4, 3, 3), 1, 1),  # non-square image and output (6x9)
    "filter": ((2, 3, 7, 7), (4, 3, 5), 1, 1),  # non-square filter (output 7x5)
    "pad0": ((2, 3, 6, 6), (4, 3, 3), 1, 0),
    "pad3": ((1, 2, 5, 5), (2, 3, 3), 2, 3),
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


STRIDE_HINT = ("right only for stride 1: the window of output (i, j) starts at (i*stride, "
               "j*stride)")
IMAGE_HINT = ("right only when H_out == W_out: rows go with H and H_out, columns with W and "
              "W_out (somewhere one is used for the other)")
FILTER_HINT = "square filters only: use HH for the window height and WW for its width"
BIAS_HINT = "add the bias: out[n, f] gets + b[f] at every position"
PAD_HINT = "the padding looks hard-coded: pad by conv_param['pad'] on each side"
PADDED_HINT = "dx must drop the padding: return the centre (H, W) of the padded gradient"
PAD0_HINT = ("breaks for pad 0: dx_pad[:, :, pad:-pad, pad:-pad] is empty when pad is 0; slice "
             "pad:pad + H and pad:pad + W")

F = "conv_forward_naive"
_f = {key: call(key, F, _conv_inputs(key), ("out", "cache")) for key in SHAPES}
_stride = ((STRIDE_HINT, bug.conv_forward_stride_ignored),)
_bias = ((BIAS_HINT, bug.conv_forward_no_bias),)
CONV_FORWARD = FunctionTests(F, (
    Case(F, "base", "out, stride 1, pad 1, square", 2.0, (_f["base"],), "out", matches=_bias),
    Case(F, "stride2", "out, stride 2", 2.0, (_f["stride2"],), "out", matches=_stride),
    Case(F, "image", "out, non-square image and output (H != W)", 1.5, (_f["image"],), "out"),
    Case(F, "filter", "out, non-square filter (HH != WW)", 1.5, (_f["filter"],), "out"),
    Case(F, "pad0", "out, pad 0", 1.0, (_f["pad0"],), "out"),
    Case(F, "pad3", "out, pad 3, stride 2", 1.0, (_f["pad3"],), "out", matches=_stride),
    unmodified(F, (_f["stride2"],), 1.0),
), (
    Hint(IMAGE_HINT, ("image",), ("base",), when="any"),
    Hint(FILTER_HINT, ("filter",), ("base", "image"), when="any"),
    Hint(PAD_HINT, ("pad0", "pad3"), ("base", "stride2")),
))


def _cache(args):
    return tuple(args)  # (x, w, b, conv_param), as the forward's docstring documents


B = "conv_backward_naive"
_b = {key: backward_pair(key, F, B, _conv_inputs(key), _cache) for key in SHAPES}


def _dx(key, name, points, *more):
    padded = ((PADDED_HINT, bug.conv_dx_padded),) if SHAPES[key][3] else ()
    return Case(B, f"{key}-dx", f"dx, {name}", points, _b[key], "dx", matches=padded + more)


def _dw(key, name, points, *more):
    return Case(B, f"{key}-dw", f"dw, {name}", points, _b[key], "dw", matches=more)


CONV_BACKWARD = FunctionTests(B, (
    _dx("base", "stride 1, pad 1", 1.5),
    _dw("base", "stride 1, pad 1", 1.5),
    Case(B, "base-db", "db", 1.0, _b["base"], "db"),
    _dx("stride2", "stride 2", 1.5, (STRIDE_HINT, bug.conv_backward_stride_ignored("dx"))),
    _dw("stride2", "stride 2", 1.5, (STRIDE_HINT, bug.conv_backward_stride_ignored("dw"))),
    _dx("image", "non-square image and output (6x9)", 0.5),
    _dw("image", "non-square image and output (6x9)", 0.5),
    _dx("filter", "non-square filter", 0.5),
    _dw("filter", "non-square filter", 0.5),
    _dx("pad0", "pad 0", 0.75, (PAD0_HINT, bug.conv_dx_empty_crop)),
    _dw("pad0", "pad 0", 0.75),
    _dx("pad3", "pad 3, stride 2", 0.5, (STRIDE_HINT, bug.conv_backward_stride_ignored("dx"))),
    _dw("pad3", "pad 3, stride 2", 0.5, (STRIDE_HINT, bug.conv_backward_stride_ignored("dw"))),
    unmodified(B, _b["stride2"], 0.5),
), (
    Hint(IMAGE_HINT, ("image-dx",), ("base-dx",), when="any"),
    Hint(IMAGE_HINT, ("image-dw",), ("base-dw",), when="any"),
    Hint(FILTER_HINT, ("filter-dx",), ("base-dx", "image-dx"), when="any"),
    Hint(FILTER_HINT, ("filter-dw",), ("base-dw", "image-dw"), when="any"),
))

TESTS = (CONV_FORWARD, CONV_BACKWARD)
