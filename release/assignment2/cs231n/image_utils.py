"""Read, crop and resize photos for the convolution demo (replaces ``scipy.misc.imread/imresize``).

The demo photos ``kitten.jpg`` and ``puppy.jpg`` are looked for, first match wins, in

1. the ``images_dir`` argument,
2. the environment variable ``CS231N_IMAGES_DIR``,
3. ``cs231n/datasets/`` next to this file, where ``cs231n/datasets/get_datasets.sh`` puts them.
"""

import os
from pathlib import Path

import numpy as np

from . import _checks

__all__ = [
    "center_crop_square",
    "find_images_dir",
    "load_demo_images",
    "load_image",
    "resize_image",
]

ENV_VAR = "CS231N_IMAGES_DIR"
DEFAULT_DIR = Path(__file__).resolve().parent / "datasets"
DEMO_IMAGES = ("kitten.jpg", "puppy.jpg")


def load_image(path):
    """Read an image file as RGB.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    img : ndarray of uint8, shape (H, W, 3)
        Grayscale files are repeated over 3 channels; an alpha channel is dropped.
    """
    import imageio.v3 as iio  # imported here so the package imports without imageio

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no image file at {path}")
    img = np.asarray(iio.imread(path))
    if img.ndim == 2:
        img = np.stack([img] * 3, axis=-1)  # (H, W) -> (H, W, 3)
    if img.ndim != 3 or img.shape[2] not in (3, 4):
        raise ValueError(f"{path}: expected an RGB or RGBA image, got shape {img.shape}")
    if img.dtype != np.uint8:
        raise ValueError(f"{path}: expected 8-bit pixels, got dtype {img.dtype}")
    return np.ascontiguousarray(img[:, :, :3])


def center_crop_square(img):
    """The largest centred square of an image (the course's ``kitten[:, d//2:-d//2]``).

    Parameters
    ----------
    img : ndarray, shape (H, W) or (H, W, C)

    Returns
    -------
    square : ndarray, shape (S, S) or (S, S, C), ``S = min(H, W)``, same dtype (a copy)
        When ``H - W`` or ``W - H`` is odd the extra pixel is cut from the end.
    """
    img = np.asarray(img)
    if img.ndim not in (2, 3):
        raise ValueError(f"expected an image of shape (H, W) or (H, W, C), got {img.shape}")
    H, W = img.shape[:2]
    side = min(H, W)
    top, left = (H - side) // 2, (W - side) // 2
    return img[top:top + side, left:left + side].copy()


def _interpolation_weights(in_size, out_size):
    """Source indices and weights of 1-D linear interpolation with half-pixel centres.

    Output pixel i samples the input at ``(i + 0.5) * in_size / out_size - 0.5``, clamped to
    the image, which is the convention of OpenCV, PIL (without antialias) and
    ``torch.nn.functional.interpolate(mode='bilinear', align_corners=False)``.
    """
    src = (np.arange(out_size) + 0.5) * (in_size / out_size) - 0.5
    src = np.clip(src, 0, in_size - 1)
    low = np.floor(src).astype(np.intp)
    high = np.minimum(low + 1, in_size - 1)
    return low, high, src - low


def resize_image(img, size):
    """Resize by bilinear interpolation, in pure NumPy.

    No antialiasing: when shrinking by more than 2x some pixels are skipped rather than
    averaged (Pillow averages them), so values differ a little from ``scipy.misc.imresize``;
    for the 200x200 demo this only makes edges slightly crisper.

    Parameters
    ----------
    img : ndarray, shape (H, W) or (H, W, C)
    size : tuple of int
        ``(out_height, out_width)``, both >= 1.

    Returns
    -------
    resized : ndarray, shape (out_height, out_width[, C])
        uint8 input gives uint8 (rounded, as ``imresize``); other input gives float64.
    """
    img = np.asarray(img)
    if img.ndim not in (2, 3) or img.shape[0] == 0 or img.shape[1] == 0:
        raise ValueError(f"expected a non-empty image (H, W) or (H, W, C), got {img.shape}")
    try:
        out_h, out_w = (int(s) for s in size)
    except (TypeError, ValueError):
        raise ValueError(f"size must be (height, width), got {size!r}") from None
    if out_h < 1 or out_w < 1:
        raise ValueError(f"size must be positive, got {size!r}")

    y0, y1, wy = _interpolation_weights(img.shape[0], out_h)
    x0, x1, wx = _interpolation_weights(img.shape[1], out_w)
    x = img.astype(np.float64)
    wy = wy.reshape((-1, 1) + (1,) * (img.ndim - 2))  # (out_h, 1[, 1])
    wx = wx.reshape((1, -1) + (1,) * (img.ndim - 2))  # (1, out_w[, 1])
    rows = x[y0] * (1 - wy) + x[y1] * wy  # (out_h, W[, C])
    out = rows[:, x0] * (1 - wx) + rows[:, x1] * wx  # (out_h, out_w[, C])
    if img.dtype == np.uint8:
        return np.clip(np.rint(out), 0, 255).astype(np.uint8)
    return out


def find_images_dir(images_dir=None):
    """The folder holding ``kitten.jpg`` and ``puppy.jpg`` (see the module docstring).

    Raises
    ------
    FileNotFoundError
        Naming the folder searched and ``get_datasets.sh``.
    """
    if images_dir is not None:
        path, how = Path(images_dir), "argument images_dir"
    elif os.environ.get(ENV_VAR):
        path, how = Path(os.environ[ENV_VAR]), f"environment variable {ENV_VAR}"
    else:
        path, how = DEFAULT_DIR, "default location"
    missing = [name for name in DEMO_IMAGES if not (path / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"{' and '.join(missing)} not found in {path} (from {how}). Run "
            f"`bash cs231n/datasets/get_datasets.sh` to download them, set {ENV_VAR}, "
            f"or pass images_dir=...")
    return path


def load_demo_images(size=200, images_dir=None):
    """The inputs of the notebook's "image processing via convolutions" aside.

    Parameters
    ----------
    size : int
        Side of the square the photos are resized to (make it smaller if the naive conv is slow).
    images_dir : str, os.PathLike or None
        Folder with kitten.jpg and puppy.jpg; None follows the lookup order above.

    Returns
    -------
    kitten_cropped : ndarray of uint8, shape (S, S, 3)
        The kitten photo centre-cropped to a square (the kitten is wide), before resizing.
    puppy : ndarray of uint8, shape (H, H, 3)
        The puppy photo (already square), before resizing.
    x : ndarray of float64, shape (2, 3, size, size)
        ``x[0]`` the puppy, ``x[1]`` the kitten, resized, channels first, values 0..255.
    """
    _checks.check_int("size", size)
    folder = find_images_dir(images_dir)
    kitten = load_image(folder / "kitten.jpg")
    puppy = load_image(folder / "puppy.jpg")
    kitten_cropped = center_crop_square(kitten)
    x = np.zeros((2, 3, size, size))
    x[0] = resize_image(puppy, (size, size)).transpose(2, 0, 1)  # (3, size, size)
    x[1] = resize_image(kitten_cropped, (size, size)).transpose(2, 0, 1)
    return kitten_cropped, puppy, x
