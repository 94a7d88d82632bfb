"""Cells every notebook shares: the setup cell and its quick-mode switch."""

QUICK_DOC = """
    # Quick mode shortens the heavy cells (fewer images, epochs and iterations) so the whole
    # notebook runs in seconds. It is on when CS231N_QUICK=1, and while nbgrader autogrades
    # (NBGRADER_EXECUTION is set); the checks themselves are the same.
"""


def setup_source(imports):
    """The course's setup cell: ``imports``, plotting defaults, autoreload, ``rel_error``."""
    return f"""
    # As usual, a bit of setup
    import os

    import numpy as np
    import matplotlib.pyplot as plt
{imports}

    %matplotlib inline
    plt.rcParams['figure.figsize'] = (10.0, 8.0)  # set default size of plots
    plt.rcParams['image.interpolation'] = 'nearest'
    plt.rcParams['image.cmap'] = 'gray'

    # for auto-reloading external modules
    # see http://stackoverflow.com/questions/1907993/autoreload-of-modules-in-ipython
    %load_ext autoreload
    %autoreload 2
{QUICK_DOC}
    QUICK = os.environ.get('CS231N_QUICK', '0') not in ('', '0') or bool(
        os.environ.get('NBGRADER_EXECUTION'))
    if QUICK:
        print('Quick mode: heavy cells use fewer images and iterations.')

    def rel_error(x, y):
        \"\"\" returns relative error \"\"\"
        return np.max(np.abs(x - y) / (np.maximum(1e-8, np.abs(x) + np.abs(y))))
    """
