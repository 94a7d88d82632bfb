"""The ``cs231n`` package of the convolutional-networks assignment: layers, classifiers, solver.

Import what you need from the submodules (``cs231n.layers``, ``cs231n.fast_layers``,
``cs231n.classifiers.cnn``, ...); nothing heavy is imported here, so ``import cs231n`` works
before the compiled fast layers are built.
"""
