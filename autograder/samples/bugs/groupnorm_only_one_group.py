"""spatial_groupnorm_forward normalises over all channels at once, whatever G is.

That is layer normalisation: right for G = 1, wrong for every other number of groups.
"""
# ruff: noqa: F821

LOSES = {
    "spatial_groupnorm_forward": 5.5,
    # spatial_groupnorm_backward, run on this forward's cache, keeps its points: graded again
    # with the reference's forward (autograder/substitute.py)
}


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    # bug: the channel axis is never split into G groups
    return _reference_spatial_groupnorm_forward(x, gamma, beta, 1, gn_param)
