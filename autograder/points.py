"""Points per graded function (total 100) and the notebook that grades it.

The notebooks' autograded cells use the same numbers; the cases of each function add up to them
(tests/test_autograder_cases.py checks it).
"""

LAYERS = "Layers"
CONV = "ConvolutionalNetworks"
NORM = "SpatialBatchNormalization"

POINTS: dict[str, float] = {
    "affine_forward": 2,
    "affine_backward": 3,
    "relu_forward": 1,
    "relu_backward": 2,
    "svm_loss": 4,
    "softmax_loss": 4,
    "conv_forward_naive": 10,
    "conv_backward_naive": 12,
    "max_pool_forward_naive": 5,
    "max_pool_backward_naive": 6,
    "ThreeLayerConvNet": 12,
    "batchnorm_forward": 6,
    "batchnorm_backward": 6,
    "spatial_batchnorm_forward": 5,
    "spatial_batchnorm_backward": 5,
    "spatial_groupnorm_forward": 7,
    "spatial_groupnorm_backward": 10,
}

NOTEBOOK_OF: dict[str, str] = {
    **dict.fromkeys(
        ["affine_forward", "affine_backward", "relu_forward", "relu_backward", "svm_loss",
         "softmax_loss"], LAYERS),
    **dict.fromkeys(
        ["conv_forward_naive", "conv_backward_naive", "max_pool_forward_naive",
         "max_pool_backward_naive", "ThreeLayerConvNet"], CONV),
    **dict.fromkeys(
        ["batchnorm_forward", "batchnorm_backward", "spatial_batchnorm_forward",
         "spatial_batchnorm_backward", "spatial_groupnorm_forward", "spatial_groupnorm_backward"],
        NORM),
}

# Where each graded name lives in the student's package.
MODULE_OF: dict[str, str] = {
    name: "cs231n.classifiers.cnn" if name == "ThreeLayerConvNet" else "cs231n.layers"
    for name in POINTS
}

TOTAL = sum(POINTS.values())

# What each graded function's code may import besides the standard library (enforced by the
# sandbox: autograder/sandbox/command.py).  The naive layers are NumPy only; the convnet is
# built on the fast layers.  Anything else (cs231n_fast elsewhere, torch, scipy, ...) is absent
# or refuses to run.
MAY_USE: dict[str, tuple[str, ...]] = {
    name: ("numpy", "cs231n_fast") if name == "ThreeLayerConvNet" else ("numpy",)
    for name in POINTS
}
