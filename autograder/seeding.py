"""Per-submission seeds: HMAC-SHA256(course secret, student id), so inputs differ per student,
answers cannot be hard-coded, and any grade can be reproduced from the recorded seed."""

import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SECRET_ENV = "CS231N_GRADER_SECRET"
# The course secret on a grading machine (never committed: .gitignore); mode 600.
SECRET_FILE = Path(__file__).resolve().parent / "grader_secret"
# Clearly not a secret: used for demos and tests, and every result says so.
DEV_SECRET = b"cs231n-kit development secret: NOT SECRET, set CS231N_GRADER_SECRET"


class GraderFault(RuntimeError):
    """Something wrong with the grader's setup (not with a submission): exit non-zero."""


@dataclass(frozen=True)
class Secret:
    value: bytes
    source: str  # "env CS231N_GRADER_SECRET", "file <path>" or "development default"

    @property
    def is_development(self) -> bool:
        return self.value == DEV_SECRET

    @property
    def fingerprint(self) -> str:
        """Identifies which secret graded a submission without revealing it."""
        return hashlib.sha256(b"fingerprint:" + self.value).hexdigest()[:12]

    def describe(self) -> str:
        if self.is_development:
            return "development default secret (NOT SECRET: set CS231N_GRADER_SECRET for a course)"
        return f"{self.source} (fingerprint {self.fingerprint})"


def load_secret(secret_file: str | os.PathLike | None = None, environ=os.environ) -> Secret:
    """The course secret, the one loader of every grading path (CLI, grade-all, Gradescope,
    nbgrader), from the first of: `secret_file`; $CS231N_GRADER_SECRET; the kit's own
    SECRET_FILE (autograder/grader_secret, how Gradescope's zip and nbgrader's check() get it);
    else the development default.  Surrounding white space (a file's trailing newline) is never
    part of the secret, so every path draws the same seed for the same student."""
    if secret_file is None and environ.get(SECRET_ENV, "").strip():
        return Secret(environ[SECRET_ENV].strip().encode(), f"env {SECRET_ENV}")
    if secret_file is None and SECRET_FILE.is_file():
        secret_file = SECRET_FILE
    if secret_file is None:
        return Secret(DEV_SECRET, "development default")
    try:
        value = Path(secret_file).read_bytes().strip()
    except OSError as error:
        raise GraderFault(f"cannot read the secret file {secret_file}: {error}") from None
    if not value:
        raise GraderFault(f"the secret file {secret_file} is empty")
    return Secret(value, f"file {secret_file}")


def student_seed(secret: Secret, student_id: str) -> int:
    """A 63-bit seed from HMAC-SHA256(secret, student id)."""
    digest = hmac.new(secret.value, student_id.encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def probe_rng(seed: int, function: str, seed_key: str) -> np.random.Generator:
    """Independent streams per (function, probe), stable across Python runs."""
    label = hashlib.sha256(f"{function}/{seed_key}".encode()).digest()
    return np.random.default_rng([seed, int.from_bytes(label[:8], "big")])
