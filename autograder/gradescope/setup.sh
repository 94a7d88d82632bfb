#!/usr/bin/env bash
# Gradescope runs this once, as root, from /autograder/source, when it builds the autograder
# image.  It installs a C compiler and Python >= 3.11, makes a venv with the pinned
# requirements, and builds the cs231n_fast Cython kernels in place.
# AUTOGRADER_ROOT (default /autograder) moves the whole tree, for testing outside Gradescope.
set -euo pipefail

ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
VENV="$ROOT/venv"

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends build-essential python3 python3-venv python3-dev \
    bubblewrap ca-certificates

# numpy 2.4 needs Python >= 3.11: use the system python3 if it is new enough (Ubuntu 24.04
# base image), else install python3.11 (Ubuntu 22.04 has it in jammy-updates).
PY=python3
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    apt-get install -y -qq --no-install-recommends python3.11 python3.11-venv python3.11-dev
    PY=python3.11
fi

"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --disable-pip-version-check -q --upgrade pip
"$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$SOURCE/requirements.txt"
# Editable, so the grader finds the reference (assignment/) and the student view (release/)
# beside its own package; --no-build-isolation builds with the pinned Cython and numpy.
"$VENV/bin/python" -m pip install --disable-pip-version-check -q --no-build-isolation \
    --no-deps -e "$SOURCE"
"$VENV/bin/python" -c 'import cs231n_fast, autograder; print("autograder ready")'
