"""cs231n.image_utils: resizing, cropping and loading the course's demo images."""

import warnings

import numpy as np
import pytest
from cs231n.image_utils import (
    center_crop_square,
    find_images_dir,
    load_demo_images,
    load_image,
    resize_image,
)


def test_resize_known_values():
    """Half-pixel-centre bilinear: 2 -> 4 samples at 0, 0.25, 0.75, 1 (clamped)."""
    img = np.array([[0.0, 4.0], [8.0, 12.0]])
    out = resize_image(img, (4, 4))
    weights = np.array([0.0, 0.25, 0.75, 1.0])
    np.testing.assert_allclose(out, 8 * weights[:, None] + 4 * weights[None, :])
    np.testing.assert_array_equal(resize_image(img, (2, 2)), img)
    np.testing.assert_allclose(resize_image(np.array([[0.0, 2.0, 4.0, 6.0]]), (1, 2)),
                               [[1.0, 5.0]])


def test_resize_uint8_rounds_and_keeps_channels():
    img = np.array([[[0, 10, 255], [1, 20, 255]]], dtype=np.uint8)  # (1, 2, 3)
    out = resize_image(img, (2, 3))
    assert out.dtype == np.uint8 and out.shape == (2, 3, 3)
    np.testing.assert_array_equal(out[0, :, 2], [255, 255, 255])
    np.testing.assert_array_equal(out[0, :, 1], [10, 15, 20])
    with pytest.raises(ValueError, match="size"):
        resize_image(img, (0, 3))


@pytest.mark.torch
def test_resize_matches_torch_bilinear(torch):
    rng = np.random.default_rng(6)
    img = rng.uniform(0, 255, size=(13, 17, 3))
    for size in [(200, 200), (5, 7), (13, 40)]:
        ours = resize_image(img, size)
        ref = torch.nn.functional.interpolate(
            torch.tensor(img.transpose(2, 0, 1)[None]), size=size, mode="bilinear",
            align_corners=False, antialias=False)[0].numpy().transpose(1, 2, 0)
        np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-9)


def test_center_crop_square():
    wide = np.arange(2 * 6).reshape(2, 6)
    np.testing.assert_array_equal(center_crop_square(wide), wide[:, 2:4])
    tall = np.zeros((7, 4, 3))
    assert center_crop_square(tall).shape == (4, 4, 3)
    crop = center_crop_square(wide)
    crop[:] = -1
    assert wide.min() == 0  # a copy, not a view


def test_load_image_drops_alpha_and_expands_gray(tmp_path):
    iio = pytest.importorskip("imageio.v3")
    rgba = np.zeros((4, 5, 4), dtype=np.uint8)
    rgba[..., 0], rgba[..., 3] = 200, 7
    iio.imwrite(tmp_path / "rgba.png", rgba)
    img = load_image(tmp_path / "rgba.png")
    assert img.shape == (4, 5, 3) and img.dtype == np.uint8 and np.all(img[..., 0] == 200)
    iio.imwrite(tmp_path / "gray.png", np.full((3, 2), 9, dtype=np.uint8))
    assert load_image(tmp_path / "gray.png").shape == (3, 2, 3)
    with pytest.raises(FileNotFoundError, match="nothere"):
        load_image(tmp_path / "nothere.jpg")


def test_demo_images_missing_names_get_datasets(tmp_path, monkeypatch):
    monkeypatch.delenv("CS231N_IMAGES_DIR", raising=False)
    with pytest.raises(FileNotFoundError, match="get_datasets.sh") as info:
        load_demo_images(images_dir=tmp_path)
    assert str(tmp_path) in str(info.value)


def test_demo_images_as_in_the_notebook(images_dir):
    kitten_cropped, puppy, x = load_demo_images(size=200, images_dir=images_dir)
    assert kitten_cropped.shape == (266, 266, 3) and puppy.shape == (517, 517, 3)
    assert x.shape == (2, 3, 200, 200) and x.dtype == np.float64
    assert x.min() >= 0 and x.max() <= 255
    np.testing.assert_array_equal(x[0], resize_image(puppy, (200, 200)).transpose(2, 0, 1))
    np.testing.assert_array_equal(
        x[1], resize_image(load_image(images_dir / "kitten.jpg")[:, 67:-67], (200, 200))
        .transpose(2, 0, 1))


def test_images_dir_from_environment(images_dir, monkeypatch):
    monkeypatch.setenv("CS231N_IMAGES_DIR", str(images_dir))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert find_images_dir() == images_dir
