#!/bin/bash
# in-root.sh - run by tests/roots/debian-root inside a root being made (as its customize hook).
# Usage: in-root.sh [--kernels] [PKG]...  (see debian-root --help for what they mean)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt=(apt-get -q -y -o Dpkg::Use-Pty=0 --no-install-recommends)
cache=/var/cache/jdkms-test
if [[ ${1-} == --kernels ]]; then
    shift
    # shellcheck source=/dev/null
    . /tmp/kernel-series.sh
    mapfile -t k < <(newest_kernels 2)
    (( ${#k[@]} == 2 )) || { echo "in-root: the archive offers ${#k[@]} kernel(s) of the default series, need 2" >&2; exit 1; }
    # The tests boot these kernels in QEMU: an initramfs with the virtio disk and ext4 drivers
    # only (MODULES=list) is made in seconds where MODULES=most takes minutes on two cores.
    if [[ -d /etc/initramfs-tools ]]; then
        echo MODULES=list > /etc/initramfs-tools/conf.d/jdkms-test-guest
        printf '%s\n' virtio_pci virtio_blk ext4 >> /etc/initramfs-tools/modules
    fi
    "${apt[@]}" install "linux-image-${k[0]}" "linux-headers-${k[0]}"
    apt-get clean   # what the root was made from is not part of K2's set
    "${apt[@]}" install --download-only "linux-image-${k[1]}" "linux-headers-${k[1]}"
    mkdir -p "$cache/debs/kernel"
    mv /var/cache/apt/archives/*.deb "$cache/debs/kernel/"
    printf '%s\n' "${k[@]}" > "$cache/kernels"
fi
if (( $# )); then
    mkdir -p "$cache/debs"
    (cd "$cache/debs" && apt-get -q download "$@")
fi
rm -f /tmp/kernel-series.sh /tmp/in-root.sh
