# shellcheck shell=bash
# upstream.sh - sourced by the benchmarks: upstream dkms 3.4.3 from ../shared beside the repository.
#
#   upstream_unpack DIR   unpacks ../shared/compat/upstream/dkms-3.4.3.tar.gz into DIR and prints
#                         DIR/dkms-3.4.3 (dkms.in, Makefile, run_test.sh, test/)
#
# Upstream is GPL: it is a reference to measure against, unpacked at run time, never copied into
# the project.
upstream_unpack() {
    local dir=$1 root tgz
    root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
    tgz=$root/../shared/compat/upstream/dkms-3.4.3.tar.gz
    [[ -r $tgz ]] || { echo "upstream dkms 3.4.3 is not at $tgz (../shared beside the repository)" >&2; return 1; }
    tar -xzf "$tgz" -C "$dir" || return 1
    echo "$dir/dkms-3.4.3"
}
