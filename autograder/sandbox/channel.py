"""Read what the child sends: every byte is hostile data.

Invariants (each one tested in tests/test_sandbox_channel.py):
- The grader reads the child only through a pipe it created; it never opens a path the child
  could have written, so links, FIFOs, devices and folder trees made by the child are never read.
- Every read is bounded before it happens: a header line is at most MAX_HEADER bytes, a payload
  at most its declared length, and all payloads of one child together at most `max_bytes`;
  past that the frames are dropped (the pipe is still drained, so the child never blocks).
- Frames are flat (kind, probe id, name, length): no nesting, no recursion, no JSON.
- An array is accepted only as a .npy payload whose header describes a plain numeric dtype and
  a shape whose element count times itemsize equals the bytes that follow; the header is
  checked before any array is made, and the array is made on those bytes (no allocation from
  a claimed size).
- Text is decoded with errors="replace" and stripped of control characters: never a lone
  surrogate or a terminal escape in a report.
Any violation becomes an event ("protocol", message): that probe's 0, never a grader error.
"""

import ast
import re
import threading
import time

import numpy as np

from autograder.runner import ARRAY, DONE, ERROR, IMPORT_FAILED, READY

MAX_HEADER = 256
MAX_TEXT = 4000
MAX_NPY_HEADER = 4096
MAX_DIMENSIONS = 32
_NAME = re.compile(rb"[A-Za-z0-9_]{1,64}\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(data: bytes, limit: int = MAX_TEXT) -> str:
    """Printable text from untrusted bytes: UTF-8 with replacements, no control characters."""
    return _CONTROL.sub("?", data[:limit].decode("utf-8", errors="replace"))


def _npy_header(data: bytes) -> tuple[dict, int]:
    """The header dict of .npy bytes and where the array's bytes start."""
    if len(data) < 10 or data[:6] != b"\x93NUMPY":
        raise ValueError("not an .npy array")
    major = data[6]
    if major not in (1, 2, 3):
        raise ValueError(f"unknown .npy version {major}")
    size_bytes = 2 if major == 1 else 4
    header_length = int.from_bytes(data[8:8 + size_bytes], "little")
    start = 8 + size_bytes
    if header_length > MAX_NPY_HEADER or start + header_length > len(data):
        raise ValueError("bad .npy header length")
    try:
        header = ast.literal_eval(data[start:start + header_length].decode("latin1"))
    except (ValueError, SyntaxError, MemoryError, RecursionError) as error:
        raise ValueError("unreadable .npy header") from error
    if not isinstance(header, dict) or set(header) != {"descr", "fortran_order", "shape"}:
        raise ValueError("unexpected .npy header")
    return header, start + header_length


def _npy_layout(header: dict) -> tuple[np.dtype, tuple, int]:
    """(dtype, shape, element count) of a plain numeric array, checked."""
    descr, fortran, shape = header["descr"], header["fortran_order"], header["shape"]
    if not isinstance(descr, str) or len(descr) > 8 or not isinstance(fortran, bool):
        raise ValueError("unexpected .npy dtype")
    dtype = np.dtype(descr)
    if dtype.kind not in "biuf" or dtype.fields is not None or dtype.subdtype is not None:
        raise ValueError(f"dtype {descr!r} is not a plain numeric type")
    if not (isinstance(shape, tuple) and len(shape) <= MAX_DIMENSIONS and all(
            type(n) is int and n >= 0 for n in shape)):
        raise ValueError("bad .npy shape")
    count = 1
    for n in shape:
        count *= n  # Python ints: no overflow, and the product is compared before allocating
    return dtype, shape, count


def parse_npy(data: bytes) -> np.ndarray:
    """A plain numeric ndarray from .npy bytes, or ValueError saying what is wrong."""
    header, start = _npy_header(data)
    dtype, shape, count = _npy_layout(header)
    body = memoryview(data)[start:]
    if count * dtype.itemsize != len(body):
        raise ValueError(f"the array claims {count} elements but carries {len(body)} bytes")
    array = np.frombuffer(body, dtype=dtype, count=count)
    return array.reshape(shape, order="F" if header["fortran_order"] else "C")


class EventReader(threading.Thread):
    """Drain the child's event pipe; `events` gets (time, kind, probe, name, payload) tuples,
    then ("eof",).  kind is "ready", "import", "array", "error", "done" or "protocol"."""

    def __init__(self, stream, max_bytes: int, on_event, max_frames: int = 10_000):
        super().__init__(daemon=True)
        self.stream, self.budget, self.on_event = stream, max_bytes, on_event
        self.frames_left = max_frames
        self.start()

    def _read(self, n: int) -> bytes:
        chunks, got = [], 0
        while got < n:
            chunk = self.stream.read(min(n - got, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def _line(self) -> bytes:
        line = bytearray()
        while len(line) <= MAX_HEADER:
            byte = self.stream.read(1)
            if not byte:
                raise EOFError
            if byte == b"\n":
                return bytes(line)
            line += byte
        raise ValueError(f"a frame header longer than {MAX_HEADER} bytes")

    def _payload(self, declared: bytes) -> bytes:
        if not declared.isdigit() or len(declared) > 12:
            raise ValueError("a frame length that is not a number")
        length = int(declared)
        if length > self.budget:
            raise ValueError("your code sent more data than the grader accepts "
                             "(returned arrays too large?)")
        self.budget -= length
        return self._read(length)

    def _frame(self):
        self.frames_left -= 1
        if self.frames_left < 0:
            raise ValueError("too many frames on the grader's channel")
        parts = self._line().split(b" ")
        kind, args = parts[0], parts[1:]
        if kind == READY and not args:
            return "ready", None, None, b""
        if kind == DONE and len(args) == 1 and _NAME.match(args[0]):
            return "done", args[0].decode(), None, b""
        if kind == IMPORT_FAILED and len(args) == 1:
            return "import", None, None, self._payload(args[0])
        if kind == ERROR and len(args) == 2 and _NAME.match(args[0]):
            return "error", args[0].decode(), None, self._payload(args[1])
        if kind == ARRAY and len(args) == 3 and _NAME.match(args[0]) and _NAME.match(args[1]):
            return "array", args[0].decode(), args[1].decode(), self._payload(args[2])
        raise ValueError("a malformed frame on the grader's channel")

    def run(self):
        try:
            while True:
                kind, probe, name, payload = self._frame()
                self.on_event((time.monotonic(), kind, probe, name, payload))
        except EOFError:
            pass
        except ValueError as error:
            self.on_event((time.monotonic(), "protocol", None, None, str(error).encode()))
            while self.stream.read(1 << 16):  # drain, so the child never blocks on us
                pass
        except OSError:
            pass
        self.on_event(("eof",))
