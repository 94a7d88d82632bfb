"""Zip your work for submission: python collect_submission.py

Writes assignment2_submission.zip holding the three notebooks (save them first, with their
outputs) and every Python file of the cs231n package.  Downloaded data, caches and compiled
files are left out.
"""

import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOTEBOOKS = ("Layers.ipynb", "ConvolutionalNetworks.ipynb", "SpatialBatchNormalization.ipynb")
ARCHIVE = HERE / "assignment2_submission.zip"


def main():
    missing = [name for name in NOTEBOOKS if not (HERE / name).is_file()]
    if missing:
        sys.exit(f"missing notebooks: {', '.join(missing)} (run this script in the "
                 f"assignment folder)")
    sources = sorted(p for p in (HERE / "cs231n").rglob("*.py")
                     if "__pycache__" not in p.parts and "datasets" not in p.parts)
    with zipfile.ZipFile(ARCHIVE, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in [HERE / name for name in NOTEBOOKS] + sources:
            archive.write(path, path.relative_to(HERE).as_posix())
    print(f"wrote {ARCHIVE.name}: {len(NOTEBOOKS)} notebooks and {len(sources)} Python files")


if __name__ == "__main__":
    main()
