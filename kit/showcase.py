"""See the reference solution work:
``python -m kit.showcase [--out out/showcase] [--iterations 300]``.

1. The notebook's convolution aside: grayscale and edge filters applied to the kitten and the
   puppy with the reference ``conv_forward_naive``  -> ``conv_demo.png``.
2. A few hundred iterations of ``ThreeLayerConvNet`` training on whatever CIFAR-10 is present
   -> ``training_curves.png`` (loss, train/val accuracy) and ``first_layer_filters.png``.

Data is looked for as the package does (argument, ``CS231N_CIFAR10_DIR`` /
``CS231N_IMAGES_DIR``, ``assignment/cs231n/datasets/``), then in the shared layout beside the
clone (``../shared/data/cifar-10-subset-py`` and ``../shared/data/images``). A missing data set
is reported as skipped and the exit status stays 0.
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from autograder.reference import use_reference
from kit.release.layout import ROOT

SHARED_DATA = ROOT.parent / "shared" / "data"


def _first_found(finder, explicit, fallback):
    """``finder``'s lookup (explicit / env / package default), then ``fallback``; else None."""
    try:
        return finder(explicit)
    except FileNotFoundError as missing:
        if explicit is None:
            try:
                return finder(fallback)
            except FileNotFoundError:
                pass
        print(f"  {missing}")
        return None


def conv_demo(out_dir, images_dir=None, size=200):
    """Apply the notebook's grayscale and edge filters; return the PNG path or None."""
    import matplotlib.pyplot as plt
    from cs231n.image_utils import find_images_dir, load_demo_images
    from cs231n.layers import conv_forward_naive

    folder = _first_found(find_images_dir, images_dir, SHARED_DATA / "images")
    if folder is None:
        print("SKIPPED conv demo: no kitten.jpg/puppy.jpg")
        return None
    kitten_cropped, puppy, x = load_demo_images(size=size, images_dir=folder)

    w = np.zeros((2, 3, 3, 3))
    w[0, :, 1, 1] = [0.3, 0.6, 0.1]  # grayscale: weighted sum of R, G, B at the centre
    w[1, 2] = [[1, 2, 1], [0, 0, 0], [-1, -2, -1]]  # horizontal edges of the blue channel
    b = np.array([0.0, 128.0])  # keeps edge responses positive
    out, _ = conv_forward_naive(x, w, b, {"stride": 1, "pad": 1})  # (2, 2, size, size)

    def show(ax, img, title=None, normalize=True):
        if normalize:
            img = 255.0 * (img - img.min()) / max(img.max() - img.min(), 1e-12)
        ax.imshow(img.astype("uint8"), cmap="gray")
        ax.axis("off")
        if title:
            ax.set_title(title)

    fig, axes = plt.subplots(2, 3, figsize=(9, 6))
    for row, original in enumerate((puppy, kitten_cropped)):
        show(axes[row, 0], original, "Original image" if row == 0 else None, normalize=False)
        show(axes[row, 1], out[row, 0], "Grayscale" if row == 0 else None)
        show(axes[row, 2], out[row, 1], "Edges" if row == 0 else None)
    fig.tight_layout()
    path = out_dir / "conv_demo.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(f"conv demo: images from {folder} -> {path}")
    return path


def train_demo(out_dir, iterations, cifar10_dir=None, batch_size=50, seed=0):
    """Train ThreeLayerConvNet for about ``iterations`` steps; return a summary dict or None."""
    import matplotlib.pyplot as plt
    from cs231n.classifiers.cnn import ThreeLayerConvNet
    from cs231n.data_utils import find_cifar10_dir, get_CIFAR10_data
    from cs231n.solver import Solver
    from cs231n.vis_utils import visualize_grid
    from matplotlib.ticker import MaxNLocator

    folder = _first_found(find_cifar10_dir, cifar10_dir, SHARED_DATA / "cifar-10-subset-py")
    if folder is None:
        print("SKIPPED training: no CIFAR-10 (run assignment/cs231n/datasets/get_datasets.sh)")
        return None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        data = get_CIFAR10_data(cifar10_dir=folder)
    for warning in caught:
        print(f"  note: {warning.message}")

    # Solver counts in epochs: pick whole epochs and trim the training set so that
    # epochs * (N_train // batch_size) is as close to `iterations` as possible from below.
    per_epoch_max = max(data["X_train"].shape[0] // batch_size, 1)
    num_epochs = -(-iterations // per_epoch_max)  # ceil
    per_epoch = max(iterations // num_epochs, 1)
    num_train = min(per_epoch * batch_size, data["X_train"].shape[0])
    train_data = {"X_train": data["X_train"][:num_train], "y_train": data["y_train"][:num_train],
                  "X_val": data["X_val"], "y_val": data["y_val"]}

    np.random.seed(seed)  # the model's weights come from the global state, as in the course
    model = ThreeLayerConvNet(weight_scale=1e-3, hidden_dim=500, reg=1e-3)
    solver = Solver(model, train_data, num_epochs=num_epochs, batch_size=batch_size,
                    update_rule="adam", optim_config={"learning_rate": 1e-3},
                    print_every=50, verbose=True, seed=seed)
    print(f"training ThreeLayerConvNet on {num_train} images of {folder}, validating on "
          f"{train_data['X_val'].shape[0]}: {num_epochs} epochs x {per_epoch} iterations")
    start = time.perf_counter()
    solver.train()
    seconds = time.perf_counter() - start

    fig, (loss_ax, acc_ax) = plt.subplots(2, 1, figsize=(8, 7))
    loss_ax.plot(solver.loss_history, "o", markersize=2)
    loss_ax.set(xlabel="iteration", ylabel="loss", title="Training loss")
    acc_ax.plot(solver.train_acc_history, "-o", label="train")
    acc_ax.plot(solver.val_acc_history, "-o", label="val")
    acc_ax.set(xlabel="epoch", ylabel="accuracy")
    acc_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    acc_ax.legend(loc="upper left")
    fig.tight_layout()
    curves = out_dir / "training_curves.png"
    fig.savefig(curves, dpi=100)
    plt.close(fig)

    grid = visualize_grid(model.params["W1"].transpose(0, 2, 3, 1))  # (F, HH, WW, C) tiles
    fig = plt.figure(figsize=(5, 5))
    plt.imshow(grid.astype("uint8"))
    plt.axis("off")
    filters = out_dir / "first_layer_filters.png"
    fig.savefig(filters, dpi=100, bbox_inches="tight")
    plt.close(fig)

    return {"data": str(folder), "num_train": num_train,
            "num_val": int(train_data["X_val"].shape[0]), "iterations": len(solver.loss_history),
            "final_train_acc": solver.train_acc_history[-1],
            "final_val_acc": solver.val_acc_history[-1], "best_val_acc": solver.best_val_acc,
            "seconds": seconds, "curves": str(curves), "filters": str(filters)}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kit.showcase", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "showcase",
                        help="folder for the PNG files (default: out/showcase)")
    parser.add_argument("--iterations", type=int, default=300,
                        help="training iterations, batch 50 (default: 300)")
    parser.add_argument("--cifar10-dir", type=Path, default=None,
                        help="a cifar-10-batches-py folder (default: lookup as the package)")
    parser.add_argument("--images-dir", type=Path, default=None,
                        help="folder with kitten.jpg and puppy.jpg (default: lookup)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    args = parser.parse_args(argv)
    if args.iterations < 1:
        parser.error(f"--iterations must be >= 1, got {args.iterations}")

    import matplotlib

    matplotlib.use("Agg")  # files only; works without a display
    use_reference()
    args.out.mkdir(parents=True, exist_ok=True)

    conv_demo(args.out, images_dir=args.images_dir)
    summary = train_demo(args.out, args.iterations, cifar10_dir=args.cifar10_dir,
                         seed=args.seed)
    if summary is not None:
        print(f"\nSummary: {summary['iterations']} iterations on {summary['num_train']} training "
              f"images from {summary['data']} in {summary['seconds']:.1f} s\n"
              f"  final train accuracy {summary['final_train_acc']:.3f}, "
              f"final val accuracy {summary['final_val_acc']:.3f} "
              f"(best {summary['best_val_acc']:.3f}, on {summary['num_val']} images)\n"
              f"  plots: {summary['curves']}, {summary['filters']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
