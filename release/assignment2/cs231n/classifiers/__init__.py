"""Network models built from the layers of :mod:`cs231n.layers` (``cs231n.classifiers.cnn``)."""
