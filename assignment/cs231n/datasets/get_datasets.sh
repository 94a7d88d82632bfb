#!/usr/bin/env bash
# Download the assignment's data next to this script:
#   cifar-10-batches-py/      CIFAR-10, python pickle version (170 MB download)
#   kitten.jpg, puppy.jpg     the photos of the "image processing via convolutions" demo
# Safe to run again: whatever is already present is skipped. Works from any directory.
# Needs curl or wget, tar, unzip (or python3) and md5sum (or md5 on macOS).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

CIFAR_URL="https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
CIFAR_TGZ="cifar-10-python.tar.gz"
CIFAR_MD5="c58f30108f718f92721af3b95e74349a"
CIFAR_DIR="cifar-10-batches-py"
# The photos ship inside the course's 2018 assignment zip (nothing else of it is used).
PHOTOS_URL="https://cs231n.github.io/assignments/2018/spring1718_assignment2_v2.zip"
PHOTOS_ZIP="spring1718_assignment2_v2.zip"
KITTEN_MD5="cf8e081efef867f6ef485fe374f054d9"
PUPPY_MD5="26c3087571bee044ec0cd55f74452b1f"

die() { echo "get_datasets.sh: $*" >&2; exit 1; }

download() {  # download URL FILE [WHAT ELSE WOULD DO]: stop, saying what to do by hand, on failure
    local status=0
    echo "Downloading $1"
    if command -v curl >/dev/null 2>&1; then
        curl -fL --retry 3 -o "$2.part" "$1" || status=$?
    elif command -v wget >/dev/null 2>&1; then
        wget -q --tries=3 -O "$2.part" "$1" || status=$?
    else
        die "needs curl or wget to download $1"
    fi
    if [ "$status" -ne 0 ]; then
        rm -f "$2.part"
        die "the download of $1 failed (exit status $status; no internet connection?).
Download that file some other way, save it as $PWD/$2${3:+ (or $3)}
and run this script again: it checks the file and carries on from there."
    fi
    mv "$2.part" "$2"
}

md5_of() {
    if command -v md5sum >/dev/null 2>&1; then
        md5sum "$1" | cut -d' ' -f1
    else
        md5 -q "$1"
    fi
}

verify() {  # verify FILE MD5: delete the file and stop when it does not match
    local actual
    actual="$(md5_of "$1")"
    if [ "$actual" != "$2" ]; then
        rm -f "$1"
        die "$1 has md5 $actual, expected $2 (download corrupted or changed; run again)"
    fi
}

cifar_complete() {
    local name
    for name in data_batch_1 data_batch_2 data_batch_3 data_batch_4 data_batch_5 \
                test_batch batches.meta; do
        [ -f "$CIFAR_DIR/$name" ] || return 1
    done
}

if cifar_complete; then
    echo "CIFAR-10 already in $PWD/$CIFAR_DIR, skipping"
else
    [ -f "$CIFAR_TGZ" ] || download "$CIFAR_URL" "$CIFAR_TGZ" \
        "unpack it yourself so that $PWD/$CIFAR_DIR holds data_batch_1 ... test_batch"
    verify "$CIFAR_TGZ" "$CIFAR_MD5"
    tar -xzf "$CIFAR_TGZ"
    cifar_complete || die "$CIFAR_TGZ did not contain a complete $CIFAR_DIR"
    rm -f "$CIFAR_TGZ"
    echo "CIFAR-10 ready in $PWD/$CIFAR_DIR"
fi

extract_member() {  # extract_member ZIP MEMBER: write the member to stdout
    if command -v unzip >/dev/null 2>&1; then
        unzip -p "$1" "$2"
    else
        python3 -c 'import sys, zipfile
sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' "$1" "$2"
    fi
}

photo_ok() {  # photo_ok FILE MD5
    [ -f "$1" ] && [ "$(md5_of "$1")" = "$2" ]
}

if photo_ok kitten.jpg "$KITTEN_MD5" && photo_ok puppy.jpg "$PUPPY_MD5"; then
    echo "kitten.jpg and puppy.jpg already in $PWD, skipping"
else
    [ -f "$PHOTOS_ZIP" ] || download "$PHOTOS_URL" "$PHOTOS_ZIP" \
        "put kitten.jpg and puppy.jpg themselves in $PWD"
    for photo in kitten.jpg puppy.jpg; do
        # A truncated zip would fail here on every rerun, so drop it to force a new download.
        extract_member "$PHOTOS_ZIP" "spring1718_assignment2_v2/$photo" > "$photo.part" \
            || { rm -f "$PHOTOS_ZIP" "$photo.part"; die "could not read $photo from $PHOTOS_ZIP"; }
        mv "$photo.part" "$photo"
    done
    verify kitten.jpg "$KITTEN_MD5"
    verify puppy.jpg "$PUPPY_MD5"
    rm -f "$PHOTOS_ZIP"
    echo "kitten.jpg and puppy.jpg ready in $PWD"
fi
