"""Tile many small images (for example first-layer conv filters) into one image to show.

Images are channels last, ``(H, W, C)``; conv weights ``(F, C, HH, WW)`` become
``w.transpose(0, 2, 3, 1)`` first.
"""

import math

import numpy as np

from . import _checks

__all__ = ["vis_grid", "vis_nn", "visualize_grid"]


def _check_stack(Xs):
    Xs = np.asarray(Xs)
    if Xs.ndim != 4:
        raise ValueError(f"expected images of shape (N, H, W, C), got shape {Xs.shape}")
    return Xs


def _rescale(array, ubound=1.0):
    """Map ``array`` linearly onto [0, ubound]; a constant array becomes zeros (not NaN)."""
    low, high = float(np.min(array)), float(np.max(array))
    if high == low:
        return np.zeros(array.shape, dtype=np.float64)
    return ubound * (array - low) / (high - low)


def visualize_grid(Xs, ubound=255.0, padding=1):
    """Tile images in a square grid, each rescaled on its own to [0, ubound].

    Parameters
    ----------
    Xs : ndarray, shape (N, H, W, C)
    ubound : float
        Upper bound of the output values (255 to show with ``astype('uint8')``).
    padding : int
        Blank pixels between neighbouring images.

    Returns
    -------
    grid : ndarray of float64, shape (G*H + (G-1)*padding, G*W + (G-1)*padding, C)
        ``G = ceil(sqrt(N))``; unused cells and padding are 0.
    """
    Xs = _check_stack(Xs)
    _checks.check_int("padding", padding, minimum=0)
    N, H, W, C = Xs.shape
    grid_size = math.ceil(math.sqrt(N))
    grid_height = H * grid_size + padding * (grid_size - 1)
    grid_width = W * grid_size + padding * (grid_size - 1)
    grid = np.zeros((grid_height, grid_width, C))
    for n in range(N):
        row, col = divmod(n, grid_size)
        y0, x0 = row * (H + padding), col * (W + padding)
        grid[y0:y0 + H, x0:x0 + W] = _rescale(Xs[n], ubound)
    return grid


def vis_grid(Xs):
    """Tile images in a square grid with a 1-pixel border, rescaled together to [0, 1].

    Parameters
    ----------
    Xs : ndarray, shape (N, H, W, C)

    Returns
    -------
    grid : ndarray of float64, shape (G*H + G, G*W + G, C), ``G = ceil(sqrt(N))``
        Borders and unused cells take the minimum of ``Xs`` before rescaling.
    """
    Xs = _check_stack(Xs)
    N, H, W, C = Xs.shape
    A = math.ceil(math.sqrt(N))
    G = np.full((A * H + A, A * W + A, C), np.min(Xs), dtype=np.float64)
    for n in range(N):
        y, x = divmod(n, A)
        G[y * H + y:(y + 1) * H + y, x * W + x:(x + 1) * W + x, :] = Xs[n]
    return _rescale(G)


def vis_nn(rows):
    """Tile a table of images (a list of rows, each a list of (H, W, C) images).

    Parameters
    ----------
    rows : sequence of sequences of ndarray, each of shape (H, W, C)
        ``len(rows)`` rows of ``len(rows[0])`` images, all the same shape.

    Returns
    -------
    grid : ndarray of float64, shape (N*H + N, D*W + D, C), rescaled to [0, 1]
        ``N = len(rows)``, ``D = len(rows[0])``; borders are 1 before rescaling.
    """
    if len(rows) == 0 or len(rows[0]) == 0:
        raise ValueError("vis_nn needs at least one row with at least one image")
    N, D = len(rows), len(rows[0])
    H, W, C = np.shape(rows[0][0])
    G = np.ones((N * H + N, D * W + D, C), dtype=np.float64)
    for y in range(N):
        if len(rows[y]) != D:
            raise ValueError(f"row {y} has {len(rows[y])} images, row 0 has {D}")
        for x in range(D):
            image = np.asarray(rows[y][x])
            if image.shape != (H, W, C):
                raise ValueError(f"image [{y}][{x}] has shape {image.shape}, expected {(H, W, C)}")
            G[y * H + y:(y + 1) * H + y, x * W + x:(x + 1) * W + x, :] = image
    return _rescale(G)
