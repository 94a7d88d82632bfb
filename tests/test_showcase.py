"""Tests of ``python -m kit.showcase``: it skips missing data politely and writes its PNGs."""

import pytest

from kit import showcase


def test_showcase_without_data_says_what_it_skipped(tmp_path, capsys):
    nowhere = tmp_path / "nowhere"
    status = showcase.main(["--out", str(tmp_path / "out"), "--cifar10-dir", str(nowhere),
                            "--images-dir", str(nowhere)])
    out = capsys.readouterr().out
    assert status == 0
    assert "SKIPPED conv demo" in out and "SKIPPED training" in out
    assert "get_datasets.sh" in out and str(nowhere) in out
    assert list((tmp_path / "out").iterdir()) == []


def test_showcase_rejects_zero_iterations(tmp_path):
    with pytest.raises(SystemExit):
        showcase.main(["--out", str(tmp_path), "--iterations", "0"])


@pytest.mark.slow
@pytest.mark.data
def test_showcase_writes_all_pngs(tmp_path, capsys, cifar_dir, images_dir):
    pytest.importorskip("cs231n_fast", reason="cs231n_fast not built (pip install -e .)")
    status = showcase.main(["--out", str(tmp_path), "--iterations", "4", "--cifar10-dir",
                            str(cifar_dir), "--images-dir", str(images_dir)])
    out = capsys.readouterr().out
    assert status == 0
    for name in ("conv_demo.png", "training_curves.png", "first_layer_filters.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Summary: 4 iterations on 200 training images" in out
    assert "note: " in out and "5170 training images" in out  # the subset warning is shown
