"""Delete whatever a child left in a folder: iteratively, never following a link, never raising.

Invariant: `remove_tree` uses at most two open directory descriptors and no recursion, so no
depth of nesting, no symlink (to a folder, to /, to a device) and no odd file type can make it
fail, loop on something outside the tree, or leave the grader with an exception.  Nested folders
are moved up to the top folder (renamed, O(1)) and emptied there.
"""

import itertools
import os
import stat

_counter = itertools.count()


def remove_tree(path) -> bool:
    """Remove `path` and everything below it; True when nothing is left."""
    path = os.fspath(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        if not stat.S_ISDIR(info.st_mode):
            os.unlink(path)
            return True
        _empty(path)
        os.rmdir(path)
        return True
    except OSError:
        return not os.path.lexists(path)


def _empty(path: str) -> None:
    top = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        os.fchmod(top, 0o700)
        for _ in range(1_000_000):  # bounded: each round removes at least one folder
            with os.scandir(top) as entries:
                names = [e.name for e in entries]
            if not names:
                return
            for name in names:
                _flatten_into(top, name)
    finally:
        os.close(top)


def _flatten_into(top: int, name: str) -> None:
    """Delete `name` if it is not a folder; else move its sub-folders up to `top`, delete its
    other entries, and remove it once empty."""
    try:
        info = os.lstat(name, dir_fd=top)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(info.st_mode):
        os.unlink(name, dir_fd=top)
        return
    folder = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=top)
    try:
        os.fchmod(folder, 0o700)
        with os.scandir(folder) as entries:
            children = [(e.name, e.is_dir(follow_symlinks=False)) for e in entries]
        for child, is_dir in children:
            if is_dir:
                os.rename(child, f".rm-{os.getpid()}-{next(_counter)}", src_dir_fd=folder,
                          dst_dir_fd=top)
            else:
                os.unlink(child, dir_fd=folder)
    finally:
        os.close(folder)
    os.rmdir(name, dir_fd=top)
