#!/bin/bash
# hook-noop.sh - the Debian kernel postinst hook with nothing to do, jdkms against upstream dkms.
#
# What apt pays on every kernel package when no DKMS module is registered: run-parts runs
# /etc/kernel/postinst.d/dkms KERNEL IMAGE. Measured in one run, each implementation in its own
# disposable sandbox (tests/sandbox/sandbox), with hyperfine -N when it is installed (a plain loop
# otherwise):
#   jdkms     ./run install (the JDK and start-up cache users get), the packaged stub
#             apt-hook/.../etc/kernel/postinst.d/dkms -> jdkms hook debian postinst
#   upstream  dkms 3.4.3's own Debian hook: the release tarball unpacked at run time into a
#             temporary directory and installed with `make install-debian` inside its sandbox
# The kernel is the newest one with headers here; the dkms tree is empty. It prints figures and
# asserts nothing.
set -euo pipefail

usage() {
    cat << 'EOF'
Usage: tests/bench/hook-noop.sh [--runs N] [--warmup N] [--tarball dkms-3.4.3.tar.gz]

  --runs N      runs per implementation (default 30)
  --warmup N    warm-up runs (default 5)
  --tarball F   upstream's release tarball (default ../shared/compat/upstream/dkms-3.4.3.tar.gz
                beside the repository)
EOF
}

BENCH=$(readlink -f -- "${BASH_SOURCE[0]}")
ROOT=$(cd -- "$(dirname -- "$BENCH")/../.." && pwd)
die() { echo "hook-noop: $*" >&2; exit 1; }

# ------------------------------------------------------------------ inside a sandbox
# inner jdkms|upstream RUNS WARMUP KERNEL [TARBALL]: installs one implementation, then times its hook.
inner() {
    local which=$1 runs=$2 warmup=$3 k=$4 tarball=${5-} log=/tmp/hook-noop-setup.log hook
    : > "$log"
    if [[ $which == jdkms ]]; then
        "$ROOT/run" install >> "$log" 2>&1 || { cat "$log" >&2; die "./run install failed"; }
        install -D -m 755 "$ROOT/apt-hook/src/deb/root/etc/kernel/postinst.d/dkms" /etc/kernel/postinst.d/dkms
    else
        local src
        src=$(mktemp -d)
        tar -C "$src" -xzf "$tarball"
        make -C "$src"/dkms-* install-debian >> "$log" 2>&1 || { cat "$log" >&2; die "make install-debian failed"; }
    fi
    rm -rf /var/lib/dkms && mkdir -p /var/lib/dkms
    hook="/etc/kernel/postinst.d/dkms $k /boot/vmlinuz-$k"
    # Once for the record: what the hook says and its status (it must have nothing to do).
    local rc=0
    env DEB_MAINT_PARAMS="configure " $hook > /tmp/hook-noop.out 2>&1 || rc=$?
    echo "-- $which: $hook -> exit $rc, output:"
    sed 's/^/   | /' /tmp/hook-noop.out
    if command -v hyperfine > /dev/null; then
        hyperfine -N --style basic --warmup "$warmup" --runs "$runs" \
            --export-json "/tmp/hook-noop.json" -n "$which" "env DEB_MAINT_PARAMS=configure $hook"
        if [[ $which == jdkms ]]; then
            # For scale: the same JVM start and launcher, doing nothing (usage, exit 2).
            hyperfine -N -i --style basic --warmup "$warmup" --runs "$runs" \
                -n "jdkms hook (usage only)" "/usr/lib/jdkms/bin/jdkms hook"
        fi
        # median in milliseconds, for the summary
        sed -n 's/.*"median": *\([0-9.e-]*\).*/\1/p' /tmp/hook-noop.json | head -n1 |
            awk '{ printf "MEDIAN %.1f\n", $1 * 1000 }'
    else
        local i t0 times=()
        for ((i = 0; i < warmup; i++)); do env DEB_MAINT_PARAMS=configure $hook > /dev/null 2>&1 || true; done
        for ((i = 0; i < runs; i++)); do
            t0=$(date +%s%N)
            env DEB_MAINT_PARAMS=configure $hook > /dev/null 2>&1 || true
            times+=($((($(date +%s%N) - t0) / 1000)))
        done
        printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "MEDIAN %.1f\n", a[int((NR + 1) / 2)] / 1000 }'
    fi
}

if [[ ${1-} == __inner__ ]]; then
    shift
    inner "$@"
    exit
fi

# ------------------------------------------------------------------ on the host
runs=30 warmup=5 tarball=$ROOT/../shared/compat/upstream/dkms-3.4.3.tar.gz
while (( $# )); do
    case $1 in
        --runs) runs=${2:?}; shift 2 ;;
        --warmup) warmup=${2:?}; shift 2 ;;
        --tarball) tarball=${2:?}; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument $1" ;;
    esac
done
(( EUID == 0 )) || die "must run as root (sandbox)"
[[ -f $tarball ]] || die "no upstream tarball at $tarball"
tarball=$(readlink -f -- "$tarball")
[[ -f $ROOT/dkms-cli/target/dkms.jar ]] || (cd "$ROOT" && mvn -B -q package -DskipTests)
k=$(for d in /lib/modules/*/build/include; do [[ -d $d ]] && d=${d%/build/include} && echo "${d##*/}"; done |
    sort -V | tail -n 1)
[[ $k ]] || die "no kernel with headers in /lib/modules"
echo "kernel $k (headers, no module registered); $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"

declare -A median
for which in upstream jdkms; do
    state=$(mktemp -d "${TMPDIR:-/tmp}/hook-noop.XXXXXX")
    opts=(--state "$state" --expose "$ROOT" --expose "$(dirname "$tarball")" --cwd "$ROOT")
    out=$("$ROOT/tests/sandbox/sandbox" "${opts[@]}" -- "$BENCH" __inner__ "$which" "$runs" "$warmup" "$k" "$tarball") ||
        { rm -rf --one-file-system -- "$state"; die "$which: the measurement failed"; }
    rm -rf --one-file-system -- "$state"
    grep -v '^MEDIAN ' <<< "$out"
    median[$which]=$(sed -n 's/^MEDIAN //p' <<< "$out")
done
echo
echo "No-op Debian postinst hook, median of $runs runs after $warmup warm-ups, $(date -u +%Y-%m-%d):"
printf '  %-40s %8s ms\n' "upstream dkms 3.4.3 (bash)" "${median[upstream]}" "jdkms (jdkms hook debian)" "${median[jdkms]}"
awk -v j="${median[jdkms]}" -v u="${median[upstream]}" 'BEGIN { if (u > 0) printf "  jdkms / upstream: %.2f\n", j / u }'
