#!/bin/bash
# apt-dkms-bench.sh - real *-dkms packages from the Debian archive, installed with apt, with
# Debian's dkms 3.0.10 and then with the jdkms .deb, in the same sandbox: result and wall time.
#
# Inside one disposable sandbox (tests/sandbox/sandbox; the host is not changed):
#   1. warm-up: Debian's dkms and every package are installed with /etc/dkms/no-autoinstall
#      present (so nothing is built), then the packages are purged: their dependencies stay
#      installed and their .debs stay in apt's cache, so both rounds below do the same work;
#   2. for each package, with Debian's dkms and with jdkms (apt swaps them: apt-get install dkms,
#      apt-get install ./jdkms_*.deb; which one goes first alternates from package to package):
#      `apt-get install PKG` is timed (unpack + the postinst, which builds and installs the module
#      for every kernel with headers), its `dkms status` noted, then the package is purged.
# Prints a table (Markdown). It measures and prints; it asserts nothing. Needs root, the jdkms
# .deb (mvn package) and the kernel headers the tests use.
set -euo pipefail

usage() {
    cat << 'EOF'
Usage: tests/bench/apt-dkms-bench.sh [--all] [--keep] [--out FILE] [PACKAGE...]

  PACKAGE   *-dkms packages of the Debian archive (default: v4l2loopback-dkms acpi-call-dkms
            evdi-dkms openvpn-dco-dkms tp-smapi-dkms)
  --all     every *-dkms package apt-cache search finds (except dh-dkms)
  --keep    keep the sandbox state and the logs (their path is printed)
  --out F   also write the table to F
EOF
}

BENCH=$(readlink -f -- "${BASH_SOURCE[0]}")
ROOT=$(cd -- "$(dirname -- "$BENCH")/../.." && pwd)
DEFAULT=(v4l2loopback-dkms acpi-call-dkms evdi-dkms openvpn-dco-dkms tp-smapi-dkms)
die() { echo "apt-dkms-bench: $*" >&2; exit 1; }

# ------------------------------------------------------------------ inside the sandbox
APT=(apt-get -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0 -q -y --no-install-recommends)
declare -A RESULT TIME

# The *-dkms packages installed now.
dkms_packages() {
    dpkg-query -W -f='${db:Status-Status} ${Package}\n' '*-dkms' 2> /dev/null | awk '$1 == "installed" { print $2 }' | sort
}

# measure IMPL PACKAGE: installs the package (timed), notes its status, purges it together with
# the *-dkms packages it pulled in (west-chamber-dkms depends on xtables-addons-dkms).
measure() {
    local impl=$1 p=$2 t0 t1 rc kernels fails before pulled
    printf '  %-8s %-28s' "$impl" "$p"
    before=$(dkms_packages)
    t0=$(date +%s.%N)
    rc=0
    "${APT[@]}" install "$p" > "/bench-logs/$impl-$p.log" 2>&1 || rc=$?
    t1=$(date +%s.%N)
    dkms status > "/bench-logs/$impl-$p.status" 2>&1 || true
    kernels=$(grep -c ': installed' "/bench-logs/$impl-$p.status" || true)
    fails=$(grep -c ': built\|: added' "/bench-logs/$impl-$p.status" || true)
    TIME[$impl,$p]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f s", b - a }')
    if ((rc == 0 && kernels > 0)); then
        RESULT[$impl,$p]="ok, $kernels installed"
    elif ((rc == 0)); then
        RESULT[$impl,$p]="nothing installed"
    else
        RESULT[$impl,$p]="apt failed ($rc), $kernels installed"
    fi
    ((fails == 0)) || RESULT[$impl,$p]+=", $fails not installed"
    echo "${RESULT[$impl,$p]}, ${TIME[$impl,$p]}"
    mapfile -t pulled < <(comm -13 <(echo "$before") <(dkms_packages))
    "${APT[@]}" purge "$p" "${pulled[@]}" >> "/bench-logs/$impl-$p.log" 2>&1 || true
    # A package that failed to configure may leave its module registered.
    dkms status 2> /dev/null | sed -n 's|^\([^/]*\)/\([^,:]*\)[,:].*|\1/\2|p' | sort -u |
        while read -r mv; do dkms remove "$mv" --all > /dev/null 2>&1 || true; done
}

# use IMPL: makes IMPL (debian or jdkms) the installed dkms.
use() {
    local what=dkms
    [[ $1 == jdkms ]] && what=$DEB
    "${APT[@]}" install "$what" >> /bench-logs/switch.log 2>&1 || { cat /bench-logs/switch.log; die "installing $what failed"; }
}

inner() {
    DEB=$1
    local out=$2 p
    shift 2
    local pkgs=("$@")
    export DEBIAN_FRONTEND=noninteractive
    mkdir -p /bench-logs
    local kernels
    kernels=$(for d in /lib/modules/*/build/include; do [[ -d $d ]] && d=${d#/lib/modules/} && echo "${d%%/*}"; done | sort -V | paste -sd' ')
    echo "Kernels with headers: $kernels"
    echo "Warm-up: Debian's dkms and the packages' dependencies (nothing built)..."
    "${APT[@]}" install dkms > /bench-logs/warmup.log 2>&1 || { cat /bench-logs/warmup.log; die "apt-get install dkms failed"; }
    touch /etc/dkms/no-autoinstall
    local before pulled
    for p in "${pkgs[@]}"; do
        before=$(dkms_packages)
        "${APT[@]}" install "$p" >> /bench-logs/warmup.log 2>&1 || echo "  warning: $p does not install (see warmup.log)"
        mapfile -t pulled < <(comm -13 <(echo "$before") <(dkms_packages))
        "${APT[@]}" purge "$p" "${pulled[@]}" >> /bench-logs/warmup.log 2>&1 || true
    done
    rm -f /etc/dkms/no-autoinstall
    local debian_version jdkms_version
    debian_version=$(dpkg-query -W -f='${Version}' dkms)
    jdkms_version=$(dpkg-deb -f "$DEB" Version)
    # Per package, both implementations one right after the other (alternating which goes first),
    # so that a change of the machine's load during the run hits both alike.
    local first=debian second=jdkms
    for p in "${pkgs[@]}"; do
        use $first
        measure $first "$p"
        use $second
        measure $second "$p"
        local t=$first
        first=$second second=$t
    done

    {
        echo ""
        echo "Kernels with headers: $kernels; apt-get install of each package (unpack + postinst builds), $(nproc) CPUs"
        echo ""
        echo "| package | version | Debian dkms $debian_version | | jdkms $jdkms_version | |"
        echo "|---|---|---|---:|---|---:|"
        for p in "${pkgs[@]}"; do
            printf '| %s | %s | %s | %s | %s | %s |\n' "$p" \
                "$(apt-cache show "$p" 2> /dev/null | awk '/^Version:/ { print $2; exit }')" \
                "${RESULT[debian,$p]-}" "${TIME[debian,$p]-}" "${RESULT[jdkms,$p]-}" "${TIME[jdkms,$p]-}"
        done
    } | tee "$out"
}

# ------------------------------------------------------------------ on the host
outer() {
    local all='' keep='' out='' pkgs=()
    while (($#)); do
        case $1 in
        --all) all=1 ;;
        --keep) keep=1 ;;
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
    if [[ $all ]]; then
        mapfile -t pkgs < <(apt-cache search --names-only -- '-dkms$' | awk '{print $1}' | grep -vx dh-dkms | sort)
    fi
    ((${#pkgs[@]})) || pkgs=("${DEFAULT[@]}")
    local state
    state=$(mktemp -d /var/tmp/jdkms-apt-bench.XXXXXX)
    local rc=0
    "$ROOT/tests/sandbox/sandbox" --state "$state" --expose "$ROOT" -- \
        "$BENCH" __inner__ "${debs[0]}" /bench-logs/table.md "${pkgs[@]}" || rc=$?
    if [[ $out && -f $state/upper/bench-logs/table.md ]]; then
        cp "$state/upper/bench-logs/table.md" "$out"
    fi
    if [[ $keep ]]; then
        echo "State and logs kept: $state (logs in $state/upper/bench-logs)"
    else
        rm -rf --one-file-system -- "$state"
    fi
    return $rc
}

if [[ ${1-} == __inner__ ]]; then
    shift
    inner "$@"
else
    outer "$@"
fi
