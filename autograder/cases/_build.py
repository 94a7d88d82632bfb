"""Small helpers shared by the case modules."""

from autograder.case import Case, Probe

LAYERS = "cs231n.layers:"


def unmodified(function, probes, points):
    """'inputs left unmodified', read from the modification report of `probes`."""
    return Case(function, "unmodified", "inputs left unmodified", points, probes,
                check="unmodified")


def call(key, function, build, returns, **kwargs):
    return Probe(key, "call", LAYERS + function, build, returns, **kwargs)


def forward_backward(key, forward, backward, build, returns, **kwargs):
    """Backward run on the cache of the student's own forward."""
    return Probe(key, "forward_backward", LAYERS + forward, build, returns,
                 backward=LAYERS + backward, **kwargs)


def backward_pair(key, forward, backward, build, cache):
    """Two ways to get a cache: the documented one built by the grader (so a wrong forward does
    not cost backward points), then the student's own forward's (for custom cache layouts)."""
    def canonical(rng):
        drawn = build(rng)
        # "forward": the forward's inputs, for Case.matches (not sent to the sandbox)
        return {"args": [drawn["dout"], cache(drawn["args"])], "forward": drawn}
    names = ("dx", "dw", "db")[:RETURNS[backward]]
    return (call(key, backward, canonical, names, seed_key=key),
            forward_backward(key + "-own", forward, backward, build, names, seed_key=key))


RETURNS = {"affine_backward": 3, "relu_backward": 1, "conv_backward_naive": 3,
           "max_pool_backward_naive": 1}
