"""The grader's readers of hostile data, one invariant at a time: the event channel, .npy
payloads, the submission copier and the cleanup."""

import io
import os
import threading

import numpy as np
import pytest

from autograder.sandbox.channel import EventReader, clean_text, parse_npy
from autograder.sandbox.cleanup import remove_tree
from autograder.submission import Refused, copy_student_package, find_package_root


def npy(array) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array)
    return buffer.getvalue()


def forged_npy(header: str, body: bytes = b"") -> bytes:
    text = header.encode("latin1")
    return b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text + body


def events_of(data: bytes, max_bytes=1 << 20, max_frames=100) -> list:
    events, done = [], threading.Event()

    def collect(event):
        events.append(event)
        if event[0] == "eof":
            done.set()

    EventReader(io.BufferedReader(io.BytesIO(data)), max_bytes, collect, max_frames)
    assert done.wait(10)
    return [e[1:] if e[0] != "eof" else ("eof",) for e in events]


def test_a_well_formed_exchange_is_read():
    payload = npy(np.arange(6.0).reshape(2, 3))
    data = (b"R\n" + b"A p0 out %d\n" % len(payload) + payload + b"D p0\n"
            + b"E p1 5\nboom!")
    events = events_of(data)
    assert [e[0] for e in events] == ["ready", "array", "done", "error", "eof"]
    assert parse_npy(events[1][3]).tolist() == [[0, 1, 2], [3, 4, 5]]
    assert events[3][3] == b"boom!"


@pytest.mark.parametrize("data, reason", [
    (b"R" * 10_000, "longer than"),  # a header line with no end
    (b"A p0 out 99999999999\n", "more data than the grader accepts"),  # claims 100 GB
    (b"A p0 out -5\n", "not a number"),
    (b"X p0\n", "malformed"),
    (b"A ../../etc out 3\nabc", "malformed"),  # names are [A-Za-z0-9_] only
    (b"[" * 100_000 + b"\n", "longer than"),  # nesting means nothing on a flat channel
], ids=["endless-header", "huge-claim", "negative-length", "unknown-kind", "path-as-name",
        "deep-nesting"])
def test_malformed_frames_become_one_protocol_event(data, reason):
    events = events_of(data)
    assert events[-2][0] == "protocol" and reason in events[-2][3].decode()
    assert events[-1] == ("eof",)


def test_frames_and_bytes_are_bounded():
    events = events_of(b"R\n" * 1000, max_frames=10)
    assert sum(e[0] == "ready" for e in events) == 10 and events[-2][0] == "protocol"
    payload = npy(np.zeros(1000))
    events = events_of((b"A p0 x %d\n" % len(payload) + payload) * 3, max_bytes=2 * len(payload))
    assert [e[0] for e in events] == ["array", "array", "protocol", "eof"]


@pytest.mark.parametrize("data, reason", [
    (forged_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,)}"), "claims"),
    (forged_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)}", b"\0" * 40),
     "claims"),
    (forged_npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,)}", b"\0" * 8),
     "not a plain numeric type"),
    (forged_npy("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,)}"),
     "unexpected .npy dtype"),
    (forged_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}"), "bad .npy shape"),
    (forged_npy("(" * 1500 + ")" * 1500), "unreadable"),
    (forged_npy("__import__('os').system('true')"), "unreadable"),
    (b"PK\x03\x04 not a zip and not an npy", "not an .npy"),
], ids=["10^12-elements", "short-body", "object", "structured", "negative-shape",
        "deep-header", "code-header", "zip"])
def test_forged_npy_payloads_are_refused_before_allocating(data, reason):
    with pytest.raises(ValueError, match=reason):
        parse_npy(data)


def test_text_from_the_child_is_printable():
    text = clean_text(b"bad \xed\xb3\xbf surrogate \x1b[31mred\x00")
    text.encode("utf-8")  # no lone surrogate survives
    assert "\x1b" not in text and "\x00" not in text and "surrogate" in text


def test_cleanup_survives_deep_trees_links_and_fifos(tmp_path):
    """Is a 3000-deep chain, a link to / and a FIFO removed without following anything?"""
    root = tmp_path / "left-by-child"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(3000):
            os.mkdir("d", dir_fd=fd)
            child = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = child
        os.symlink(str(outside), "link", dir_fd=fd)
        os.mkfifo("fifo", dir_fd=fd)
        os.fchmod(fd, 0o500)  # not writable: cleanup must fix that too
    finally:
        os.close(fd)
    (root / "top-link").symlink_to("/")
    assert remove_tree(root) is True
    assert not root.exists() and (outside / "keep.txt").read_text() == "keep"


def test_copier_refuses_links_and_skips_odd_files(tmp_path):
    submission = tmp_path / "student"
    package = submission / "cs231n"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "layers.py").mkdir()  # a folder named like a module
    os.mkfifo(package / "optim.py")
    (package / "solver.py").symlink_to("/etc/passwd")
    (package / "big.py").write_bytes(b"#" * (2 << 20))
    problems, _ = copy_student_package(submission, tmp_path / "copy")
    assert "skipped layers.py: a folder, not a Python file" in problems
    assert any(p.startswith("skipped optim.py") for p in problems)
    assert "skipped symlink solver.py" in problems
    assert any(p.startswith("skipped big.py") for p in problems)
    assert sorted(p.name for p in (tmp_path / "copy" / "cs231n").iterdir()) == ["__init__.py"]

    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "assignment2").symlink_to(submission, target_is_directory=True)
    with pytest.raises(Refused, match="assignment2 is a symbolic link"):
        find_package_root(linked)
    (tmp_path / "alias").symlink_to(submission, target_is_directory=True)
    with pytest.raises(Refused, match="alias is a symbolic link"):
        find_package_root(tmp_path / "alias")
