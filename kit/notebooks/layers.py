"""Layers.ipynb: modular layers (course notebooks 000 and 003 in ../shared/seeds) - affine,
ReLU, SVM and softmax losses, and the affine-ReLU sandwich."""

from .cells import code, graded, locked, md
from .setup_cells import setup_source

STEM = "Layers"


def cells():
    return [
        md("""
        # Modular neural nets
        In the previous exercise, we computed the loss and gradient for a two-layer neural
        network in a single monolithic function. This isn't very difficult for a small two-layer
        network, but would be tedious and error-prone for larger networks. Ideally we want to
        build networks using a more modular design so that we can snap together different types
        of layers and loss functions in order to quickly experiment with different
        architectures.

        In this exercise we will implement this approach, and develop a number of different
        layer types in isolation that can then be easily plugged together. For each layer we
        will implement `forward` and `backward` functions. The `forward` function will receive
        data, weights, and other parameters, and will return both an output and a `cache` object
        that stores data needed for the backward pass. The `backward` function will receive
        upstream derivatives and the cache object, and will return gradients with respect to the
        data and all of the weights. This will allow us to write code that looks like this:

        ```python
        def two_layer_net(X, W1, b1, W2, b2, reg):
            # Forward pass; compute scores
            s1, fc1_cache = affine_forward(X, W1, b1)
            a1, relu_cache = relu_forward(s1)
            scores, fc2_cache = affine_forward(a1, W2, b2)

            # Loss functions return data loss and gradients on scores
            data_loss, dscores = svm_loss(scores, y)

            # Compute backward pass
            da1, dW2, db2 = affine_backward(dscores, fc2_cache)
            ds1 = relu_backward(da1, relu_cache)
            dX, dW1, db1 = affine_backward(ds1, fc1_cache)

            # A real network would add regularization here

            # Return loss and gradients
            return loss, dW1, db1, dW2, db2
        ```

        You write the layers in `cs231n/layers.py`; this notebook checks them. Each function has
        a cell of visible checks (run it after you implement the function) followed by a cell
        that stays empty for you: when your submission is graded, hidden tests run there.
        """),
        locked("setup", setup_source("""
    from cs231n.gradient_check import eval_numerical_gradient_array, eval_numerical_gradient
    from cs231n.layers import *""")),
        md("""
        # Affine layer: forward
        Open the file `cs231n/layers.py` and implement the `affine_forward` function.

        Once you are done you can test your implementation by running the following:
        """),
        locked("check_affine_forward", """
        # Test the affine_forward function

        num_inputs = 2
        input_shape = (4, 5, 6)
        output_dim = 3

        input_size = num_inputs * np.prod(input_shape)
        weight_size = output_dim * np.prod(input_shape)

        x = np.linspace(-0.1, 0.5, num=input_size).reshape(num_inputs, *input_shape)
        w = np.linspace(-0.2, 0.3, num=weight_size).reshape(np.prod(input_shape), output_dim)
        b = np.linspace(-0.3, 0.1, num=output_dim)

        out, _ = affine_forward(x, w, b)
        correct_out = np.array([[ 1.49834967,  1.70660132,  1.91485297],
                                [ 3.25553199,  3.5141327,   3.77273342]])

        # Compare your output with ours. The error should be around 1e-9.
        print('Testing affine_forward function:')
        print('difference: ', rel_error(out, correct_out))
        assert out.shape == (2, 3), f'out has shape {out.shape}, expected (2, 3)'
        assert rel_error(out, correct_out) < 1e-7, 'affine_forward output is wrong'
        """),
        graded("affine_forward"),
        md("""
        # Affine layer: backward
        Now implement the `affine_backward` function and test your implementation using numeric
        gradient checking.
        """),
        locked("check_affine_backward", """
        # Test the affine_backward function
        np.random.seed(231)
        x = np.random.randn(10, 2, 3)
        w = np.random.randn(6, 5)
        b = np.random.randn(5)
        dout = np.random.randn(10, 5)

        dx_num = eval_numerical_gradient_array(lambda x: affine_forward(x, w, b)[0], x, dout)
        dw_num = eval_numerical_gradient_array(lambda w: affine_forward(x, w, b)[0], w, dout)
        db_num = eval_numerical_gradient_array(lambda b: affine_forward(x, w, b)[0], b, dout)

        _, cache = affine_forward(x, w, b)
        dx, dw, db = affine_backward(dout, cache)

        # The error should be around 1e-10
        print('Testing affine_backward function:')
        print('dx error: ', rel_error(dx_num, dx))
        print('dw error: ', rel_error(dw_num, dw))
        print('db error: ', rel_error(db_num, db))
        assert dx.shape == x.shape and dw.shape == w.shape and db.shape == b.shape
        assert max(rel_error(dx_num, dx), rel_error(dw_num, dw), rel_error(db_num, db)) < 1e-7
        """),
        graded("affine_backward"),
        md("""
        # ReLU layer: forward
        Implement the forward pass for the ReLU activation function in the `relu_forward`
        function and test your implementation using the following:
        """),
        locked("check_relu_forward", """
        # Test the relu_forward function

        x = np.linspace(-0.5, 0.5, num=12).reshape(3, 4)

        out, _ = relu_forward(x)
        correct_out = np.array([[ 0.,          0.,          0.,          0.,        ],
                                [ 0.,          0.,          0.04545455,  0.13636364,],
                                [ 0.22727273,  0.31818182,  0.40909091,  0.5,       ]])

        # Compare your output with ours. The error should be around 5e-8
        print('Testing relu_forward function:')
        print('difference: ', rel_error(out, correct_out))
        assert out.shape == x.shape, f'out has shape {out.shape}, expected {x.shape}'
        assert rel_error(out, correct_out) < 1e-6, 'relu_forward output is wrong'
        """),
        graded("relu_forward"),
        md("""
        # ReLU layer: backward
        Now implement the backward pass for the ReLU activation function in the `relu_backward`
        function and test your implementation using numeric gradient checking:
        """),
        locked("check_relu_backward", """
        np.random.seed(231)
        x = np.random.randn(10, 10)
        dout = np.random.randn(*x.shape)

        dx_num = eval_numerical_gradient_array(lambda x: relu_forward(x)[0], x, dout)

        _, cache = relu_forward(x)
        dx = relu_backward(dout, cache)

        # The error should be around 3e-12
        print('Testing relu_backward function:')
        print('dx error: ', rel_error(dx_num, dx))
        assert dx.shape == x.shape, f'dx has shape {dx.shape}, expected {x.shape}'
        assert rel_error(dx_num, dx) < 1e-8, 'relu_backward gradient is wrong'
        """),
        graded("relu_backward"),
        md("""
        # Loss layers: SVM and softmax
        You wrote these loss functions in the last assignment; here they take the scores
        directly. Implement `svm_loss` and `softmax_loss` in `cs231n/layers.py` (each returns
        the loss and its gradient with respect to the scores), then make sure they are correct
        by running the following:
        """),
        locked("check_losses", """
        np.random.seed(231)
        num_classes, num_inputs = 10, 50
        x = 0.001 * np.random.randn(num_inputs, num_classes)
        y = np.random.randint(num_classes, size=num_inputs)

        dx_num = eval_numerical_gradient(lambda x: svm_loss(x, y)[0], x, verbose=False)
        loss, dx = svm_loss(x, y)

        # Test svm_loss function. Loss should be around 9 and dx error should be around 1e-9
        print('Testing svm_loss:')
        print('loss: ', loss)
        print('dx error: ', rel_error(dx_num, dx))
        assert abs(loss - 9) < 0.1, f'svm loss {loss} should be about 9'
        assert rel_error(dx_num, dx) < 1e-7, 'svm_loss gradient is wrong'

        dx_num = eval_numerical_gradient(lambda x: softmax_loss(x, y)[0], x, verbose=False)
        loss, dx = softmax_loss(x, y)

        # Test softmax_loss function. Loss should be 2.3 and dx error should be around 1e-8
        print('\\nTesting softmax_loss:')
        print('loss: ', loss)
        print('dx error: ', rel_error(dx_num, dx))
        assert abs(loss - np.log(num_classes)) < 0.01, f'softmax loss {loss} should be about 2.3'
        assert rel_error(dx_num, dx) < 1e-6, 'softmax_loss gradient is wrong'
        """),
        graded("svm_loss"),
        graded("softmax_loss"),
        md("""
        # "Sandwich" layers
        There are some common patterns of layers that are frequently used in neural nets. For
        example, affine layers are frequently followed by a ReLU nonlinearity. To make these
        common patterns easy, we define several convenience layers in the file
        `cs231n/layer_utils.py`.

        For now take a look at the `affine_relu_forward` and `affine_relu_backward` functions,
        and run the following to numerically gradient check the backward pass:
        """),
        code("""
        from cs231n.layer_utils import affine_relu_forward, affine_relu_backward
        np.random.seed(231)
        x = np.random.randn(2, 3, 4)
        w = np.random.randn(12, 10)
        b = np.random.randn(10)
        dout = np.random.randn(2, 10)

        out, cache = affine_relu_forward(x, w, b)
        dx, dw, db = affine_relu_backward(dout, cache)

        dx_num = eval_numerical_gradient_array(lambda x: affine_relu_forward(x, w, b)[0], x, dout)
        dw_num = eval_numerical_gradient_array(lambda w: affine_relu_forward(x, w, b)[0], w, dout)
        db_num = eval_numerical_gradient_array(lambda b: affine_relu_forward(x, w, b)[0], b, dout)

        # Relative error should be around 1e-10
        print('Testing affine_relu_forward and affine_relu_backward:')
        print('dx error: ', rel_error(dx_num, dx))
        print('dw error: ', rel_error(dw_num, dw))
        print('db error: ', rel_error(db_num, db))
        """),
    ]
