"""ConvolutionalNetworks.ipynb (course notebooks 001, 002 and 004): naive convolution and pooling, the
kitten/puppy aside, fast layers, sandwich layers, ThreeLayerConvNet, training, filters."""

from .cells import code, graded, locked, md
from .setup_cells import setup_source

STEM = "ConvolutionalNetworks"


def cells():
    return [
        md("""
        # Convolutional Networks
        So far we have worked with deep fully-connected networks, using them to explore
        different optimization strategies and network architectures. Fully-connected networks
        are a good testbed for experimentation because they are very computationally efficient,
        but in practice all state-of-the-art results use convolutional networks instead.

        First you will implement several layer types that are used in convolutional networks.
        You will then use these layers to train a convolutional network on the CIFAR-10 dataset.

        Each function you write has a cell of visible checks, followed by a cell that stays
        empty for you: when your submission is graded, hidden tests run there.
        """),
        locked("setup", setup_source("""
    from cs231n.gradient_check import eval_numerical_gradient_array, eval_numerical_gradient
    from cs231n.layers import *""")),
        md("""
        # Convolution: Naive forward pass
        The core of a convolutional network is the convolution operation. In the file
        `cs231n/layers.py`, implement the forward pass for the convolution layer in the function
        `conv_forward_naive`.

        You don't have to worry too much about efficiency at this point; just write the code in
        whatever way you find most clear.

        You can test your implementation by running the following:
        """),
        locked("check_conv_forward_naive", """
        x_shape = (2, 3, 4, 4)
        w_shape = (3, 3, 4, 4)
        x = np.linspace(-0.1, 0.5, num=np.prod(x_shape)).reshape(x_shape)
        w = np.linspace(-0.2, 0.3, num=np.prod(w_shape)).reshape(w_shape)
        b = np.linspace(-0.1, 0.2, num=3)

        conv_param = {'stride': 2, 'pad': 1}
        out, _ = conv_forward_naive(x, w, b, conv_param)
        correct_out = np.array([[[[-0.08759809, -0.10987781],
                                   [-0.18387192, -0.2109216 ]],
                                  [[ 0.21027089,  0.21661097],
                                   [ 0.22847626,  0.23004637]],
                                  [[ 0.50813986,  0.54309974],
                                   [ 0.64082444,  0.67101435]]],
                                 [[[-0.98053589, -1.03143541],
                                   [-1.19128892, -1.24695841]],
                                  [[ 0.69108355,  0.66880383],
                                   [ 0.59480972,  0.56776003]],
                                  [[ 2.36270298,  2.36904306],
                                   [ 2.38090835,  2.38247847]]]])

        # Compare your output to ours; difference should be around 2e-8
        print('Testing conv_forward_naive')
        print('difference: ', rel_error(out, correct_out))
        assert out.shape == (2, 3, 2, 2), f'out has shape {out.shape}, expected (2, 3, 2, 2)'
        assert rel_error(out, correct_out) < 1e-7, 'conv_forward_naive output is wrong'
        """),
        graded("conv_forward_naive"),
        md("""
        # Aside: Image processing via convolutions

        As fun way to both check your implementation and gain a better understanding of the
        type of operation that convolutional layers can perform, we will set up an input
        containing two images and manually set up filters that perform common image processing
        operations (grayscale conversion and edge detection). The convolution forward pass will
        apply these operations to each of the input images. We can then visualize the results as
        a sanity check.

        `load_demo_images` reads `kitten.jpg` and `puppy.jpg` (downloaded by
        `cs231n/datasets/get_datasets.sh`), crops the wide kitten photo to a centred square and
        resizes both photos to `img_size` x `img_size`.
        """),
        code("""
        from cs231n.image_utils import load_demo_images

        img_size = 100 if QUICK else 200   # Make this smaller if it runs too slow
        # kitten is wide, so it comes back centre-cropped; puppy is already square.
        # x[0] is the puppy, x[1] the kitten, each resized and of shape (3, img_size, img_size).
        kitten_cropped, puppy, x = load_demo_images(size=img_size)

        # Set up a convolutional weights holding 2 filters, each 3x3
        w = np.zeros((2, 3, 3, 3))

        # The first filter converts the image to grayscale.
        # Set up the red, green, and blue channels of the filter.
        w[0, 0, :, :] = [[0, 0, 0], [0, 0.3, 0], [0, 0, 0]]
        w[0, 1, :, :] = [[0, 0, 0], [0, 0.6, 0], [0, 0, 0]]
        w[0, 2, :, :] = [[0, 0, 0], [0, 0.1, 0], [0, 0, 0]]

        # Second filter detects horizontal edges in the blue channel.
        w[1, 2, :, :] = [[1, 2, 1], [0, 0, 0], [-1, -2, -1]]

        # Vector of biases. We don't need any bias for the grayscale
        # filter, but for the edge detection filter we want to add 128
        # to each output so that nothing is negative.
        b = np.array([0, 128])

        # Compute the result of convolving each input in x with each filter in w,
        # offsetting by b, and storing the results in out.
        out, _ = conv_forward_naive(x, w, b, {'stride': 1, 'pad': 1})

        def imshow_noax(ax, img, normalize=True):
            \"\"\" Tiny helper to show images as uint8 and remove axis labels \"\"\"
            if normalize:
                img_max, img_min = np.max(img), np.min(img)
                img = 255.0 * (img - img_min) / (img_max - img_min)
            ax.imshow(img.astype('uint8'))
            ax.axis('off')

        # Show the original images and the results of the conv operation, one row per photo
        fig, axes = plt.subplots(2, 3, figsize=(9, 6.4), layout='constrained')
        for row, (name, original) in enumerate([('Puppy', puppy), ('Kitten', kitten_cropped)]):
            imshow_noax(axes[row, 0], original, normalize=False)
            axes[row, 0].set_title(f'{name}: original')
            imshow_noax(axes[row, 1], out[row, 0])
            axes[row, 1].set_title(f'{name}: grayscale')
            imshow_noax(axes[row, 2], out[row, 1])
            axes[row, 2].set_title(f'{name}: horizontal edges')
        plt.show()
        """),
        md("""
        # Convolution: Naive backward pass
        Implement the backward pass for the convolution operation in the function
        `conv_backward_naive` in the file `cs231n/layers.py`. Again, you don't need to worry
        too much about computational efficiency.

        When you are done, run the following to check your backward pass with a numeric gradient
        check.
        """),
        locked("check_conv_backward_naive", """
        np.random.seed(231)
        x = np.random.randn(4, 3, 5, 5)
        w = np.random.randn(2, 3, 3, 3)
        b = np.random.randn(2,)
        dout = np.random.randn(4, 2, 5, 5)
        conv_param = {'stride': 1, 'pad': 1}

        dx_num = eval_numerical_gradient_array(lambda x: conv_forward_naive(x, w, b, conv_param)[0], x, dout)
        dw_num = eval_numerical_gradient_array(lambda w: conv_forward_naive(x, w, b, conv_param)[0], w, dout)
        db_num = eval_numerical_gradient_array(lambda b: conv_forward_naive(x, w, b, conv_param)[0], b, dout)

        out, cache = conv_forward_naive(x, w, b, conv_param)
        dx, dw, db = conv_backward_naive(dout, cache)

        # Your errors should be around 1e-8
        print('Testing conv_backward_naive function')
        print('dx error: ', rel_error(dx, dx_num))
        print('dw error: ', rel_error(dw, dw_num))
        print('db error: ', rel_error(db, db_num))
        assert dx.shape == x.shape and dw.shape == w.shape and db.shape == b.shape
        assert max(rel_error(dx, dx_num), rel_error(dw, dw_num), rel_error(db, db_num)) < 1e-6
        """),
        graded("conv_backward_naive"),
        md("""
        # Max pooling: Naive forward
        Implement the forward pass for the max-pooling operation in the function
        `max_pool_forward_naive` in the file `cs231n/layers.py`. Again, don't worry too much
        about computational efficiency.

        Check your implementation by running the following:
        """),
        locked("check_max_pool_forward_naive", """
        x_shape = (2, 3, 4, 4)
        x = np.linspace(-0.3, 0.4, num=np.prod(x_shape)).reshape(x_shape)
        pool_param = {'pool_width': 2, 'pool_height': 2, 'stride': 2}

        out, _ = max_pool_forward_naive(x, pool_param)

        correct_out = np.array([[[[-0.26315789, -0.24842105],
                                  [-0.20421053, -0.18947368]],
                                 [[-0.14526316, -0.13052632],
                                  [-0.08631579, -0.07157895]],
                                 [[-0.02736842, -0.01263158],
                                  [ 0.03157895,  0.04631579]]],
                                [[[ 0.09052632,  0.10526316],
                                  [ 0.14947368,  0.16421053]],
                                 [[ 0.20842105,  0.22315789],
                                  [ 0.26736842,  0.28210526]],
                                 [[ 0.32631579,  0.34105263],
                                  [ 0.38526316,  0.4       ]]]])

        # Compare your output with ours. Difference should be around 4e-8.
        print('Testing max_pool_forward_naive function:')
        print('difference: ', rel_error(out, correct_out))
        assert out.shape == (2, 3, 2, 2), f'out has shape {out.shape}, expected (2, 3, 2, 2)'
        assert rel_error(out, correct_out) < 1e-7, 'max_pool_forward_naive output is wrong'
        """),
        graded("max_pool_forward_naive"),
        md("""
        # Max pooling: Naive backward
        Implement the backward pass for the max-pooling operation in the function
        `max_pool_backward_naive` in the file `cs231n/layers.py`. You don't need to worry about
        computational efficiency.

        Check your implementation with numeric gradient checking by running the following (a
        `dx error` of 1.0 means the gradient went to the wrong places):
        """),
        locked("check_max_pool_backward_naive", """
        np.random.seed(231)
        x = np.random.randn(3, 2, 8, 8)
        dout = np.random.randn(3, 2, 4, 4)
        pool_param = {'pool_height': 2, 'pool_width': 2, 'stride': 2}

        dx_num = eval_numerical_gradient_array(lambda x: max_pool_forward_naive(x, pool_param)[0], x, dout)

        out, cache = max_pool_forward_naive(x, pool_param)
        dx = max_pool_backward_naive(dout, cache)

        # Your error should be around 1e-12
        print('Testing max_pool_backward_naive function:')
        print('dx error: ', rel_error(dx, dx_num))
        assert dx.shape == x.shape, f'dx has shape {dx.shape}, expected {x.shape}'
        assert rel_error(dx, dx_num) < 1e-8, 'max_pool_backward_naive gradient is wrong'
        """),
        graded("max_pool_backward_naive"),
        md("""
        # Fast layers
        Making convolution and pooling layers fast can be challenging. To spare you the pain,
        we've provided fast implementations of the forward and backward passes for convolution
        and pooling layers in the file `cs231n/fast_layers.py`.

        The fast layers are compiled Cython kernels in the `cs231n_fast` folder.
        `pip install -e ".[notebook]"` (step 1 of the README) already built them. If the cell
        below says they are not built, run this in a terminal, in this assignment folder and
        with the environment your notebook kernel uses, then restart the kernel
        (Kernel > Restart Kernel...):

        ```bash
        pip install -e .
        ```

        The API for the fast versions of the convolution and pooling layers is exactly the same
        as the naive versions that you implemented above: the forward pass receives data,
        weights, and parameters and produces outputs and a cache object; the backward pass
        receives upstream derivatives and the cache object and produces gradients with respect
        to the data and weights.

        Both fast layers handle any filter or window shape, stride and padding, overlapping
        pooling windows included; the common 2x2, stride 2 pooling has its own kernel.

        You can compare the performance of the naive and fast versions of these layers by
        running the following. Each fast time is the best of three calls (the first call also
        warms the caches); the differences should be around 1e-11 or smaller, and the speedups
        depend on your machine and on how you wrote the naive layers:
        """),
        locked("compare_conv_fast", """
        from time import perf_counter
        from cs231n.fast_layers import conv_forward_fast, conv_backward_fast


        def best_time(fn, repeats=3):
            \"\"\"Best wall time of `repeats` calls of fn(), and fn's result.\"\"\"
            best = float('inf')
            for _ in range(repeats):
                start = perf_counter()
                result = fn()
                best = min(best, perf_counter() - start)
            return best, result


        np.random.seed(231)
        num_images = 10 if QUICK else 100
        x = np.random.randn(num_images, 3, 31, 31)
        w = np.random.randn(25, 3, 3, 3)
        b = np.random.randn(25,)
        dout = np.random.randn(num_images, 25, 16, 16)
        conv_param = {'stride': 2, 'pad': 1}

        t_naive, (out_naive, cache_naive) = best_time(
            lambda: conv_forward_naive(x, w, b, conv_param), repeats=1)
        t_fast, (out_fast, cache_fast) = best_time(lambda: conv_forward_fast(x, w, b, conv_param))
        print('Testing conv_forward_fast:')
        print('Naive: %fs' % t_naive)
        print('Fast: %fs' % t_fast)
        print('Speedup: %.1fx' % (t_naive / t_fast))
        print('Difference: ', rel_error(out_naive, out_fast))

        t_naive, (dx_naive, dw_naive, db_naive) = best_time(
            lambda: conv_backward_naive(dout, cache_naive), repeats=1)
        t_fast, (dx_fast, dw_fast, db_fast) = best_time(lambda: conv_backward_fast(dout, cache_fast))
        print('\\nTesting conv_backward_fast:')
        print('Naive: %fs' % t_naive)
        print('Fast: %fs' % t_fast)
        print('Speedup: %.1fx' % (t_naive / t_fast))
        print('dx difference: ', rel_error(dx_naive, dx_fast))
        print('dw difference: ', rel_error(dw_naive, dw_fast))
        print('db difference: ', rel_error(db_naive, db_fast))
        """),
        locked("compare_pool_fast", """
        from cs231n.fast_layers import max_pool_forward_fast, max_pool_backward_fast
        np.random.seed(231)
        num_images = 10 if QUICK else 100
        x = np.random.randn(num_images, 3, 32, 32)
        dout = np.random.randn(num_images, 3, 16, 16)
        pool_param = {'pool_height': 2, 'pool_width': 2, 'stride': 2}

        t_naive, (out_naive, cache_naive) = best_time(
            lambda: max_pool_forward_naive(x, pool_param), repeats=1)
        t_fast, (out_fast, cache_fast) = best_time(lambda: max_pool_forward_fast(x, pool_param))
        print('Testing pool_forward_fast:')
        print('Naive: %fs' % t_naive)
        print('Fast: %fs' % t_fast)
        print('Speedup: %.1fx' % (t_naive / t_fast))
        print('difference: ', rel_error(out_naive, out_fast))

        t_naive, dx_naive = best_time(lambda: max_pool_backward_naive(dout, cache_naive), repeats=1)
        t_fast, dx_fast = best_time(lambda: max_pool_backward_fast(dout, cache_fast))
        print('\\nTesting pool_backward_fast:')
        print('Naive: %fs' % t_naive)
        print('Fast: %fs' % t_fast)
        print('Speedup: %.1fx' % (t_naive / t_fast))
        print('dx difference: ', rel_error(dx_naive, dx_fast))
        """),
        md("""
        # Convolutional "sandwich" layers
        Previously we introduced the concept of "sandwich" layers that combine multiple
        operations into commonly used patterns. In the file `cs231n/layer_utils.py` you will
        find sandwich layers that implement a few commonly used patterns for convolutional
        networks. They use the fast layers; grad-check them to make sure that everything fits
        together:
        """),
        code("""
        from cs231n.layer_utils import conv_relu_pool_forward, conv_relu_pool_backward
        np.random.seed(231)
        size = 8 if QUICK else 16
        x = np.random.randn(2, 3, size, size)
        w = np.random.randn(3, 3, 3, 3)
        b = np.random.randn(3,)
        dout = np.random.randn(2, 3, size // 2, size // 2)
        conv_param = {'stride': 1, 'pad': 1}
        pool_param = {'pool_height': 2, 'pool_width': 2, 'stride': 2}

        out, cache = conv_relu_pool_forward(x, w, b, conv_param, pool_param)
        dx, dw, db = conv_relu_pool_backward(dout, cache)

        dx_num = eval_numerical_gradient_array(lambda x: conv_relu_pool_forward(x, w, b, conv_param, pool_param)[0], x, dout)
        dw_num = eval_numerical_gradient_array(lambda w: conv_relu_pool_forward(x, w, b, conv_param, pool_param)[0], w, dout)
        db_num = eval_numerical_gradient_array(lambda b: conv_relu_pool_forward(x, w, b, conv_param, pool_param)[0], b, dout)

        # Relative errors should be around 1e-8
        print('Testing conv_relu_pool')
        print('dx error: ', rel_error(dx_num, dx))
        print('dw error: ', rel_error(dw_num, dw))
        print('db error: ', rel_error(db_num, db))
        """),
        code("""
        from cs231n.layer_utils import conv_relu_forward, conv_relu_backward
        np.random.seed(231)
        x = np.random.randn(2, 3, 8, 8)
        w = np.random.randn(3, 3, 3, 3)
        b = np.random.randn(3,)
        dout = np.random.randn(2, 3, 8, 8)
        conv_param = {'stride': 1, 'pad': 1}

        out, cache = conv_relu_forward(x, w, b, conv_param)
        dx, dw, db = conv_relu_backward(dout, cache)

        dx_num = eval_numerical_gradient_array(lambda x: conv_relu_forward(x, w, b, conv_param)[0], x, dout)
        dw_num = eval_numerical_gradient_array(lambda w: conv_relu_forward(x, w, b, conv_param)[0], w, dout)
        db_num = eval_numerical_gradient_array(lambda b: conv_relu_forward(x, w, b, conv_param)[0], b, dout)

        # Relative errors should be around 1e-9
        print('Testing conv_relu:')
        print('dx error: ', rel_error(dx_num, dx))
        print('dw error: ', rel_error(dw_num, dw))
        print('db error: ', rel_error(db_num, db))
        """),
        md("""
        # Three-layer ConvNet
        Now that you have implemented all the necessary layers, we can put them together into a
        simple convolutional network:

        conv - relu - 2x2 max pool - affine - relu - affine - softmax

        Open the file `cs231n/classifiers/cnn.py` and complete the implementation of the
        `ThreeLayerConvNet` class. Run the following cells to help you debug:

        ## Sanity check loss
        After you build a new network, one of the first things you should do is sanity check the
        loss. When we use the softmax loss, we expect the loss for random weights (and no
        regularization) to be about `log(C)` for `C` classes. When we add regularization this
        should go up.
        """),
        locked("check_convnet_loss", """
        from cs231n.classifiers.cnn import ThreeLayerConvNet

        np.random.seed(231)
        model = ThreeLayerConvNet()

        N = 10 if QUICK else 50
        X = np.random.randn(N, 3, 32, 32)
        y = np.random.randint(10, size=N)

        loss, grads = model.loss(X, y)
        print('Initial loss (no regularization): ', loss)
        assert abs(loss - np.log(10)) < 0.05, f'initial loss {loss} should be about log(10) = 2.3'

        model.reg = 0.5
        loss_reg, grads = model.loss(X, y)
        print('Initial loss (with regularization): ', loss_reg)
        assert loss_reg > loss, 'regularization should increase the loss'
        """),
        md("""
        ## Gradient check
        After the loss looks reasonable, use numeric gradient checking to make sure that your
        backward pass is correct. When you use numeric gradient checking you should use a small
        amount of artificial data and a small number of neurons at each layer.

        The weights below are drawn with `weight_scale=0.1`: with the default `1e-3` the
        gradients are so small that the numeric gradient's rounding noise alone gives relative
        errors up to 1e-2, and a real bug could hide in that noise. With `0.1` a correct
        implementation prints errors of about 1e-5 or smaller for every parameter (most near
        1e-8). An error above 1e-3 means a bug: a wrong backward pass typically prints 1e-1
        or more, and a gradient off by only 1% already prints about 5e-3.
        """),
        locked("check_convnet_gradients", """
        num_inputs = 2
        input_dim = (3, 8, 8) if QUICK else (3, 16, 16)
        reg = 0.0
        num_classes = 10
        np.random.seed(231)
        X = np.random.randn(num_inputs, *input_dim)
        y = np.random.randint(num_classes, size=num_inputs)

        model = ThreeLayerConvNet(num_filters=3, filter_size=3,
                                  input_dim=input_dim, hidden_dim=7,
                                  weight_scale=0.1, dtype=np.float64)
        loss, grads = model.loss(X, y)
        assert sorted(grads) == ['W1', 'W2', 'W3', 'b1', 'b2', 'b3'], sorted(grads)
        for param_name in sorted(grads):
            f = lambda _: model.loss(X, y)[0]
            param_grad_num = eval_numerical_gradient(f, model.params[param_name], verbose=False, h=1e-6)
            e = rel_error(param_grad_num, grads[param_name])
            print('%s max relative error: %e' % (param_name, e))
            assert e < 1e-3, f'{param_name} gradient is wrong (relative error {e:.2e})'
        """),
        graded("ThreeLayerConvNet"),
        md("""
        # Load CIFAR-10
        The training below uses CIFAR-10. `get_CIFAR10_data` reads the full data set from
        `cs231n/datasets/cifar-10-batches-py`, downloaded by `cs231n/datasets/get_datasets.sh`
        (or from the folder the environment variable `CS231N_CIFAR10_DIR` names), and prints
        which folder it used. With a smaller copy of the data set it uses every image there is,
        and the cell prints a NOTE saying how many and what accuracy to expect below.
        """),
        locked("load_data", """
        import warnings
        from cs231n.data_utils import get_CIFAR10_data, cifar10_source

        # Load the (preprocessed) CIFAR10 data.
        if QUICK:
            data = get_CIFAR10_data(num_training=100, num_validation=50, num_test=50)
        else:
            with warnings.catch_warnings():
                # A smaller copy of CIFAR-10 is reported once, by the NOTE below.
                warnings.simplefilter('ignore', UserWarning)
                data = get_CIFAR10_data()
        print(cifar10_source())
        for k, v in data.items():
            print('%s: ' % k, v.shape)
        num_train = data['X_train'].shape[0]
        if QUICK:
            print('Quick mode: using %d training images.' % num_train)
        elif num_train < 49000:
            print('NOTE: this is not the full CIFAR-10: %d training images were found, not '
                  '49000. Expect a validation accuracy of about %s after the one epoch of '
                  'training below, instead of the 40%% or more of the full set. For the full '
                  'set, run cs231n/datasets/get_datasets.sh.'
                  % (num_train, '25-35%' if num_train >= 4000 else 'less than 25%'))
        """),
        md("""
        ## Overfit small data
        A nice trick is to train your model with just a few training samples. You should be able
        to overfit small datasets, which will result in very high training accuracy and
        comparatively low validation accuracy.
        """),
        locked("overfit", """
        from cs231n.solver import Solver

        np.random.seed(231)

        num_train = 20 if QUICK else 100
        small_data = {
          'X_train': data['X_train'][:num_train],
          'y_train': data['y_train'][:num_train],
          'X_val': data['X_val'],
          'y_val': data['y_val'],
        }

        model = ThreeLayerConvNet(weight_scale=1e-2)

        solver = Solver(model, small_data,
                        num_epochs=2 if QUICK else 15, batch_size=10 if QUICK else 50,
                        update_rule='adam',
                        optim_config={
                          'learning_rate': 1e-3,
                        },
                        verbose=True, print_every=1)
        solver.train()
        """),
        md("""
        Plotting the loss, training accuracy, and validation accuracy should show clear
        overfitting:
        """),
        code("""
        plt.subplot(2, 1, 1)
        plt.plot(solver.loss_history, 'o')
        plt.title('Training loss')
        plt.xlabel('iteration')
        plt.ylabel('loss')

        plt.subplot(2, 1, 2)
        plt.plot(solver.train_acc_history, '-o')
        plt.plot(solver.val_acc_history, '-o')
        plt.title('Accuracy on %d training and %d validation images'
                  % (small_data['X_train'].shape[0], small_data['X_val'].shape[0]))
        plt.legend(['train', 'val'], loc='upper left')
        plt.xlabel('epoch')
        plt.ylabel('accuracy')
        plt.tight_layout()
        plt.show()
        """),
        md("""
        ## Train the net
        By training the three-layer convolutional network for one epoch on the full CIFAR-10
        (49000 training images), you should achieve greater than 40% validation accuracy. If
        the data cell above printed a NOTE, you have fewer images: expect the accuracy it
        names. In quick mode the accuracy means nothing (a hundred images).
        """),
        locked("train", """
        model = ThreeLayerConvNet(weight_scale=0.001, hidden_dim=500, reg=0.001)

        solver = Solver(model, data,
                        num_epochs=1, batch_size=50,
                        update_rule='adam',
                        optim_config={
                          'learning_rate': 1e-3,
                        },
                        verbose=True, print_every=20)
        solver.train()
        print('Trained on %d images: best validation accuracy %.3f'
              % (data['X_train'].shape[0], solver.best_val_acc))
        """),
        md("""
        ## Visualize Filters
        You can visualize the first-layer convolutional filters from the trained network by
        running the following:
        """),
        code("""
        from cs231n.vis_utils import visualize_grid

        grid = visualize_grid(model.params['W1'].transpose(0, 2, 3, 1))
        plt.imshow(grid.astype('uint8'))
        plt.title('First-layer filters')
        plt.axis('off')
        plt.gcf().set_size_inches(5, 5)
        plt.show()
        """),
    ]
