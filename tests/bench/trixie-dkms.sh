#!/bin/bash
# trixie-dkms.sh - real *-dkms packages of Debian 13 "trixie", installed with apt in a trixie root,
# with the jdkms .deb and with trixie's own dkms (3.2.2): result and build time per package.
#
# The root is the cached one of the trixie tests (tests/roots/debian-root, the options of
# dev.jdkms.tests.trixie.TrixieRoot): kernel 6.12.NN+deb13 with headers, gcc 14, OpenJDK 21, and
# the .debs of dkms and of the *-dkms packages below. For each package and each implementation, a
# fresh sandbox of that root (tests/sandbox/sandbox --root; the host and the root do not change):
#   1. apt-get install the implementation (jdkms_*.deb, or Debian's dkms_*.deb), not timed;
#   2. apt-get install PKG (the fetched .deb, else from the archive), timed: unpack and the
#      postinst, which builds, signs, compresses and installs the module for the kernel;
#   3. dkms status and the installed module files are noted.
# Which implementation goes first alternates from package to package. Prints a Markdown table;
# measures and asserts nothing. Needs root and the jdkms .deb (mvn package).
set -euo pipefail

usage() {
    cat << 'EOF'
Usage: tests/bench/trixie-dkms.sh [--all] [--keep] [--out FILE] [PACKAGE...]

  PACKAGE   *-dkms packages of trixie (default: the ones the root has fetched:
            v4l2loopback-dkms acpi-call-dkms tp-smapi-dkms openvpn-dco-dkms gost-crypto-dkms evdi-dkms)
  --all     every *-dkms package apt-cache search finds in the root (except dh-dkms); those not
            fetched come from the archive
  --keep    keep the sandboxes' states and logs (their path is printed)
  --out F   also write the table to F
EOF
}

BENCH=$(readlink -f -- "${BASH_SOURCE[0]}")
ROOT=$(cd -- "$(dirname -- "$BENCH")/../.." && pwd)
# The same options as dev.jdkms.tests.trixie.TrixieRoot.spec(), in the same order: one cached root.
PKGS=(v4l2loopback-dkms acpi-call-dkms tp-smapi-dkms openvpn-dco-dkms gost-crypto-dkms evdi-dkms)
# shellcheck disable=SC2054 # the commas separate --include and --fetch lists
ROOT_ARGS=(--release trixie --name apt --kernels
    --include initramfs-tools,kmod,gcc,make,patch,dpkg-dev,default-jre-headless,zstd,xz-utils,openssl,ca-certificates
    --fetch "dkms,$(IFS=,; echo "${PKGS[*]}")")
DEBS=/var/cache/jdkms-test/debs
die() { echo "trixie-dkms: $*" >&2; exit 1; }

# ------------------------------------------------------------------ inside a sandbox
# inner IMPL DEB PKG: installs IMPL (jdkms: the .deb DEB; debian: the fetched dkms), then PKG, timed.
inner() {
    local impl=$1 deb=$2 p=$3 t0 t1 rc=0 f
    local apt=(apt-get -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0 -q -y --no-install-recommends)
    export DEBIAN_FRONTEND=noninteractive
    mkdir -p /bench
    if [[ $impl == jdkms ]]; then
        "${apt[@]}" install "$deb" > /bench/impl.log 2>&1 || { tail -n 20 /bench/impl.log; return 3; }
    else
        "${apt[@]}" install "$DEBS"/dkms_*.deb > /bench/impl.log 2>&1 || { tail -n 20 /bench/impl.log; return 3; }
    fi
    f=$p
    for d in "$DEBS/${p}"_*.deb; do [[ -f $d ]] && f=$d; done
    t0=$(date +%s.%N)
    "${apt[@]}" install "$f" > /bench/install.log 2>&1 || rc=$?
    t1=$(date +%s.%N)
    echo "version $(dpkg-query -W -f='${Version}' "$p" 2> /dev/null || echo '?')"
    echo "dkms $(dkms --version 2>&1 | head -n 1)"
    echo "time $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
    echo "rc $rc"
    dkms status 2>&1 | sed 's/^/status /'
    find /usr/lib/modules/*/updates -type f -name '*.ko*' 2> /dev/null | sed 's|.*/|file |'
    grep -h -m 3 -E 'error:|Error!|BUILD_EXCLUSIVE' /bench/install.log /var/lib/dkms/*/*/build/make.log 2> /dev/null |
        sed 's/^/error /' || true
}

# ------------------------------------------------------------------ on the host
declare -A RESULT TIME VERSION
# measure IMPL PKG: one fresh sandbox of the root.
measure() {
    local impl=$1 p=$2 state rc=0 out installed files errors
    state=$(mktemp -d "$WORK/$impl-$p.XXXX")
    out=$("$ROOT/tests/sandbox/sandbox" --root "$ROOTFS" --state "$state" --expose "$ROOT" -- \
        "$BENCH" __inner__ "$impl" "$DEB" "$p" 2>&1) || rc=$?
    printf '%s\n' "$out" > "$state.out"
    if ((rc != 0)); then
        RESULT[$impl,$p]="setup failed ($rc)"
        TIME[$impl,$p]=-
        return 0
    fi
    VERSION[$p]=$(sed -n 's/^version //p' <<< "$out")
    TIME[$impl,$p]="$(sed -n 's/^time //p' <<< "$out") s"
    installed=$(grep -c '^status .*: installed' <<< "$out" || true)
    files=$(sed -n 's/^file //p' <<< "$out" | sed 's/^[^.]*//' | sort -u | paste -sd/)
    errors=$(grep -c '^error ' <<< "$out" || true)
    local arc
    arc=$(sed -n 's/^rc //p' <<< "$out")
    if ((arc == 0 && installed > 0)); then
        RESULT[$impl,$p]="ok: $installed installed (${files:-no file})"
    elif ((arc == 0)); then
        RESULT[$impl,$p]="nothing installed"
    else
        RESULT[$impl,$p]="apt failed ($arc), $installed installed"
    fi
    ((errors == 0 || installed > 0)) || RESULT[$impl,$p]+="; $(sed -n '0,/^error /s/^error //p' <<< "$out" | tail -n 1 | cut -c1-80)"
    [[ $KEEP ]] || rm -rf --one-file-system -- "$state"
    echo "  $impl $p: ${RESULT[$impl,$p]}, ${TIME[$impl,$p]}"
}

outer() {
    local all='' out='' pkgs=()
    KEEP=''
    while (($#)); do
        case $1 in
        --all) all=1 ;;
        --keep) KEEP=1 ;;
        --out) out=${2:?--out needs a file}; shift ;;
        -h | --help) usage; return 0 ;;
        -*) usage >&2; die "unknown option $1" ;;
        *) pkgs+=("$1") ;;
        esac
        shift
    done
    ((EUID == 0)) || die "needs root (sandboxes, apt)"
    local debs=("$ROOT"/apt-hook/target/jdkms_*_all.deb)
    [[ -f ${debs[0]} ]] || die "no apt-hook/target/jdkms_*_all.deb: build it first (mvn -B package -DskipTests)"
    DEB=${debs[0]}
    ROOTFS=$("$ROOT/tests/roots/debian-root" "${ROOT_ARGS[@]}") || die "no trixie root"
    if [[ $all ]]; then
        mapfile -t pkgs < <("$ROOT/tests/sandbox/sandbox" --root "$ROOTFS" -- \
            apt-cache search --names-only -- '-dkms$' | awk '{print $1}' | grep -vx dh-dkms | sort)
    fi
    ((${#pkgs[@]})) || pkgs=("${PKGS[@]}")
    WORK=$(mktemp -d /var/tmp/jdkms-trixie-bench.XXXXXX)
    local k
    k=$(paste -sd' ' "$ROOTFS/var/cache/jdkms-test/kernels" | cut -d' ' -f1)
    echo "trixie root: $ROOTFS; kernel $k; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
    local first=debian second=jdkms p t
    for p in "${pkgs[@]}"; do
        measure $first "$p"
        measure $second "$p"
        t=$first first=$second second=$t
    done
    local dv
    dv=$(dpkg-deb -f "$ROOTFS$DEBS"/dkms_*.deb Version)
    {
        echo ""
        echo "Debian 13 root, kernel $k with headers; apt-get install of each package (unpack + postinst builds), $(nproc) CPUs, each in a fresh sandbox"
        echo ""
        echo "| package | version | Debian dkms $dv | | jdkms $(dpkg-deb -f "$DEB" Version) | |"
        echo "|---|---|---|---:|---|---:|"
        for p in "${pkgs[@]}"; do
            printf '| %s | %s | %s | %s | %s | %s |\n' "$p" "${VERSION[$p]-}" \
                "${RESULT[debian,$p]-}" "${TIME[debian,$p]-}" "${RESULT[jdkms,$p]-}" "${TIME[jdkms,$p]-}"
        done
    } | tee "${out:-/dev/null}"
    if [[ $KEEP ]]; then
        echo "States and outputs kept in $WORK"
    else
        rm -rf --one-file-system -- "$WORK"
    fi
}

if [[ ${1-} == __inner__ ]]; then
    shift
    inner "$@"
else
    outer "$@"
fi
