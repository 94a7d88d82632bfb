"""Load CIFAR-10 from the official python pickle folder (``cifar-10-batches-py``).

Where the data is looked for, first match wins:

1. the ``cifar10_dir`` argument,
2. the environment variable ``CS231N_CIFAR10_DIR``,
3. ``cs231n/datasets/cifar-10-batches-py`` next to this file, where
   ``cs231n/datasets/get_datasets.sh`` downloads it.

Images come back as float64 (the course's ``astype("float")``), labels as int64 in 0..9.
A folder holding fewer images than asked for (such as a 5170-image subset of the training set)
is used as it is, with a ``UserWarning`` that says how many images were asked for and used.
"""

import os
import pickle
import warnings
from pathlib import Path

import numpy as np

from . import _checks

__all__ = [
    "CIFAR10_CLASSES",
    "cifar10_source",
    "find_cifar10_dir",
    "get_CIFAR10_data",
    "load_CIFAR10",
    "load_CIFAR_batch",
]

ENV_VAR = "CS231N_CIFAR10_DIR"
DEFAULT_DIR = Path(__file__).resolve().parent / "datasets" / "cifar-10-batches-py"
DOWNLOAD_HINT = "run `bash cs231n/datasets/get_datasets.sh` to download CIFAR-10 (170 MB)"
CIFAR10_CLASSES = ("plane", "car", "bird", "cat", "deer",
                   "dog", "frog", "horse", "ship", "truck")
_IMAGE_BYTES = 3 * 32 * 32


def _locate(cifar10_dir=None):
    """Return (path, how it was chosen) by the lookup order in the module docstring."""
    if cifar10_dir is not None:
        return Path(cifar10_dir), "argument cifar10_dir"
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]), f"environment variable {ENV_VAR}"
    return DEFAULT_DIR, "default location"


def find_cifar10_dir(cifar10_dir=None):
    """The CIFAR-10 folder to use, checked to hold ``data_batch_1`` and ``test_batch``.

    Parameters
    ----------
    cifar10_dir : str, os.PathLike or None
        Explicit folder; None means ``$CS231N_CIFAR10_DIR``, then the default location.

    Returns
    -------
    path : pathlib.Path

    Raises
    ------
    FileNotFoundError
        Naming the folder searched, how it was chosen, and ``get_datasets.sh``.
    """
    path, how = _locate(cifar10_dir)
    missing = [name for name in ("data_batch_1", "test_batch") if not (path / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"CIFAR-10 not found: {path} (from {how}) has no {' or '.join(missing)}. "
            f"Either {DOWNLOAD_HINT}, set {ENV_VAR} to a cifar-10-batches-py folder, "
            f"or pass cifar10_dir=...")
    return path


def cifar10_source(cifar10_dir=None):
    """One line saying which CIFAR-10 folder is used and why, for notebooks to print.

    Returns
    -------
    str
        For example ``"CIFAR-10 from /data/cifar-10-batches-py (environment variable ...)"``.
    """
    path, how = _locate(cifar10_dir)
    find_cifar10_dir(cifar10_dir)
    return f"CIFAR-10 from {path} ({how})"


def load_CIFAR_batch(filename):
    """Load one batch file of the official pickle format.

    Parameters
    ----------
    filename : str or os.PathLike
        A ``data_batch_<i>`` or ``test_batch`` file.

    Returns
    -------
    X : ndarray of float64, shape (k, 32, 32, 3)
        Pixel values 0..255, channels last; ``k`` is 10000 in the official files.
    Y : ndarray of int64, shape (k,)
        Labels in 0..9.
    """
    filename = Path(filename)
    with open(filename, "rb") as f:
        # The official files were pickled by Python 2; latin1 maps its byte strings 1:1.
        datadict = pickle.load(f, encoding="latin1")
    try:
        data = np.asarray(datadict["data"], dtype=np.uint8)
        labels = np.asarray(datadict["labels"], dtype=np.int64)
    except (KeyError, TypeError) as err:
        raise ValueError(f"{filename} is not a CIFAR-10 batch (no 'data'/'labels'): {err}") from err
    if data.ndim != 2 or data.shape[1] != _IMAGE_BYTES or data.shape[0] != labels.shape[0]:
        raise ValueError(f"{filename}: expected data (k, {_IMAGE_BYTES}) and k labels, "
                         f"got data {data.shape} and {labels.shape[0]} labels")
    if labels.size and (labels.min() < 0 or labels.max() > 9):
        raise ValueError(f"{filename}: labels outside 0..9 ({labels.min()}..{labels.max()})")
    # Each row is 1024 red, 1024 green, 1024 blue values of a row-major 32x32 image.
    X = data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).astype(np.float64)  # (k, 32, 32, 3)
    return X, labels


def load_CIFAR10(ROOT):
    """Load all of CIFAR-10 from a ``cifar-10-batches-py`` folder.

    Parameters
    ----------
    ROOT : str or os.PathLike
        Folder with ``data_batch_1`` .. ``data_batch_5`` and ``test_batch``.

    Returns
    -------
    Xtr : ndarray of float64, shape (N_train, 32, 32, 3)
    Ytr : ndarray of int64, shape (N_train,)
    Xte : ndarray of float64, shape (N_test, 32, 32, 3)
    Yte : ndarray of int64, shape (N_test,)
        50000 and 10000 images for the official data set.
    """
    root = find_cifar10_dir(ROOT)
    batches = [root / f"data_batch_{b}" for b in range(1, 6)]
    missing = [p.name for p in batches if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"{root} lacks {', '.join(missing)}; {DOWNLOAD_HINT}")
    xs, ys = zip(*(load_CIFAR_batch(p) for p in batches), strict=True)
    Xte, Yte = load_CIFAR_batch(root / "test_batch")
    return np.concatenate(xs), np.concatenate(ys), Xte, Yte


def _split_sizes(num_training, num_validation, available):
    """Train/val sizes that fit in ``available`` images.

    The validation size is kept while it leaves at least as many training images (a small
    validation set makes the accuracy noisy); otherwise the images are split in half.
    """
    if num_training + num_validation <= available:
        return num_training, num_validation
    num_val = min(num_validation, available // 2)
    return min(num_training, available - num_val), num_val


def get_CIFAR10_data(num_training=49000, num_validation=1000, num_test=1000,
                     subtract_mean=True, cifar10_dir=None):
    """CIFAR-10 split into train/val/test, mean-subtracted, channels first, for the classifiers.

    Validation images are the ``num_validation`` training images after the first
    ``num_training`` (as in the course). When the folder holds fewer images than asked,
    all there are get used, split as described in ``_split_sizes``, with a ``UserWarning``.

    Parameters
    ----------
    num_training, num_validation, num_test : int
        Images asked for (``num_training >= 1``, the others ``>= 0``).
    subtract_mean : bool
        Subtract the mean training image from every split.
    cifar10_dir : str, os.PathLike or None
        Data folder; None means ``$CS231N_CIFAR10_DIR``, then ``cs231n/datasets/...``.

    Returns
    -------
    data : dict of str -> ndarray
        ``X_train`` (N_train, 3, 32, 32), ``X_val`` (N_val, 3, 32, 32),
        ``X_test`` (N_test, 3, 32, 32), all float64; ``y_train``, ``y_val``, ``y_test`` int64
        in 0..9. Use ``cifar10_source()`` to say where the data came from.
    """
    _checks.check_int("num_training", num_training, 1)
    _checks.check_int("num_validation", num_validation, 0)
    _checks.check_int("num_test", num_test, 0)
    root = find_cifar10_dir(cifar10_dir)
    X_train, y_train, X_test, y_test = load_CIFAR10(root)

    available = X_train.shape[0]
    n_train, n_val = _split_sizes(num_training, num_validation, available)
    if (n_train, n_val) != (num_training, num_validation):
        warnings.warn(
            f"{root} holds {available} training images but {num_training} training + "
            f"{num_validation} validation were asked for; using {n_train} training + "
            f"{n_val} validation. For the full data set, {DOWNLOAD_HINT}.", stacklevel=2)
    n_test = min(num_test, X_test.shape[0])
    if n_test != num_test:
        warnings.warn(f"{root} holds {X_test.shape[0]} test images but {num_test} were asked "
                      f"for; using {n_test}.", stacklevel=2)

    # Views are enough here: the loader made fresh arrays that nobody else holds, the splits
    # do not overlap, and the transposed copies below are what gets returned.
    X_val, y_val = X_train[n_train:n_train + n_val], y_train[n_train:n_train + n_val]
    X_train, y_train = X_train[:n_train], y_train[:n_train]
    X_test, y_test = X_test[:n_test], y_test[:n_test]

    if subtract_mean:
        mean_image = X_train.mean(axis=0)  # (32, 32, 3)
        X_train -= mean_image
        X_val -= mean_image
        X_test -= mean_image

    return {
        "X_train": X_train.transpose(0, 3, 1, 2).copy(),  # (N, 3, 32, 32)
        "y_train": y_train.copy(),
        "X_val": X_val.transpose(0, 3, 1, 2).copy(),
        "y_val": y_val.copy(),
        "X_test": X_test.transpose(0, 3, 1, 2).copy(),
        "y_test": y_test.copy(),
    }
