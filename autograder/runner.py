"""The child side of the sandbox: import the student's module, run the probes it is sent, send
back plain arrays.

This file is copied alone into the sandbox and run there as a script (standard library and
NumPy only).  The grader also imports it to run the same probes on the reference package, which
keeps "what the student's code was asked" and "what the reference answered" identical.

Nothing here is trusted by the grader: student code runs in this interpreter and can replace any
of it.  The grader validates every byte it receives (autograder/sandbox/channel.py), keeps its
own clocks and judges mutation itself (autograder/sandbox/supervise.py).

Protocol.  The child gets three file descriptors (numbers in argv):
    commands  grader -> child, one line per probe to run:  b"P <probe id>\\n"
    inputs    a memfd the grader fills with the probe's arrays just before sending its command;
              spec.json gives each array's (offset, dtype, shape).  Arrays marked "shared" are
              handed to student code as views of this memory, so the grader sees any write.
    events    child -> grader, flat frames (no nesting, every length declared up front):
              b"R\\n"                              the module imported
              b"I <n>\\n" + n bytes                the import failed: message (UTF-8)
              b"A <probe> <name> <n>\\n" + n bytes  one output array in .npy format
              b"E <probe> <n>\\n" + n bytes         the probe raised: message (UTF-8)
              b"D <probe>\\n"                       the probe returned; its arrays were sent
"""

import contextlib
import importlib
import io
import mmap
import os
import sys
import traceback

if __name__ == "__main__":  # the child: started with -I -S, it may import only from its site
    sys.path.insert(0, sys.argv[2])

import numpy as np

# Frame kinds, shared with the grader's parser.
READY, IMPORT_FAILED, ARRAY, ERROR, DONE, RUN = b"R", b"I", b"A", b"E", b"D", b"P"
MAX_OUTPUT_ELEMENTS = 5_000_000

_write_array, _ndarray, _asarray = np.lib.format.write_array, np.ndarray, np.asarray


def decode(value, arrays, shared=None):
    """Turn the JSON argument encoding back into Python values: fresh copies of arrays, or for
    "shared" arrays the grader's shared memory itself (when `shared` is given)."""
    if isinstance(value, dict):
        if "array" in value:
            return arrays[value["array"]].copy()
        if "shared" in value:
            name = value["shared"]
            return shared[name] if shared is not None else arrays[name].copy()
        if "dtype" in value:
            return np.dtype(value["dtype"]).type
        if "tuple" in value:
            return tuple(decode(v, arrays, shared) for v in value["tuple"])
        if "dict" in value:
            return {k: decode(v, arrays, shared) for k, v in value["dict"].items()}
        if "value" in value:
            return value["value"]
    raise ValueError(f"bad argument encoding {value!r}")


def resolve(target):
    """'cs231n.layers:conv_forward_naive' -> the attribute of the imported module."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def to_plain_array(value, name):
    """A numeric plain ndarray copy of what the student returned, or a ValueError saying why."""
    if isinstance(value, _ndarray) and type(value) is not _ndarray:
        value = value.view(_ndarray)  # subclasses lose their overrides here
    if value is None:
        raise ValueError(f"{name} is None: your function returned None for it (or left the "
                         f"stub's {name} = None); it must be a numeric array")
    array = _asarray(value)
    if type(array) is not _ndarray:
        array = array.view(_ndarray)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name} has dtype {array.dtype}, expected a numeric array")
    if array.size > MAX_OUTPUT_ELEMENTS:
        raise ValueError(f"{name} has {array.size} elements, more than {MAX_OUTPUT_ELEMENTS}")
    return np.array(array, copy=True, order="C")


def _named(values, names):
    if len(names) == 1:
        values = (values,)
    if not isinstance(values, tuple) or len(values) != len(names):
        got = f"a {type(values).__name__} of length {len(values)}" if isinstance(
            values, (tuple, list)) else type(values).__name__
        raise ValueError(f"expected {len(names)} return values {tuple(names)}, got {got}")
    return {n: v for n, v in zip(names, values, strict=True) if n != "_"}


def run_probe(probe, arrays, shared=None):
    """Run one probe against whatever `cs231n` is importable; returns {name: plain array}."""
    args = [decode(a, arrays, shared) for a in probe.get("args", [])]
    kind = probe["kind"]
    if kind == "call":
        outputs = _named(resolve(probe["target"])(*args), probe["returns"])
    elif kind == "forward_backward":
        forward = _named(resolve(probe["target"])(*args), ("out", "cache"))
        dout = decode(probe["dout"], arrays, shared)
        outputs = _named(resolve(probe["backward"])(dout, forward["cache"]), probe["returns"])
    elif kind in ("convnet_init", "convnet_loss"):
        outputs = _convnet(probe, arrays, shared)
    else:
        raise ValueError(f"unknown probe kind {kind}")
    for name, index, key in probe.get("report", []):
        if isinstance(args[index], dict) and key in args[index]:  # else the case says "missing"
            outputs[name] = args[index][key]
    return {name: to_plain_array(value, name) for name, value in outputs.items()
            if name != "cache"}


def _convnet(probe, arrays, shared):
    kwargs = decode(probe["kwargs"], arrays, shared)
    np.random.seed(probe.get("numpy_seed", 0))
    model = resolve(probe["target"])(**kwargs)
    params = getattr(model, "params", None)
    if not isinstance(params, dict):
        raise TypeError(f"model.params is a {type(params).__name__}, expected a dict")
    if probe["kind"] == "convnet_init":
        outputs = {name: params[name] for name in probe["returns"] if name in params}
        outputs["num_params"] = len(params)  # the API promises exactly these entries
        return outputs
    for name, value in decode(probe["params"], arrays, shared).items():
        params[name] = value
    X = decode(probe["X"], arrays, shared)
    if "y" not in probe:
        return {"scores": model.loss(X)}
    loss, grads = model.loss(X, decode(probe["y"], arrays, shared))
    outputs = {"loss": loss}
    for name in probe["grads"]:
        if name in grads:
            outputs["grad_" + name] = grads[name]
    return outputs


def _error_text(error):
    """The exception and the last frames (student files only: not this file, not Python's
    import machinery such as <frozen importlib._bootstrap>), short."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if "runner" not in f.filename and not f.filename.startswith("<frozen")
              and "importlib" not in f.filename]
    lines = [f"  {os.path.basename(f.filename)}, line {f.lineno}, in {f.name}" for f in frames[-3:]]
    text = f"{type(error).__name__}: {error}"[:500]
    return "\n".join([text] + lines)


def apply_limits(limits):
    """Lower this process's own limits before any student code is imported."""
    import resource
    for name, value in limits.items():
        # A limit that cannot be set still leaves the grader's clocks and the sandbox.
        with contextlib.suppress(AttributeError, ValueError, OSError):
            resource.setrlimit(getattr(resource, name), (int(value), int(value)))


class Channel:
    """The child's ends of the protocol."""

    def __init__(self, commands_fd, inputs_fd, events_fd, layouts):
        self.commands = os.fdopen(commands_fd, "rb", buffering=0)
        self.events = os.fdopen(events_fd, "wb", buffering=0)
        size = max([end for layout in layouts.values() for _, _, _, end in layout.values()]
                   + [1])
        self.memory = mmap.mmap(inputs_fd, size)
        self.layouts = layouts

    def send(self, header, payload=b""):
        self.events.write(header + b"\n" + payload)

    def text(self, kind, message, probe=b""):
        data = message.encode("utf-8", "backslashreplace")[:4000]
        self.send(kind + (b" " + probe if probe else b"") + b" %d" % len(data), data)

    def next_probe(self):
        line = self.commands.readline(256)
        if not line.startswith(RUN + b" "):
            return None
        return line[2:].strip().decode("ascii", "replace")

    def arrays(self, probe_id):
        """This probe's arrays as views of the shared memory (copies are made by decode)."""
        views = {}
        for name, (offset, dtype, shape, _) in self.layouts[probe_id].items():
            count = int(np.prod(shape, dtype=np.int64))
            views[name] = np.frombuffer(self.memory, dtype=np.dtype(dtype), count=count,
                                        offset=offset).reshape(shape)
        return views


def main(argv):
    import json
    spec_path, commands_fd, inputs_fd, events_fd = argv[1], *map(int, argv[3:6])
    with open(spec_path) as f:
        spec = json.load(f)
    apply_limits(spec.get("limits", {}))
    channel = Channel(commands_fd, inputs_fd, events_fd, spec["layouts"])
    sys.path.insert(0, spec["submission"])
    try:
        importlib.import_module(spec["module"])
    except BaseException as error:  # noqa: BLE001 - SystemExit from student code too
        channel.text(IMPORT_FAILED, _error_text(error))
        return 0
    channel.send(READY)
    probes = {p["id"]: p for p in spec["probes"]}
    while (probe_id := channel.next_probe()) in probes:
        tag = probe_id.encode()
        try:
            views = channel.arrays(probe_id)
            outputs = run_probe(probes[probe_id], views, shared=views)
            frames = []
            for name, array in outputs.items():
                buffer = io.BytesIO()
                _write_array(buffer, array, allow_pickle=False)
                frames.append((b"%s %s %s %d" % (ARRAY, tag, name.encode(), buffer.tell()),
                               buffer.getvalue()))
        except BaseException as error:  # noqa: BLE001 - whatever the student raised
            channel.text(ERROR, _error_text(error), tag)
            continue
        for header, payload in frames:
            channel.send(header, payload)
        channel.send(DONE + b" " + tag)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
