#!/bin/bash
# heavy.sh - the heavy DKMS modules (Debian's zfs-dkms from contrib, nvidia-kernel-dkms from
# non-free) installed with apt for every kernel with headers, with Debian's dkms and with the
# jdkms .deb in the same sandbox: wall time, peak memory and the ratio jdkms / Debian.
#
# Inside one disposable sandbox (tests/sandbox/sandbox; the host is not changed):
#   1. contrib and non-free are added to the sandbox's apt sources and apt-get update runs;
#   2. warm-up: Debian's dkms and the packages are installed with /etc/dkms/no-autoinstall present
#      (nothing is built), then purged: their dependencies and .debs stay, so both rounds below do
#      the same work;
#   3. with Debian's dkms, then with jdkms (apt swaps them; --jdkms-first swaps the order),
#      `apt-get install PACKAGE...` is timed (unpack + postinst: every module built and installed
#      for every kernel), `dkms status` noted, the packages purged.
# Peak memory: while a round runs, the resident memory (VmRSS) of every process in the sandbox's
# PID namespace is summed every 0.5 s and the highest sum kept (shared pages counted per process,
# so it errs high alike for both). --limit-mib N runs the sandbox in a memory cgroup of its own
# limited to N MiB (v1 memory.limit_in_bytes, or v2 memory.max with swap off), a real limit that
# jdkms's memory budget reads as the kernel enforces it; the peak is then the cgroup's anonymous
# memory (v1 total_rss, v2 anon of memory.stat: no page cache, shared pages once), sampled alike,
# and the table adds the OOM kills the limit caused. CPU time is what apt-get and every process it
# waited for used (bash's `times`: builds, compilers, the JVM), so CPU ÷ cores is the least wall
# time any order of the same work could take. Each round's memory, sampled every 0.5 s, is kept in
# IMPL.memory (seconds since start, MiB) for --keep. --meminfo-mib N only fabricates
# /proc/meminfo's MemAvailable inside the sandbox (a bind mount): jdkms plans for an N MiB machine,
# no kernel limit. Prints a Markdown table; measures and asserts nothing. Root, the jdkms .deb.
set -euo pipefail

usage() {
    cat << 'EOF'
Usage: tests/bench/heavy.sh [--keep] [--out FILE] [--jdkms-first | --only IMPL] [--limit-mib N] [--meminfo-mib N] [PACKAGE...]

  PACKAGE        packages to install together (default: zfs-dkms nvidia-kernel-dkms)
  --limit-mib    run in a memory cgroup limited to N MiB (e.g. 2048: a 2 GB machine)
  --meminfo-mib  MemAvailable jdkms sees, in MiB (default: the machine's)
  --jdkms-first  measure jdkms before Debian's dkms
  --only IMPL    measure one of them: debian or jdkms (no ratio)
  --keep         keep the sandbox state and the logs (their path is printed)
  --out F        also write the table to F
EOF
}

BENCH=$(readlink -f -- "${BASH_SOURCE[0]}")
ROOT=$(cd -- "$(dirname -- "$BENCH")/../.." && pwd)
DEFAULT=(zfs-dkms nvidia-kernel-dkms)
die() { echo "heavy-bench: $*" >&2; exit 1; }

# ------------------------------------------------------------------ inside the sandbox
APT=(apt-get -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0 -q -y --no-install-recommends)
declare -A WALL PEAK RESULT OOM CPU

# memory_now: KiB in use now: the cgroup's anonymous memory under --limit-mib, else the VmRSS sum
# of the sandbox's processes.
memory_now() {
    if [[ ${BENCH_MEMCG-} ]]; then
        awk '$1 == "total_rss" || $1 == "anon" { print int($2 / 1024); exit }' "$BENCH_MEMCG/memory.stat"
    else
        cat /proc/[0-9]*/status 2> /dev/null | awk '/^VmRSS:/ { s += $2 } END { print s + 0 }'
    fi
}

# oom_kills: processes the cgroup's limit killed so far (0 without --limit-mib).
oom_kills() {
    local f
    for f in "${BENCH_MEMCG-/nonexistent}/memory.oom_control" "${BENCH_MEMCG-/nonexistent}/memory.events"; do
        [[ -r $f ]] && awk '$1 == "oom_kill" { print $2; found = 1 } END { if (!found) print 0 }' "$f" && return
    done
    echo 0
}

# peak_sampler FILE TIMELINE: writes the highest memory_now (KiB) to FILE and appends
# "seconds MiB" to TIMELINE, every 0.5 s.
peak_sampler() {
    local out=$1 timeline=$2 peak=0 now start=$SECONDS
    while :; do
        now=$(memory_now)
        ((now > peak)) && peak=$now && echo "$peak" > "$out"
        echo "$((SECONDS - start)) $((now / 1024))" >> "$timeline"
        sleep 0.5
    done
}

# children_cpu FILE: user + system seconds of the processes this shell waited for so far. `times`
# writes to a file, not a pipe: in a pipeline or $(...) it would run in a fork that waited for none.
children_cpu() {
    times > "$1"
    awk 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); n += t[1] * 60 + t[2] } printf "%.1f", n }' "$1"
}

measure() {
    local impl=$1 t0 t1 rc=0 sampler installed kills cpu
    shift
    kills=$(oom_kills)
    echo 0 > "/bench-logs/$impl.peak"
    : > "/bench-logs/$impl.memory"
    peak_sampler "/bench-logs/$impl.peak" "/bench-logs/$impl.memory" &
    sampler=$!
    t0=$(date +%s.%N)
    # In a subshell: its `times` counts apt-get and what it waited for, not the sampler.
    cpu=$( ("${APT[@]}" install "$@" > "/bench-logs/$impl.log" 2>&1; echo "rc=$?" >> "/bench-logs/$impl.log"; children_cpu "/bench-logs/$impl.times"))
    grep -q '^rc=0$' "/bench-logs/$impl.log" || rc=$(sed -n 's/^rc=//p' "/bench-logs/$impl.log")
    t1=$(date +%s.%N)
    kill "$sampler" 2> /dev/null || true
    wait "$sampler" 2> /dev/null || true
    dkms status > "/bench-logs/$impl.status" 2>&1 || true
    installed=$(grep -c ': installed' "/bench-logs/$impl.status" || true)
    WALL[$impl]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    PEAK[$impl]=$(($(cat "/bench-logs/$impl.peak") / 1024))
    OOM[$impl]=$(($(oom_kills) - kills))
    CPU[$impl]=$cpu
    RESULT[$impl]="apt exit $rc, $installed installed"
    echo "  $impl: ${RESULT[$impl]}, ${WALL[$impl]} s, CPU $cpu s, peak ${PEAK[$impl]} MiB"
    # the builds' make.logs (and jdkms's records) outlive the purge, for --keep
    local log
    for log in /var/lib/dkms/*/*/*/*/log/*; do
        [[ -f $log ]] || continue
        mkdir -p "/bench-logs/$impl-builds"
        cp "$log" "/bench-logs/$impl-builds/$(cut -d/ -f5-7 <<< "$log" | tr / _)_${log##*/}"
    done
    "${APT[@]}" purge "$@" >> "/bench-logs/$impl.log" 2>&1 || true
    dkms status 2> /dev/null | sed -n 's|^\([^/]*\)/\([^,:]*\)[,:].*|\1/\2|p' | sort -u |
        while read -r mv; do dkms remove "$mv" --all > /dev/null 2>&1 || true; done
}

use() {
    local what=dkms
    [[ $1 == jdkms ]] && what=$DEB
    "${APT[@]}" install "$what" >> /bench-logs/switch.log 2>&1 || { cat /bench-logs/switch.log; die "installing $what failed"; }
}

inner() {
    DEB=$1
    local out=$2 order=$3 meminfo=$4
    shift 4
    local pkgs=("$@") kernels
    export DEBIAN_FRONTEND=noninteractive
    mkdir -p /bench-logs
    if ((meminfo > 0)); then
        printf 'MemTotal: %d kB\nMemFree: 0 kB\nMemAvailable: %d kB\n' $((meminfo * 1024)) $((meminfo * 1024)) > /bench-logs/meminfo
        mount --bind /bench-logs/meminfo /proc/meminfo
    fi
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] && sed -i -E 's/^Components: main$/Components: main contrib non-free non-free-firmware/' "$f"
    done
    [[ -f /etc/apt/sources.list ]] && sed -i -E 's/^(deb .* main)$/\1 contrib non-free non-free-firmware/' /etc/apt/sources.list
    "${APT[@]}" update > /bench-logs/update.log 2>&1 || { cat /bench-logs/update.log; die "apt-get update failed"; }
    kernels=$(for d in /lib/modules/*/build/include; do [[ -d $d ]] && d=${d#/lib/modules/} && echo "${d%%/*}"; done | sort -V | paste -sd' ')
    echo "Kernels with headers: $kernels"
    echo "Warm-up: Debian's dkms and the packages' dependencies (nothing built)..."
    "${APT[@]}" install dkms > /bench-logs/warmup.log 2>&1 || { cat /bench-logs/warmup.log; die "apt-get install dkms failed"; }
    touch /etc/dkms/no-autoinstall
    "${APT[@]}" install "${pkgs[@]}" >> /bench-logs/warmup.log 2>&1 || { tail -30 /bench-logs/warmup.log; die "the packages do not install"; }
    "${APT[@]}" purge "${pkgs[@]}" >> /bench-logs/warmup.log 2>&1 || true
    rm -f /etc/dkms/no-autoinstall
    local impl lines peak_kind='VmRSS sum'
    [[ ${BENCH_MEMCG-} ]] && peak_kind='cgroup anonymous memory'
    for impl in $order; do
        use "$impl"
        measure "$impl" "${pkgs[@]}"
    done
    {
        echo ""
        echo "apt-get install ${pkgs[*]} for $kernels; $(nproc) CPUs;" \
            "MemAvailable seen: $(awk '/^MemAvailable/ { print int($2 / 1024) " MiB" }' /proc/meminfo)" \
            "${BENCH_MEMCG:+; memory cgroup limit: $BENCH_LIMIT_MIB MiB}"
        echo ""
        echo "| | Debian dkms $(apt-cache policy dkms | awk '/Candidate/ { print $2 }') | jdkms $(dpkg-deb -f "$DEB" Version) | jdkms / Debian |"
        echo "|---|---|---|---:|"
        echo "| result | ${RESULT[debian]-} | ${RESULT[jdkms]-} | |"
        echo "| wall time (s) | ${WALL[debian]-} | ${WALL[jdkms]-} | $(awk -v a="${WALL[jdkms]-0}" -v b="${WALL[debian]-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b }') |"
        echo "| CPU time (s; ÷ $(nproc) cores: the least wall time) | ${CPU[debian]-} | ${CPU[jdkms]-} | $(awk -v a="${CPU[jdkms]-0}" -v b="${CPU[debian]-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b }') |"
        echo "| peak memory (MiB, $peak_kind) | ${PEAK[debian]-} | ${PEAK[jdkms]-} | $(awk -v a="${PEAK[jdkms]-0}" -v b="${PEAK[debian]-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b }') |"
        [[ ${BENCH_MEMCG-} ]] && echo "| processes killed by the limit (OOM) | ${OOM[debian]-} | ${OOM[jdkms]-} | |"
        echo ""
        if [[ -f /bench-logs/jdkms.log ]]; then
            lines=$({ grep -E '^jdkms: .*(memory available|waits for memory)' /bench-logs/jdkms.log || true; } | sort -u | head -n 3 | paste -sd' ')
            echo "jdkms's memory lines (serial builds, waits): ${lines:-none}"
        fi
    } | tee "$out"
}

# ------------------------------------------------------------------ on the host
# memcg_create MIB: a memory cgroup limited to MIB MiB without swap; prints its directory.
memcg_create() {
    local bytes=$(($1 * 1024 * 1024)) d
    if [[ -d /sys/fs/cgroup/memory ]]; then
        d=/sys/fs/cgroup/memory/jdkms-heavy-bench.$$
        { mkdir "$d" && echo "$bytes" > "$d/memory.limit_in_bytes"; } || die "cannot make the v1 memory cgroup $d"
        [[ -w $d/memory.memsw.limit_in_bytes ]] && echo "$bytes" > "$d/memory.memsw.limit_in_bytes"
    elif grep -qw memory /sys/fs/cgroup/cgroup.subtree_control 2> /dev/null; then
        d=/sys/fs/cgroup/jdkms-heavy-bench.$$
        { mkdir "$d" && echo "$bytes" > "$d/memory.max"; } || die "cannot make the v2 memory cgroup $d"
        [[ -w $d/memory.swap.max ]] && echo 0 > "$d/memory.swap.max"
    else
        die "--limit-mib: no memory cgroup here (neither v1's memory controller nor v2 with memory enabled)"
    fi
    echo "$d"
}

outer() {
    local keep='' out='' order='debian jdkms' meminfo=0 limit=0 pkgs=()
    while (($#)); do
        case $1 in
        --keep) keep=1 ;;
        --out) out=${2:?--out needs a file}; shift ;;
        --jdkms-first) order='jdkms debian' ;;
        --only)
            order=${2:?--only needs debian or jdkms}
            [[ $order == debian || $order == jdkms ]] || die "--only takes debian or jdkms"
            shift
            ;;
        --meminfo-mib) meminfo=${2:?--meminfo-mib needs a number}; shift ;;
        --limit-mib) limit=${2:?--limit-mib needs a number}; shift ;;
        -h | --help) usage; return 0 ;;
        -*) usage >&2; die "unknown option $1" ;;
        *) pkgs+=("$1") ;;
        esac
        shift
    done
    [[ $meminfo =~ ^[0-9]+$ ]] || die "--meminfo-mib needs a number of MiB"
    [[ $limit =~ ^[0-9]+$ ]] || die "--limit-mib needs a number of MiB"
    ((EUID == 0)) || die "needs root (sandboxes, apt)"
    local debs=("$ROOT"/apt-hook/target/jdkms_*_all.deb)
    [[ -f ${debs[0]} ]] || die "no apt-hook/target/jdkms_*_all.deb: build it first (mvn -B package -DskipTests)"
    ((${#pkgs[@]})) || pkgs=("${DEFAULT[@]}")
    local state rc=0 memcg='' run=() envs=()
    state=$(mktemp -d /var/tmp/jdkms-heavy-bench.XXXXXX)
    if ((limit > 0)); then
        memcg=$(memcg_create "$limit")
        # shellcheck disable=SC2016 # expanded by the inner bash: it moves itself, then execs
        run=(bash -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$memcg")
        envs=(--cgroups --env "BENCH_MEMCG=$memcg" --env "BENCH_LIMIT_MIB=$limit")
    fi
    "${run[@]}" "$ROOT/tests/sandbox/sandbox" --state "$state" --expose "$ROOT" "${envs[@]}" -- \
        "$BENCH" __inner__ "${debs[0]}" /bench-logs/table.md "$order" "$meminfo" "${pkgs[@]}" || rc=$?
    if [[ $memcg ]]; then rmdir "$memcg" 2> /dev/null || echo "heavy-bench: the cgroup $memcg is left" >&2; fi
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
