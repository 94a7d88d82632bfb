"""Tests of the CIFAR-10 loader: the real subset read unchanged, lookup order, subset warnings."""

import pickle
import warnings

import numpy as np
import pytest
from cs231n import data_utils
from cs231n.data_utils import (
    cifar10_source,
    find_cifar10_dir,
    get_CIFAR10_data,
    load_CIFAR10,
    load_CIFAR_batch,
)

FIRST_TEST_LABELS = [3, 8, 8, 0, 6, 6, 1, 6, 3, 1]  # of the official test batch


@pytest.fixture(scope="module")
def subset(cifar_dir):
    return load_CIFAR10(cifar_dir)


def write_fake_cifar(folder, per_batch, num_test):
    """A folder in the official layout with random images, for split logic without real data."""
    rng = np.random.default_rng(0)
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"data_batch_{b}" for b in range(1, 6)] + ["test_batch"]
    for name, k in zip(names, [per_batch] * 5 + [num_test], strict=True):
        batch = {"batch_label": name, "labels": rng.integers(10, size=k).tolist(),
                 "data": rng.integers(256, size=(k, 3072), dtype=np.uint8)}
        with open(folder / name, "wb") as f:
            pickle.dump(batch, f)
    return folder


def test_batch_is_read_unchanged(cifar_dir):
    """Does pixel (0, 0) of image 0 carry the bytes at offsets 0, 1024, 2048 of its row?"""
    with open(cifar_dir / "data_batch_1", "rb") as f:
        raw = pickle.load(f, encoding="latin1")
    X, y = load_CIFAR_batch(cifar_dir / "data_batch_1")
    assert X.shape == (1102, 32, 32, 3) and X.dtype == np.float64
    assert y.shape == (1102,) and y.dtype == np.int64
    row = raw["data"][0]
    np.testing.assert_array_equal(X[0, 0, 0], row[[0, 1024, 2048]])
    np.testing.assert_array_equal(X[0, 31, 31], row[[1023, 2047, 3071]])
    np.testing.assert_array_equal(X[0, 2, 5, 1], row[1024 + 2 * 32 + 5])
    np.testing.assert_array_equal(y, raw["labels"])
    assert np.all(np.round(X) == X) and X.min() >= 0 and X.max() <= 255


def test_subset_counts_and_labels(subset):
    Xtr, ytr, Xte, yte = subset
    assert Xtr.shape == (5170, 32, 32, 3) and ytr.shape == (5170,)
    assert Xte.shape == (1017, 32, 32, 3) and yte.shape == (1017,)
    assert yte[:10].tolist() == FIRST_TEST_LABELS
    assert set(np.unique(ytr)) == set(range(10)) and set(np.unique(yte)) == set(range(10))


def test_get_data_small_split_no_warning(cifar_dir, subset):
    Xtr, ytr, Xte, _ = subset
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = get_CIFAR10_data(num_training=500, num_validation=100, num_test=50,
                                cifar10_dir=cifar_dir)
    shapes = {k: v.shape for k, v in data.items()}
    assert shapes == {"X_train": (500, 3, 32, 32), "y_train": (500,),
                      "X_val": (100, 3, 32, 32), "y_val": (100,),
                      "X_test": (50, 3, 32, 32), "y_test": (50,)}
    assert all(v.dtype == np.float64 for k, v in data.items() if k.startswith("X"))
    mean_image = Xtr[:500].mean(axis=0).transpose(2, 0, 1)  # (3, 32, 32)
    np.testing.assert_allclose(data["X_train"].mean(axis=0), 0, atol=1e-9)
    # Validation images are the ones right after the training images, as in the course.
    np.testing.assert_allclose(data["X_val"], Xtr[500:600].transpose(0, 3, 1, 2) - mean_image)
    np.testing.assert_array_equal(data["y_val"], ytr[500:600])
    np.testing.assert_allclose(data["X_test"], Xte[:50].transpose(0, 3, 1, 2) - mean_image)
    assert data["y_test"][:10].tolist() == FIRST_TEST_LABELS


def test_get_data_without_mean_subtraction(cifar_dir, subset):
    data = get_CIFAR10_data(num_training=10, num_validation=5, num_test=5,
                            subtract_mean=False, cifar10_dir=cifar_dir)
    np.testing.assert_array_equal(data["X_train"], subset[0][:10].transpose(0, 3, 1, 2))
    assert data["X_train"].flags.c_contiguous


def test_subset_defaults_warn_and_keep_validation(cifar_dir):
    with pytest.warns(UserWarning, match=r"5170 training images.*49000 training \+ 1000 "
                                          r"validation.*4170 training \+ 1000 validation"):
        data = get_CIFAR10_data(cifar10_dir=cifar_dir)
    assert data["X_train"].shape[0] == 4170 and data["X_val"].shape[0] == 1000
    assert data["X_test"].shape[0] == 1000


def test_too_many_test_images_warns(cifar_dir):
    with pytest.warns(UserWarning, match="1017 test images but 5000"):
        data = get_CIFAR10_data(num_training=100, num_validation=10, num_test=5000,
                                cifar10_dir=cifar_dir)
    assert data["X_test"].shape == (1017, 3, 32, 32)


@pytest.mark.parametrize(
    "num_training, num_validation, expected",
    [(40, 10, (40, 10)), (45, 10, (40, 10)), (45, 40, (25, 25)), (10, 0, (10, 0))],
    ids=["fits", "train-shrinks", "val-halves", "no-val"],
)
def test_split_when_folder_is_small(tmp_path, num_training, num_validation, expected):
    folder = write_fake_cifar(tmp_path / "fake", per_batch=10, num_test=4)
    fits = num_training + num_validation <= 50
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = get_CIFAR10_data(num_training, num_validation, num_test=4, cifar10_dir=folder)
    assert (data["X_train"].shape[0], data["X_val"].shape[0]) == expected
    assert len(caught) == (0 if fits else 1)


def test_missing_folder_names_path_and_get_datasets(tmp_path, monkeypatch):
    monkeypatch.delenv("CS231N_CIFAR10_DIR", raising=False)
    with pytest.raises(FileNotFoundError, match="get_datasets.sh") as info:
        get_CIFAR10_data(cifar10_dir=tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(info.value)
    monkeypatch.setattr(data_utils, "DEFAULT_DIR", tmp_path / "default")
    with pytest.raises(FileNotFoundError, match="default location"):
        find_cifar10_dir()


def test_environment_variable_then_argument(cifar_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("CS231N_CIFAR10_DIR", str(cifar_dir))
    assert find_cifar10_dir() == cifar_dir
    assert "CS231N_CIFAR10_DIR" in cifar10_source() and str(cifar_dir) in cifar10_source()
    # The argument wins over the environment.
    with pytest.raises(FileNotFoundError, match="argument"):
        find_cifar10_dir(tmp_path)


def test_missing_training_batch(tmp_path):
    folder = write_fake_cifar(tmp_path / "fake", per_batch=3, num_test=2)
    (folder / "data_batch_4").unlink()
    with pytest.raises(FileNotFoundError, match="data_batch_4.*get_datasets.sh"):
        load_CIFAR10(folder)


@pytest.mark.parametrize(
    "batch, match",
    [({"labels": [1]}, "not a CIFAR-10 batch"),
     ({"labels": [1, 2], "data": np.zeros((2, 100), np.uint8)}, r"\(k, 3072\)"),
     ({"labels": [1, 12], "data": np.zeros((2, 3072), np.uint8)}, "outside 0..9")],
    ids=["no-data", "wrong-width", "bad-label"],
)
def test_corrupt_batch_is_rejected(tmp_path, batch, match):
    with open(tmp_path / "data_batch_1", "wb") as f:
        pickle.dump(batch, f)
    with pytest.raises(ValueError, match=match):
        load_CIFAR_batch(tmp_path / "data_batch_1")


@pytest.mark.parametrize("kwargs", [{"num_training": 0}, {"num_validation": -1},
                                    {"num_test": 2.0}], ids=["train-0", "val-neg", "test-float"])
def test_bad_sizes_are_rejected(kwargs, tmp_path):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        get_CIFAR10_data(cifar10_dir=tmp_path, **kwargs)


# --------------------------------------------------------------------------- get_datasets.sh
# Only the offline paths: skipping what is there, verifying checksums, reading a local zip.

GET_DATASETS = data_utils.DEFAULT_DIR.parent / "get_datasets.sh"


def run_get_datasets(folder, cwd):
    """Run a copy of the script living in ``folder`` from another directory ``cwd``."""
    import shutil
    import subprocess

    shutil.copy(GET_DATASETS, folder / "get_datasets.sh")
    return subprocess.run(["bash", str(folder / "get_datasets.sh")], cwd=cwd,
                          capture_output=True, text=True, timeout=60, check=False)


def test_get_datasets_script_syntax():
    import subprocess

    assert subprocess.run(["bash", "-n", str(GET_DATASETS)], check=False).returncode == 0


def test_get_datasets_skips_what_is_present(tmp_path, images_dir):
    import shutil

    folder = tmp_path / "datasets"
    write_fake_cifar(folder / "cifar-10-batches-py", per_batch=1, num_test=1)
    (folder / "cifar-10-batches-py" / "batches.meta").write_bytes(b"meta")
    for photo in ("kitten.jpg", "puppy.jpg"):
        shutil.copy(images_dir / photo, folder / photo)
    result = run_get_datasets(folder, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("skipping") == 2
    assert sorted(p.name for p in folder.iterdir()) == [
        "cifar-10-batches-py", "get_datasets.sh", "kitten.jpg", "puppy.jpg"]


def test_get_datasets_rejects_bad_tarball_and_reads_local_zip(tmp_path, images_dir):
    import zipfile

    folder = tmp_path / "datasets"
    folder.mkdir()
    (folder / "cifar-10-python.tar.gz").write_bytes(b"not the real tarball")
    result = run_get_datasets(folder, cwd=tmp_path)
    assert result.returncode != 0 and "expected c58f30108f718f92721af3b95e74349a" in result.stderr
    assert not (folder / "cifar-10-python.tar.gz").exists()  # removed, so a rerun downloads

    # With CIFAR-10 present, the photos come out of a (pre-placed) course zip, checked by md5.
    write_fake_cifar(folder / "cifar-10-batches-py", per_batch=1, num_test=1)
    (folder / "cifar-10-batches-py" / "batches.meta").write_bytes(b"meta")
    with zipfile.ZipFile(folder / "spring1718_assignment2_v2.zip", "w") as z:
        for photo in ("kitten.jpg", "puppy.jpg"):
            z.write(images_dir / photo, f"spring1718_assignment2_v2/{photo}")
    result = run_get_datasets(folder, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for photo in ("kitten.jpg", "puppy.jpg"):
        assert (folder / photo).read_bytes() == (images_dir / photo).read_bytes()
    assert not (folder / "spring1718_assignment2_v2.zip").exists()


def test_get_datasets_failed_download_says_what_to_do(tmp_path):
    """Offline, does the script say which download failed and where to put the file by hand
    (instead of stopping on a bare curl error), leaving no partial file behind?"""
    import os
    import subprocess

    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "curl").write_text("#!/bin/sh\necho 'curl: (6) Could not resolve host' >&2\n"
                                   "exit 6\n")
    (fake_bin / "curl").chmod(0o755)
    folder = tmp_path / "datasets"
    folder.mkdir()
    (folder / "get_datasets.sh").write_text(GET_DATASETS.read_text())
    env = dict(os.environ, PATH=f"{fake_bin}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(["bash", str(folder / "get_datasets.sh")], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0
    assert "cifar-10-python.tar.gz failed (exit status 6; no internet connection?)" in (
        result.stderr)
    assert f"save it as {folder}/cifar-10-python.tar.gz" in result.stderr
    assert "run this script again" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["get_datasets.sh"]
