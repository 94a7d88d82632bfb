"""Reference implementation of the CS231n convolutional-networks assignment (``cs231n``).

Import what you need from the submodules (``cs231n.layers``, ``cs231n.fast_layers``,
``cs231n.classifiers.cnn``, ...); nothing heavy is imported here, so ``import cs231n`` works
before the compiled fast layers are built.
"""
