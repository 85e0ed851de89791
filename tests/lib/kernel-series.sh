# shellcheck shell=bash
# The kernel packages of the release's default kernel series, sourced by ./run and by
# tests/roots/debian-root (inside a root being built), so that the rule exists once.
#
# The series is the one linux-headers-ARCH depends on: linux-headers-6.1.0-NN-amd64 on Debian 12
# (which also offers 6.12.NN+deb12 for newer hardware), linux-headers-6.12.NN+deb13-amd64 on
# Debian 13; never the -rt/-cloud flavours. Versions are never hard-coded.

# headers_packages: the series' headers packages the mirror offers, in version order.
headers_packages() {
    local arch default series
    arch=$(dpkg --print-architecture)
    default=$(apt-cache depends "linux-headers-$arch" 2> /dev/null \
        | awk '$1 == "Depends:" && $2 ~ /^linux-headers-[0-9]/ { print $2; exit }')
    [[ $default ]] || return 0
    # the ABI number becomes [0-9]+: 6.1.0-57-amd64 -> 6\.1\.0-[0-9]+-amd64, 6.12.117+deb13 -> 6\.12\.[0-9]+\+deb13
    series=$(sed -E -e 's/[.+]/\\&/g' \
        -e 's/^(linux-headers-.*-)[0-9]+(-'"$arch"')$/\1[0-9]+\2/' \
        -e 's/^(linux-headers-[0-9]+\\\.[0-9]+\\\.)[0-9]+(\\\+deb)/\1[0-9]+\2/' <<< "$default")
    apt-cache search --names-only "^$series\$" | awk '{print $1}' | sort -V
}
# newest_headers N: the N newest of them.
newest_headers() { headers_packages | tail -n "$1"; }
# newest_kernels N: the kernel releases (uname -r) of the N newest, e.g. 6.1.0-57-amd64.
newest_kernels() { newest_headers "$1" | sed 's/^linux-headers-//'; }
