"""Where one Solver epoch's time goes: ``python -m benchmarks.profile_epoch [--dtype float32]``.

One epoch of the notebook's ThreeLayerConvNet (``benchmarks.training``'s configuration: 32 7x7
filters, hidden 500, Adam, batch 50, accuracy checks included) under cProfile, its time split
by layer: the cumulative time of each layer's public functions, and what is left over
(Solver bookkeeping, minibatch copies, the model's own glue such as regularization).
A layer called from another counted layer (the sandwich's conv and pool, where it runs them
unfused) counts for its caller only, so the categories add up.
Run it on an otherwise idle machine; profiling adds a few microseconds per Python call.
"""

import argparse
import cProfile
import pstats
import sys
import time

import numpy as np

# category -> function names whose cumulative time counts for it
CATEGORIES = {
    "conv": ("conv_forward_fast", "conv_backward_fast"),
    "pool": ("max_pool_forward_fast", "max_pool_backward_fast"),
    "conv-relu-pool": ("conv_relu_pool_forward_fast", "conv_relu_pool_backward_fast"),
    "affine": ("affine_forward", "affine_backward"),
    "relu": ("relu_forward", "relu_backward"),
    "softmax": ("softmax_loss",),
    "Adam": ("adam",),
}


def breakdown(dtype, num_train=1000, num_val=100):
    """(total seconds, {category: seconds}) of one profiled Solver epoch."""
    from benchmarks.training import _data, numpy_epoch

    data = _data(num_train, num_val, dtype)
    numpy_epoch(data, dtype)  # warm-up: thread pools, caches
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(numpy_epoch, data, dtype)
    total = time.perf_counter() - start
    counted = {name for names in CATEGORIES.values() for name in names}
    cumulative = {}
    for (_, _, name), (_, _, _, seconds, callers) in pstats.Stats(profiler).stats.items():
        # a layer called by another counted layer (the sandwich's own conv and pool, when it
        # runs them unfused) counts once, for its caller
        nested = sum(caller_seconds for (_, _, caller), (_, _, _, caller_seconds)
                     in callers.items() if caller in counted)
        cumulative[name] = cumulative.get(name, 0.0) + seconds - nested
    parts = {category: sum(cumulative.get(name, 0.0) for name in names)
             for category, names in CATEGORIES.items()}
    parts = {category: seconds for category, seconds in parts.items() if seconds > 0}
    parts["Solver bookkeeping and model glue"] = total - sum(parts.values())
    return total, parts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtype", choices=("float32", "float64"), nargs="+",
                        default=["float32", "float64"])
    parser.add_argument("--train-images", type=int, default=1000)
    args = parser.parse_args(argv)
    for dtype_name in args.dtype:
        total, parts = breakdown(np.dtype(dtype_name), num_train=args.train_images)
        print(f"{dtype_name}: one profiled epoch, {args.train_images} images: {total:.3f} s")
        for category, seconds in sorted(parts.items(), key=lambda item: -item[1]):
            print(f"  {category:36} {seconds * 1e3:9.1f} ms  {100 * seconds / total:5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
