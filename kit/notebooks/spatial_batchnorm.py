"""SpatialBatchNormalization.ipynb (course notebooks 001 and 004): batch normalization, its spatial version
for convolutional feature maps, and spatial group normalization; then, optional and not
graded, the simplified batchnorm backward and layer normalization."""

from .cells import code, graded, locked, md
from .setup_cells import setup_source

STEM = "SpatialBatchNormalization"


def cells():
    return [
        md("""
        # Spatial Batch Normalization
        Batch normalization is a very useful technique for training deep fully-connected
        networks. It can also be used for convolutional networks, but we need to tweak it a bit;
        the modification will be called "spatial batch normalization." In this notebook you
        write batch normalization for vectors first, then its spatial version, then spatial
        group normalization, all in `cs231n/layers.py`. An optional section at the end, not
        graded, covers a simpler batchnorm backward pass and layer normalization.

        Each function you write has a cell of visible checks, followed by a cell that stays
        empty for you: when your submission is graded, hidden tests run there.
        """),
        locked("setup", setup_source("""
    from cs231n.gradient_check import eval_numerical_gradient_array, eval_numerical_gradient
    from cs231n.layers import *

    def print_mean_std(x, axis=0):
        print('  means: ', x.mean(axis=axis))
        print('  stds:  ', x.std(axis=axis))
        print()""")),
        md("""
        # Batch normalization: forward
        In the file `cs231n/layers.py`, implement the batch normalization forward pass in the
        function `batchnorm_forward`. At training time each feature is normalized with the mean
        and variance of the minibatch, and running averages of both are kept in `bn_param`; at
        test time the running averages are used instead. Once you have done so, run the
        following to test your implementation.
        """),
        locked("check_batchnorm_forward_train", """
        # Check the training-time forward pass by checking means and variances
        # of features both before and after batch normalization

        # Simulate the forward pass for a two-layer network
        np.random.seed(231)
        N, D1, D2, D3 = 200, 50, 60, 3
        X = np.random.randn(N, D1)
        W1 = np.random.randn(D1, D2)
        W2 = np.random.randn(D2, D3)
        a = np.maximum(0, X.dot(W1)).dot(W2)

        print('Before batch normalization:')
        print_mean_std(a, axis=0)

        gamma = np.ones((D3,))
        beta = np.zeros((D3,))
        # Means should be close to zero and stds close to one
        print('After batch normalization (gamma=1, beta=0)')
        a_norm, _ = batchnorm_forward(a, gamma, beta, {'mode': 'train'})
        print_mean_std(a_norm, axis=0)
        assert a_norm.shape == a.shape, f'out has shape {a_norm.shape}, expected {a.shape}'
        assert np.allclose(a_norm.mean(axis=0), 0, atol=1e-7), 'means should be 0'
        assert np.allclose(a_norm.std(axis=0), 1, atol=1e-3), 'stds should be 1'

        gamma = np.asarray([1.0, 2.0, 3.0])
        beta = np.asarray([11.0, 12.0, 13.0])
        # Now means should be close to beta and stds close to gamma
        print('After batch normalization (gamma=', gamma, ', beta=', beta, ')')
        a_norm, _ = batchnorm_forward(a, gamma, beta, {'mode': 'train'})
        print_mean_std(a_norm, axis=0)
        assert np.allclose(a_norm.mean(axis=0), beta, atol=1e-6), 'means should be beta'
        assert np.allclose(a_norm.std(axis=0), gamma, atol=1e-3), 'stds should be gamma'
        """),
        locked("check_batchnorm_forward_test", """
        # Check the test-time forward pass by running the training-time
        # forward pass many times to warm up the running averages, and then
        # checking the means and variances of activations after a test-time
        # forward pass.

        np.random.seed(231)
        N, D1, D2, D3 = 200, 50, 60, 3
        W1 = np.random.randn(D1, D2)
        W2 = np.random.randn(D2, D3)

        bn_param = {'mode': 'train'}
        gamma = np.ones(D3)
        beta = np.zeros(D3)

        for t in range(50):
            X = np.random.randn(N, D1)
            a = np.maximum(0, X.dot(W1)).dot(W2)
            batchnorm_forward(a, gamma, beta, bn_param)

        bn_param['mode'] = 'test'
        X = np.random.randn(N, D1)
        a = np.maximum(0, X.dot(W1)).dot(W2)
        a_norm, _ = batchnorm_forward(a, gamma, beta, bn_param)

        # Means should be close to zero and stds close to one, but will be
        # noisier than training-time forward passes.
        print('After batch normalization (test-time):')
        print_mean_std(a_norm, axis=0)
        assert np.allclose(a_norm.mean(axis=0), 0, atol=0.2), 'test-time means should be near 0'
        assert np.allclose(a_norm.std(axis=0), 1, atol=0.2), 'test-time stds should be near 1'
        """),
        graded("batchnorm_forward"),
        md("""
        # Batch normalization: backward
        Now implement the backward pass for batch normalization in the function
        `batchnorm_backward`.

        To derive the backward pass you should write out the computation graph for batch
        normalization and backprop through each of the intermediate nodes. Some intermediates
        may have multiple outgoing branches; make sure to sum gradients across these branches in
        the backward pass.

        Once you have finished, run the following to numerically check your backward pass.
        """),
        locked("check_batchnorm_backward", """
        # Gradient check batchnorm backward pass
        np.random.seed(231)
        N, D = 4, 5
        x = 5 * np.random.randn(N, D) + 12
        gamma = np.random.randn(D)
        beta = np.random.randn(D)
        dout = np.random.randn(N, D)

        bn_param = {'mode': 'train'}
        fx = lambda x: batchnorm_forward(x, gamma, beta, bn_param)[0]
        fg = lambda a: batchnorm_forward(x, a, beta, bn_param)[0]
        fb = lambda b: batchnorm_forward(x, gamma, b, bn_param)[0]

        dx_num = eval_numerical_gradient_array(fx, x, dout)
        da_num = eval_numerical_gradient_array(fg, gamma.copy(), dout)
        db_num = eval_numerical_gradient_array(fb, beta.copy(), dout)

        _, cache = batchnorm_forward(x, gamma, beta, bn_param)
        dx, dgamma, dbeta = batchnorm_backward(dout, cache)
        # You should expect to see relative errors between 1e-13 and 1e-8
        print('dx error: ', rel_error(dx_num, dx))
        print('dgamma error: ', rel_error(da_num, dgamma))
        print('dbeta error: ', rel_error(db_num, dbeta))
        assert dx.shape == x.shape and dgamma.shape == gamma.shape and dbeta.shape == beta.shape
        assert max(rel_error(dx_num, dx), rel_error(da_num, dgamma), rel_error(db_num, dbeta)) < 1e-6
        """),
        graded("batchnorm_backward"),
        md("""
        # Spatial batch normalization
        Normally batch-normalization accepts inputs of shape `(N, D)` and produces outputs of
        shape `(N, D)`, where we normalize across the minibatch dimension `N`. For data coming
        from convolutional layers, batch normalization needs to accept inputs of shape
        `(N, C, H, W)` and produce outputs of shape `(N, C, H, W)` where the `N` dimension gives
        the minibatch size and the `(H, W)` dimensions give the spatial size of the feature map.

        If the feature map was produced using convolutions, then we expect the statistics of
        each feature channel to be relatively consistent both between different images and
        different locations within the same image. Therefore spatial batch normalization
        computes a mean and variance for each of the `C` feature channels by computing
        statistics over both the minibatch dimension `N` and the spatial dimensions `H` and `W`.

        ## Spatial batch normalization: forward
        In the file `cs231n/layers.py`, implement the forward pass for spatial batch
        normalization in the function `spatial_batchnorm_forward` (it can reuse
        `batchnorm_forward` in a few lines). Check your implementation by running the following:
        """),
        locked("check_spatial_batchnorm_forward_train", """
        np.random.seed(231)
        # Check the training-time forward pass by checking means and variances
        # of features both before and after spatial batch normalization

        N, C, H, W = 2, 3, 4, 5
        x = 4 * np.random.randn(N, C, H, W) + 10

        print('Before spatial batch normalization:')
        print('  Shape: ', x.shape)
        print('  Means: ', x.mean(axis=(0, 2, 3)))
        print('  Stds: ', x.std(axis=(0, 2, 3)))

        # Means should be close to zero and stds close to one
        gamma, beta = np.ones(C), np.zeros(C)
        bn_param = {'mode': 'train'}
        out, _ = spatial_batchnorm_forward(x, gamma, beta, bn_param)
        print('After spatial batch normalization:')
        print('  Shape: ', out.shape)
        print('  Means: ', out.mean(axis=(0, 2, 3)))
        print('  Stds: ', out.std(axis=(0, 2, 3)))
        assert out.shape == x.shape, f'out has shape {out.shape}, expected {x.shape}'
        assert np.allclose(out.mean(axis=(0, 2, 3)), 0, atol=1e-7), 'means should be 0'
        assert np.allclose(out.std(axis=(0, 2, 3)), 1, atol=1e-3), 'stds should be 1'

        # Means should be close to beta and stds close to gamma
        gamma, beta = np.asarray([3, 4, 5]), np.asarray([6, 7, 8])
        out, _ = spatial_batchnorm_forward(x, gamma, beta, bn_param)
        print('After spatial batch normalization (nontrivial gamma, beta):')
        print('  Shape: ', out.shape)
        print('  Means: ', out.mean(axis=(0, 2, 3)))
        print('  Stds: ', out.std(axis=(0, 2, 3)))
        assert np.allclose(out.mean(axis=(0, 2, 3)), beta, atol=1e-6), 'means should be beta'
        assert np.allclose(out.std(axis=(0, 2, 3)), gamma, atol=1e-2), 'stds should be gamma'
        """),
        locked("check_spatial_batchnorm_forward_test", """
        np.random.seed(231)
        # Check the test-time forward pass by running the training-time
        # forward pass many times to warm up the running averages, and then
        # checking the means and variances of activations after a test-time
        # forward pass.
        N, C, H, W = 10, 4, 11, 12

        bn_param = {'mode': 'train'}
        gamma = np.ones(C)
        beta = np.zeros(C)
        for t in range(50):
            x = 2.3 * np.random.randn(N, C, H, W) + 13
            spatial_batchnorm_forward(x, gamma, beta, bn_param)
        bn_param['mode'] = 'test'
        x = 2.3 * np.random.randn(N, C, H, W) + 13
        a_norm, _ = spatial_batchnorm_forward(x, gamma, beta, bn_param)

        # Means should be close to zero and stds close to one, but will be
        # noisier than training-time forward passes.
        print('After spatial batch normalization (test-time):')
        print('  means: ', a_norm.mean(axis=(0, 2, 3)))
        print('  stds: ', a_norm.std(axis=(0, 2, 3)))
        assert np.allclose(a_norm.mean(axis=(0, 2, 3)), 0, atol=0.1), 'means should be near 0'
        assert np.allclose(a_norm.std(axis=(0, 2, 3)), 1, atol=0.1), 'stds should be near 1'
        """),
        graded("spatial_batchnorm_forward"),
        md("""
        ## Spatial batch normalization: backward
        In the file `cs231n/layers.py`, implement the backward pass for spatial batch
        normalization in the function `spatial_batchnorm_backward`. Run the following to check
        your implementation using a numeric gradient check:
        """),
        locked("check_spatial_batchnorm_backward", """
        np.random.seed(231)
        N, C, H, W = 2, 3, 4, 5
        x = 5 * np.random.randn(N, C, H, W) + 12
        gamma = np.random.randn(C)
        beta = np.random.randn(C)
        dout = np.random.randn(N, C, H, W)

        bn_param = {'mode': 'train'}
        fx = lambda x: spatial_batchnorm_forward(x, gamma, beta, bn_param)[0]
        fg = lambda a: spatial_batchnorm_forward(x, gamma, beta, bn_param)[0]
        fb = lambda b: spatial_batchnorm_forward(x, gamma, beta, bn_param)[0]

        dx_num = eval_numerical_gradient_array(fx, x, dout)
        da_num = eval_numerical_gradient_array(fg, gamma, dout)
        db_num = eval_numerical_gradient_array(fb, beta, dout)

        _, cache = spatial_batchnorm_forward(x, gamma, beta, bn_param)
        dx, dgamma, dbeta = spatial_batchnorm_backward(dout, cache)
        # You should expect errors of magnitudes between 1e-12 and 1e-06
        print('dx error: ', rel_error(dx_num, dx))
        print('dgamma error: ', rel_error(da_num, dgamma))
        print('dbeta error: ', rel_error(db_num, dbeta))
        assert dx.shape == x.shape and dgamma.shape == gamma.shape and dbeta.shape == beta.shape
        assert max(rel_error(dx_num, dx), rel_error(da_num, dgamma), rel_error(db_num, dbeta)) < 1e-5
        """),
        graded("spatial_batchnorm_backward"),
        md("""
        # Group Normalization
        Batch normalization depends on the minibatch: small batches give noisy statistics.
        Layer normalization removes that dependence by normalizing each example over all its
        features, but for convolutional feature maps the channels are not all alike.
        [Group Normalization](https://arxiv.org/abs/1803.08494) (Wu and He, 2018) is the middle
        ground: the `C` channels of each example are split into `G` groups of `C // G`
        channels, and each group is normalized over its channels and spatial positions. Then
        every channel is scaled and shifted by its own `gamma` and `beta`, of shape
        `(1, C, 1, 1)`.

        ## Spatial group normalization: forward
        In the file `cs231n/layers.py`, implement the forward pass for group normalization in
        the function `spatial_groupnorm_forward`. Check your implementation by running the
        following:
        """),
        locked("check_spatial_groupnorm_forward", """
        np.random.seed(231)
        # Check the training-time forward pass by checking means and variances
        # of features both before and after spatial group normalization

        N, C, H, W = 2, 6, 4, 5
        G = 2
        x = 4 * np.random.randn(N, C, H, W) + 10
        x_g = x.reshape((N * G, -1))
        print('Before spatial group normalization:')
        print('  Shape: ', x.shape)
        print('  Means: ', x_g.mean(axis=1))
        print('  Stds: ', x_g.std(axis=1))

        # Means should be close to zero and stds close to one
        gamma, beta = np.ones((1, C, 1, 1)), np.zeros((1, C, 1, 1))
        gn_param = {}

        out, _ = spatial_groupnorm_forward(x, gamma, beta, G, gn_param)
        out_g = out.reshape((N * G, -1))
        print('After spatial group normalization:')
        print('  Shape: ', out.shape)
        print('  Means: ', out_g.mean(axis=1))
        print('  Stds: ', out_g.std(axis=1))
        assert out.shape == x.shape, f'out has shape {out.shape}, expected {x.shape}'
        assert np.allclose(out_g.mean(axis=1), 0, atol=1e-7), 'group means should be 0'
        assert np.allclose(out_g.std(axis=1), 1, atol=1e-3), 'group stds should be 1'
        """),
        graded("spatial_groupnorm_forward"),
        md("""
        ## Spatial group normalization: backward
        In the file `cs231n/layers.py`, implement the backward pass for spatial group
        normalization in the function `spatial_groupnorm_backward`. Run the following to check
        your implementation using a numeric gradient check:
        """),
        locked("check_spatial_groupnorm_backward", """
        np.random.seed(231)
        N, C, H, W = 2, 6, 4, 5
        G = 2
        x = 5 * np.random.randn(N, C, H, W) + 12
        gamma = np.random.randn(1, C, 1, 1)
        beta = np.random.randn(1, C, 1, 1)
        dout = np.random.randn(N, C, H, W)

        gn_param = {}
        fx = lambda x: spatial_groupnorm_forward(x, gamma, beta, G, gn_param)[0]
        fg = lambda a: spatial_groupnorm_forward(x, gamma, beta, G, gn_param)[0]
        fb = lambda b: spatial_groupnorm_forward(x, gamma, beta, G, gn_param)[0]

        dx_num = eval_numerical_gradient_array(fx, x, dout)
        da_num = eval_numerical_gradient_array(fg, gamma, dout)
        db_num = eval_numerical_gradient_array(fb, beta, dout)

        _, cache = spatial_groupnorm_forward(x, gamma, beta, G, gn_param)
        dx, dgamma, dbeta = spatial_groupnorm_backward(dout, cache)
        # You should expect errors of magnitudes between 1e-12 and 1e-07
        print('dx error: ', rel_error(dx_num, dx))
        print('dgamma error: ', rel_error(da_num, dgamma))
        print('dbeta error: ', rel_error(db_num, dbeta))
        assert dx.shape == x.shape and dgamma.shape == gamma.shape and dbeta.shape == beta.shape
        assert max(rel_error(dx_num, dx), rel_error(da_num, dgamma), rel_error(db_num, dbeta)) < 1e-5
        """),
        graded("spatial_groupnorm_backward"),
        md("""
        # Optional, not graded: a simpler batchnorm backward, and layer normalization
        Nothing below is graded. Each cell prints `Skipped` until you write its functions in
        `cs231n/layers.py`, so the notebook still runs to the end without them.

        ## Batch normalization: alternative backward
        On paper, the batchnorm backward pass simplifies to a short expression for `dx` in
        terms of `dout`, `x_hat`, `gamma` and the inverse standard deviation, with no
        intermediate nodes. Implement it in `batchnorm_backward_alt` (same cache and return
        values as `batchnorm_backward`) and compare the two:
        """),
        code("""
        from time import perf_counter

        def best_time(fn, repeats=5):
            \"\"\"Best wall time of `repeats` calls of fn(), and fn's result.\"\"\"
            best = float('inf')
            for _ in range(repeats):
                start = perf_counter()
                result = fn()
                best = min(best, perf_counter() - start)
            return best, result

        np.random.seed(231)
        N, D = 100, 500
        x = 5 * np.random.randn(N, D) + 12
        gamma = np.random.randn(D)
        beta = np.random.randn(D)
        dout = np.random.randn(N, D)

        _, cache = batchnorm_forward(x, gamma, beta, {'mode': 'train'})
        t1, (dx1, dgamma1, dbeta1) = best_time(lambda: batchnorm_backward(dout, cache))
        try:
            t2, (dx2, dgamma2, dbeta2) = best_time(lambda: batchnorm_backward_alt(dout, cache))
        except NotImplementedError as error:
            print('Skipped (optional):', error)
        else:
            # The results should agree to about 1e-12; the simplified form is usually faster.
            print('dx difference: ', rel_error(dx1, dx2))
            print('dgamma difference: ', rel_error(dgamma1, dgamma2))
            print('dbeta difference: ', rel_error(dbeta1, dbeta2))
            print('speedup: %.2fx' % (t1 / t2))
        """),
        md("""
        ## Layer normalization
        Layer normalization normalizes each example over its `D` features (the mean and
        variance of each row of `x`) instead of over the batch, so it does the same at
        training and test time. `gamma` and `beta` have shape `(D,)`, as in batchnorm.
        Implement `layernorm_forward` and `layernorm_backward` and check them:
        """),
        code("""
        np.random.seed(231)
        N, D = 4, 5
        x = 5 * np.random.randn(N, D) + 12
        gamma = np.random.randn(D)
        beta = np.random.randn(D)
        dout = np.random.randn(N, D)
        ln_param = {}

        try:
            out, cache = layernorm_forward(x, np.ones(D), np.zeros(D), ln_param)
        except NotImplementedError as error:
            print('Skipped (optional):', error)
        else:
            # Each row should have mean close to zero and std close to one
            print('After layer normalization (gamma=1, beta=0)')
            print_mean_std(out, axis=1)

            fx = lambda x: layernorm_forward(x, gamma, beta, ln_param)[0]
            fg = lambda a: layernorm_forward(x, a, beta, ln_param)[0]
            fb = lambda b: layernorm_forward(x, gamma, b, ln_param)[0]
            dx_num = eval_numerical_gradient_array(fx, x, dout)
            da_num = eval_numerical_gradient_array(fg, gamma.copy(), dout)
            db_num = eval_numerical_gradient_array(fb, beta.copy(), dout)

            _, cache = layernorm_forward(x, gamma, beta, ln_param)
            dx, dgamma, dbeta = layernorm_backward(dout, cache)
            # You should expect relative errors between 1e-12 and 1e-8
            print('dx error: ', rel_error(dx_num, dx))
            print('dgamma error: ', rel_error(da_num, dgamma))
            print('dbeta error: ', rel_error(db_num, dbeta))
        """),
    ]
