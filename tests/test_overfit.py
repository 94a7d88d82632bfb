"""End to end on real data: can the reference ThreeLayerConvNet overfit 100 CIFAR-10 images?

The notebook's "Overfit small data" cell, with its configuration (weight_scale 1e-2, adam with
learning rate 1e-3, batch 50, 15 epochs, np.random.seed(231)). Only 200 validation images are
scored, to keep the test quick: the validation set does not influence the training trajectory
(it draws no random numbers), only which parameters are kept at the end.
"""

import warnings

import numpy as np
import pytest

pytestmark = pytest.mark.data


@pytest.fixture(scope="module")
def small_data(cifar_dir):
    from cs231n.data_utils import get_CIFAR10_data

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the subset is smaller than 49000 + 1000
        data = get_CIFAR10_data(cifar10_dir=cifar_dir)
    return {"X_train": data["X_train"][:100], "y_train": data["y_train"][:100],
            "X_val": data["X_val"][:200], "y_val": data["y_val"][:200]}


def test_three_layer_convnet_overfits_100_images(small_data):
    pytest.importorskip("cs231n_fast", reason="cs231n_fast not built (pip install -e .)")
    from cs231n.classifiers.cnn import ThreeLayerConvNet
    from cs231n.solver import Solver

    np.random.seed(231)
    model = ThreeLayerConvNet(weight_scale=1e-2)
    solver = Solver(model, small_data, num_epochs=15, batch_size=50, update_rule="adam",
                    optim_config={"learning_rate": 1e-3}, verbose=False)
    solver.train()

    assert len(solver.loss_history) == 30 and len(solver.train_acc_history) == 16
    assert solver.loss_history[0] == pytest.approx(np.log(10), abs=0.3)
    assert solver.train_acc_history[-1] >= 0.9, solver.train_acc_history
    assert np.mean(solver.loss_history[-4:]) < 0.5, solver.loss_history
    # Overfitting: validation accuracy stays far below training accuracy.
    assert max(solver.val_acc_history) < 0.5
    assert solver.best_val_acc == max(solver.val_acc_history)
