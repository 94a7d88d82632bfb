"""cs231n.vis_utils: filter grids are laid out and scaled as documented."""

import numpy as np
import pytest
from cs231n.vis_utils import vis_grid, vis_nn, visualize_grid


def test_visualize_grid_layout_and_scaling():
    rng = np.random.default_rng(5)
    Xs = rng.standard_normal((5, 3, 4, 2))
    before = Xs.copy()
    grid = visualize_grid(Xs, ubound=255.0, padding=1)
    assert grid.shape == (3 * 3 + 2, 3 * 4 + 2, 2)  # ceil(sqrt(5)) = 3 cells a side
    first = grid[0:3, 0:4]
    assert first.min() == 0.0 and first.max() == pytest.approx(255.0)
    assert np.all(grid[3, :] == 0) and np.all(grid[:, 4] == 0)  # padding
    assert np.all(grid[8:, 5:] == 0)  # cells 7 and 8 are unused
    np.testing.assert_array_equal(Xs, before)


def test_visualize_grid_constant_filter_gives_zeros_not_nan():
    grid = visualize_grid(np.ones((2, 2, 2, 3)))
    assert not np.isnan(grid).any() and np.all(grid == 0)
    with pytest.raises(ValueError, match=r"\(N, H, W, C\)"):
        visualize_grid(np.ones((2, 3, 3)))


def test_vis_grid_and_vis_nn_shapes_and_range():
    Xs = np.arange(2 * 2 * 3 * 1, dtype=float).reshape(2, 2, 3, 1)
    grid = vis_grid(Xs)
    assert grid.shape == (2 * 2 + 2, 2 * 3 + 2, 1) and grid.min() == 0 and grid.max() == 1
    table = vis_nn([[Xs[0], Xs[1]], [Xs[1], Xs[0]], [Xs[0], Xs[0]]])
    assert table.shape == (3 * 2 + 3, 2 * 3 + 2, 1) and table.max() == 1
    with pytest.raises(ValueError, match="row 1"):
        vis_nn([[Xs[0], Xs[1]], [Xs[0]]])
