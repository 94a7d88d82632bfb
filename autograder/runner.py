"""The child side of the sandbox: import the student's module, run the probes, save plain arrays.

This file is copied into the sandbox and run there as a script, so it uses only the standard
library and NumPy.  The grader also imports it to run the same probes on the reference package,
which keeps "what the student's code was asked" and "what the reference answered" identical.

Protocol (all paths inside the sandbox's job and out folders):
    job/spec.json      {"limits": {...}, "probes": [{"id", "kind", "target", "args", ...}]}
    job/inputs.npz     every array the probes use, loaded with allow_pickle=False
    out/ready          written once the student's module imported
    out/import.json    written instead when the import raised
    out/started_<id>   written before a probe runs (the grader times probes by it)
    out/result_<id>.npz + out/done_<id>.json   written when it returns or raises
Nothing the student's code returns crosses back except numeric ndarrays saved with np.savez.
"""

import importlib
import json
import os
import sys
import time
import traceback

import numpy as np

# Bound before student code runs, so monkeypatching numpy later cannot change how we save.
_asarray, _savez, _ndarray, _isdtype = np.asarray, np.savez, np.ndarray, np.issubdtype
_array_equal, _copy = np.array_equal, np.array
_NUMERIC = (np.bool_, np.integer, np.floating)
MAX_OUTPUT_ELEMENTS = 5_000_000


def decode(value, arrays):
    """Turn the JSON argument encoding back into Python values (fresh copies of arrays)."""
    if isinstance(value, dict):
        if "array" in value:
            return arrays[value["array"]].copy()
        if "dtype" in value:
            return np.dtype(value["dtype"]).type
        if "tuple" in value:
            return tuple(decode(v, arrays) for v in value["tuple"])
        if "dict" in value:
            return {k: decode(v, arrays) for k, v in value["dict"].items()}
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
    if not any(_isdtype(array.dtype, kind) for kind in _NUMERIC):
        raise ValueError(f"{name} has dtype {array.dtype}, expected a numeric array")
    if array.size > MAX_OUTPUT_ELEMENTS:
        raise ValueError(f"{name} has {array.size} elements, more than {MAX_OUTPUT_ELEMENTS}")
    return _copy(array, copy=True, order="C")


def _arrays_in(args):
    """Top-level arrays and arrays inside tuple arguments (dict arguments may be updated)."""
    for i, arg in enumerate(args):
        if isinstance(arg, np.ndarray):
            yield f"argument {i + 1}", arg
        elif isinstance(arg, tuple):
            for j, item in enumerate(arg):
                if isinstance(item, np.ndarray):
                    yield f"argument {i + 1} item {j + 1}", item


def _named(values, names):
    if len(names) == 1:
        values = (values,)
    if not isinstance(values, tuple) or len(values) != len(names):
        got = f"a {type(values).__name__} of length {len(values)}" if isinstance(
            values, (tuple, list)) else type(values).__name__
        raise ValueError(f"expected {len(names)} return values {tuple(names)}, got {got}")
    return {n: v for n, v in zip(names, values) if n != "_"}


def run_probe(probe, arrays):
    """Run one probe against whatever `cs231n` is importable; returns (outputs, modified)."""
    args = [decode(a, arrays) for a in probe.get("args", [])]
    watched = [(label, array.copy(), array) for label, array in _arrays_in(args)]
    kind = probe["kind"]
    if kind == "call":
        outputs = _named(resolve(probe["target"])(*args), probe["returns"])
    elif kind == "forward_backward":
        forward = _named(resolve(probe["target"])(*args), ("out", "cache"))
        dout = decode(probe["dout"], arrays)
        watched.append(("dout", dout.copy(), dout))
        outputs = _named(resolve(probe["backward"])(dout, forward["cache"]), probe["returns"])
    elif kind in ("convnet_init", "convnet_loss"):
        outputs = _convnet(probe, args, arrays, watched)
    else:
        raise ValueError(f"unknown probe kind {kind}")
    for name, index, key in probe.get("report", []):
        if isinstance(args[index], dict) and key in args[index]:  # else the case says "missing"
            outputs[name] = args[index][key]
    modified = [label for label, before, after in watched
                if before.shape != after.shape or not _array_equal(before, after, equal_nan=True)]
    plain = {name: to_plain_array(value, name) for name, value in outputs.items() if name != "cache"}
    return plain, modified


def _convnet(probe, args, arrays, watched):
    kwargs = decode(probe["kwargs"], arrays)
    np.random.seed(probe.get("numpy_seed", 0))
    model = resolve(probe["target"])(**kwargs)
    if probe["kind"] == "convnet_init":
        return {name: model.params[name] for name in probe["returns"] if name in model.params}
    for name, value in decode(probe["params"], arrays).items():
        model.params[name] = value
    X = decode(probe["X"], arrays)
    watched.append(("X", X.copy(), X))
    if "y" not in probe:
        return {"scores": model.loss(X)}
    loss, grads = model.loss(X, decode(probe["y"], arrays))
    outputs = {"loss": loss}
    for name in probe["grads"]:
        if name in grads:
            outputs["grad_" + name] = grads[name]
    return outputs


def _write_json(path, data):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f)
    os.replace(tmp, path)


def _limit(resource, name, value):
    try:
        resource.setrlimit(getattr(resource, name), (value, value))
        return None
    except (ValueError, OSError) as error:
        return f"{name}: {error}"


def apply_limits(limits):
    """Lower this process's own limits before any student code is imported."""
    import resource
    failed = []
    for name in ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_NPROC"):
        if limits.get(name):
            error = _limit(resource, name, int(limits[name]))
            failed.append(error) if error else None
    _limit(resource, "RLIMIT_CORE", 0)
    return failed


def _error_text(error):
    """The exception and the last frames (student files only: not this file, not Python's
    import machinery such as <frozen importlib._bootstrap>), short."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if "runner" not in f.filename and not f.filename.startswith("<frozen")
              and "importlib" not in f.filename]
    lines = [f"  {os.path.basename(f.filename)}, line {f.lineno}, in {f.name}" for f in frames[-3:]]
    text = f"{type(error).__name__}: {error}"[:500]
    return "\n".join([text] + lines)


def main(argv):
    job_dir, out_dir, probe_ids = argv[1], argv[2], argv[3:]
    with open(os.path.join(job_dir, "spec.json")) as f:
        spec = json.load(f)
    with np.load(os.path.join(job_dir, "inputs.npz"), allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    limit_errors = apply_limits(spec.get("limits", {}))
    sys.path[:0] = [spec["submission"], *spec.get("sys_path", [])]
    try:
        importlib.import_module(spec["module"])
    except BaseException as error:  # noqa: BLE001 - SystemExit from student code too
        _write_json(os.path.join(out_dir, "import.json"), {"error": _error_text(error)})
        return 0
    _write_json(os.path.join(out_dir, "ready"), {"limit_errors": limit_errors})
    probes = {p["id"]: p for p in spec["probes"]}
    for probe_id in probe_ids:
        probe = probes[probe_id]
        _write_json(os.path.join(out_dir, f"started_{probe_id}"), {})
        start = time.perf_counter()
        done = {"ok": True, "error": None, "modified": []}
        try:
            outputs, done["modified"] = run_probe(probe, arrays)
            path = os.path.join(out_dir, f"result_{probe_id}.npz")
            with open(path + ".tmp", "wb") as f:
                _savez(f, **outputs)
            os.replace(path + ".tmp", path)
        except BaseException as error:  # noqa: BLE001 - whatever the student raised
            done = {"ok": False, "error": _error_text(error), "modified": []}
        done["seconds"] = time.perf_counter() - start
        _write_json(os.path.join(out_dir, f"done_{probe_id}.json"), done)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
