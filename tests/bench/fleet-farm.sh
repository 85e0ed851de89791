#!/bin/bash
# fleet-farm.sh - the build farm: 4 real Debian *-dkms modules x 3 kernels built by one
# `jdkms fleet build`, against the ideal (the builds' make CPU / cores) and against installing the
# same modules through Debian's dkms on each kernel's own machine (the sum of the 3 installs).
#
# Each step runs in a disposable sandbox of this host (tests/sandbox/sandbox; the host is not changed):
#   farm       jdkms (./run install), the 4 packages' sources (apt-get download, dpkg-deb -x), the
#              fleet's key (openssl); the newest 2 kernels of the default series have their headers
#              installed (./run test installs them), the 3rd is given as its header .debs
#              (--headers); `jdkms fleet build -j CORES --format deb` of everything is timed;
#   machine K  for each kernel, a sandbox where only K's headers are present (the 3rd's installed
#              there from its .debs) and Debian's dkms is installed; `apt-get install` of the 4
#              packages (unpack + postinst: dkms builds and installs each for K) is timed, with the
#              .debs already downloaded and dkms installed beforehand (not timed).
# make CPU: /usr/bin/make is a wrapper (in the sandbox) that adds the user+system CPU seconds of
# each top-level make and its children (its cutime+cstime) to a file; recursive makes are not
# counted twice. The
# ideal wall time of the farm is that CPU divided by the cores. Prints a table; asserts nothing.
# Needs root and the jar (mvn -B package -DskipTests).
set -euo pipefail

usage() {
    cat << 'EOF'
Usage: tests/bench/fleet-farm.sh [--keep] [--out FILE] [PACKAGE...]

  PACKAGE   4 (or any number of) *-dkms packages of the Debian archive
            (default: v4l2loopback-dkms acpi-call-dkms tp-smapi-dkms gost-crypto-dkms)
  --keep    keep the sandboxes' state and logs (their path is printed)
  --out F   also write the table to F
EOF
}

BENCH=$(readlink -f -- "${BASH_SOURCE[0]}")
ROOT=$(cd -- "$(dirname -- "$BENCH")/../.." && pwd)
DEFAULT=(v4l2loopback-dkms acpi-call-dkms tp-smapi-dkms gost-crypto-dkms)
APT=(apt-get -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0 -q -y --no-install-recommends)
# shellcheck source=tests/lib/kernel-series.sh
. "$ROOT/tests/lib/kernel-series.sh"
die() { echo "fleet-farm: $*" >&2; exit 1; }

# ------------------------------------------------------------------ inside a sandbox
# make_wrapper: /usr/bin/make (moved to make.real) sums the CPU of top-level makes into
# /bench/make-cpu; in place of make itself, as maintainer scripts need not keep PATH.
make_wrapper() {
    [[ -e /usr/bin/make.real ]] || mv /usr/bin/make /usr/bin/make.real
    cat > /usr/bin/make << 'EOF'
#!/bin/bash
# benchmark wrapper (tests/bench/fleet-farm.sh): the CPU of each top-level make and its children
[[ ${FLEET_FARM_MAKE-} ]] && exec /usr/bin/make.real "$@"
export FLEET_FARM_MAKE=1
rc=0
/usr/bin/make.real "$@" || rc=$?
awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f\n", ($16 + $17) / hz }' /proc/$$/stat >> /bench/make-cpu
exit "$rc"
EOF
    chmod 755 /usr/bin/make
    : > /bench/make-cpu
}
make_cpu() { awk '{ s += $1 } END { printf "%.1f", s }' /bench/make-cpu; }

# seconds CMD...: runs CMD (output to /bench/LOG), prints "wall user+sys" of it and its children.
seconds() {
    local log=$1 me=$BASHPID t0 t1 c0 c1
    shift
    c0=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$me/stat)
    t0=$(date +%s.%N)
    "$@" > "/bench/$log" 2>&1 || { tail -n 30 "/bench/$log" >&2; die "$* failed (log: $log)"; }
    t1=$(date +%s.%N)
    c1=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$me/stat)
    awk -v a="$t0" -v b="$t1" -v c="$c0" -v d="$c1" -v hz="$(getconf CLK_TCK)" \
        'BEGIN { printf "%.1f %.1f\n", b - a, (d - c) / hz }'
}

# inner_farm KERNELS(,-separated) PACKAGE...: prints "wall cpu make-cpu".
inner_farm() {
    local kernels k3 srcs=() hdrs=() ks=() p kbuild
    IFS=, read -r -a ks <<< "$1"
    shift
    k3=${ks[0]}
    export DEBIAN_FRONTEND=noninteractive
    mkdir -p /bench/dl /bench/src /bench/headers /bench/out
    (cd "$ROOT" && ./run install --no-cache > /bench/install.log 2>&1) || die "./run install failed"
    cd /bench/dl && apt-get -q download "$@" > /bench/download.log 2>&1
    for p in /bench/dl/*.deb; do dpkg-deb -x "$p" /bench/src; done
    for p in /bench/src/usr/src/*/; do srcs+=(--source "${p%/}"); done
    cd /bench/headers
    apt-get -q download "linux-headers-$k3" "linux-headers-${k3%-*}-common" >> /bench/download.log 2>&1
    kbuild=$(dpkg-deb -f linux-headers-"$k3"_*.deb Depends | grep -o 'linux-kbuild-[0-9.]*' | head -n 1)
    apt-get -q download "$kbuild" >> /bench/download.log 2>&1
    for p in /bench/headers/*.deb; do hdrs+=(--headers "$p"); done
    openssl req -new -x509 -newkey rsa:2048 -nodes -days 30 -subj '/CN=fleet farm bench/' \
        -keyout /bench/fleet.key -outform DER -out /bench/fleet.der 2> /dev/null
    rm -rf "/lib/modules/$k3" "/usr/src/linux-headers-$k3"
    make_wrapper
    local args=(fleet build -j "$(nproc)" --format deb "${srcs[@]}" "${hdrs[@]}"
        --key /bench/fleet.key --cert /bench/fleet.der -o /bench/out)
    for k in "${ks[@]}"; do args+=(-k "$k"); done
    local t
    t=$(seconds farm.log /usr/lib/jdkms/bin/jdkms "${args[@]}")
    grep -E '^  (built|skipped|FAILED)|^Built ' /bench/farm.log >&2
    echo "$t $(make_cpu)"
}

# inner_machine KERNEL PACKAGE...: one kernel's machine with Debian's dkms; prints "wall cpu make-cpu installed".
inner_machine() {
    local k=$1 d kbuild
    shift
    export DEBIAN_FRONTEND=noninteractive
    mkdir -p /bench
    for d in /lib/modules/*/build; do
        [[ $d == "/lib/modules/$k/build" ]] || rm -rf "$d"
    done
    if [[ ! -d /lib/modules/$k/build/include ]]; then
        mkdir -p /bench/headers && cd /bench/headers
        apt-get -q download "linux-headers-$k" "linux-headers-${k%-*}-common" > /bench/download.log 2>&1
        kbuild=$(dpkg-deb -f linux-headers-"$k"_*.deb Depends | grep -o 'linux-kbuild-[0-9.]*' | head -n 1)
        apt-get -q download "$kbuild" >> /bench/download.log 2>&1
        dpkg -i --force-depends ./*.deb > /bench/headers.log 2>&1 || die "installing $k's headers failed"
    fi
    "${APT[@]}" install dkms > /bench/dkms.log 2>&1 || die "apt-get install dkms failed"
    "${APT[@]}" install --download-only "$@" > /bench/download.log 2>&1
    make_wrapper
    local t n
    t=$(seconds machine.log "${APT[@]}" install "$@")
    n=$(dkms status -k "$k" 2> /dev/null | grep -c ': installed' || true)
    echo "$t $(make_cpu) $n"
}

# ------------------------------------------------------------------ on the host
in_sandbox() {   # in_sandbox STATE CMD...
    local state=$1
    shift
    "$ROOT/tests/sandbox/sandbox" --state "$state" --expose "$ROOT" -- "$BENCH" "$@"
}

outer() {
    local keep='' out='' pkgs=() kernels=()
    while (($#)); do
        case $1 in
        --keep) keep=1 ;;
        --out) out=${2:?--out needs a file}; shift ;;
        -h | --help) usage; return 0 ;;
        -*) usage >&2; die "unknown option $1" ;;
        *) pkgs+=("$1") ;;
        esac
        shift
    done
    ((EUID == 0)) || die "needs root (sandboxes, apt)"
    [[ -f $ROOT/dkms-cli/target/dkms.jar ]] || die "no dkms-cli/target/dkms.jar: mvn -B package -DskipTests"
    ((${#pkgs[@]})) || pkgs=("${DEFAULT[@]}")
    mapfile -t kernels < <(newest_kernels 3)
    ((${#kernels[@]} == 3)) || die "the archive offers ${#kernels[@]} kernels of the default series, 3 are needed"
    local k
    for k in "${kernels[@]:1}"; do
        [[ -d /lib/modules/$k/build/include ]] || die "no headers for $k (./run test installs the newest 2)"
    done
    local state
    state=$(mktemp -d /var/tmp/jdkms-fleet-farm.XXXXXX)
    echo "Kernels: ${kernels[*]} (${kernels[0]} from its header .debs); modules: ${pkgs[*]}; $(nproc) CPUs"
    local farm machines=() line
    farm=$(in_sandbox "$state/farm" __farm__ "$(IFS=,; echo "${kernels[*]}")" "${pkgs[@]}")
    for k in "${kernels[@]}"; do
        line=$(in_sandbox "$state/machine-$k" __machine__ "$k" "${pkgs[@]}")
        machines+=("$k $line")
    done
    report "$farm" "${#pkgs[@]}" "${machines[@]}" | tee "${out:-/dev/null}"
    if [[ $keep ]]; then
        echo "State and logs kept: $state (logs in $state/*/upper/bench)"
    else
        rm -rf --one-file-system -- "$state"
    fi
}

# report FARM N MACHINE...: the table. FARM is "wall cpu make"; each MACHINE "K wall cpu make installed".
report() {
    local farm=$1 n=$2 cores
    shift 2
    cores=$(nproc)
    read -r fw fc fm <<< "$farm"
    echo ""
    echo "| run | wall s | CPU s (all) | make CPU s | modules installed |"
    echo "|---|---:|---:|---:|---:|"
    local sw=0 sm=0 k w c m i
    for line in "$@"; do
        read -r k w c m i <<< "$line"
        echo "| Debian dkms on the machine of $k | $w | $c | $m | $i of $n |"
        sw=$(awk -v a="$sw" -v b="$w" 'BEGIN { print a + b }')
        sm=$(awk -v a="$sm" -v b="$m" 'BEGIN { print a + b }')
    done
    echo "| **sum of the $# machines** | $sw | | $sm | |"
    echo "| **jdkms fleet build, $n modules x $# kernels** | $fw | $fc | $fm | |"
    awk -v fw="$fw" -v fm="$fm" -v sw="$sw" -v cores="$cores" 'BEGIN {
        ideal = fm / cores
        printf "\nideal (make CPU / %d cores): %.1f s; farm wall / ideal: %.2f; farm wall / sum of machines: %.2f\n",
            cores, ideal, fw / ideal, fw / sw }'
}

case ${1-} in
__farm__) shift; inner_farm "$@" ;;
__machine__) shift; inner_machine "$@" ;;
*) outer "$@" ;;
esac
