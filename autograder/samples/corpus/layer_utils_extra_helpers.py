"""The student's layer_utils.py has extra sandwich layers of their own (affine-batchnorm-relu,
as the FullyConnectedNets notebook suggests), and relu_backward uses np.where: right."""
import numpy as np

LOSES = {}
GRADE = ["ThreeLayerConvNet"]
APPEND = {"layer_utils.py": '''
from .layers import batchnorm_backward, batchnorm_forward


def affine_bn_relu_forward(x, w, b, gamma, beta, bn_param):
    a, fc_cache = affine_forward(x, w, b)
    a_bn, bn_cache = batchnorm_forward(a, gamma, beta, bn_param)
    out, relu_cache = relu_forward(a_bn)
    return out, (fc_cache, bn_cache, relu_cache)


def affine_bn_relu_backward(dout, cache):
    fc_cache, bn_cache, relu_cache = cache
    da_bn = relu_backward(dout, relu_cache)
    da, dgamma, dbeta = batchnorm_backward(da_bn, bn_cache)
    dx, dw, db = affine_backward(da, fc_cache)
    return dx, dw, db, dgamma, dbeta
'''}


def relu_backward(dout, cache):
    return np.where(cache > 0, dout, 0.0)
