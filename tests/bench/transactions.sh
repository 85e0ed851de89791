#!/bin/bash
# transactions.sh - autoinstall and status benchmark: jdkms against upstream bash dkms.
#
#   sudo tests/bench/transactions.sh [--upstream DIR] [--kernels N] [--runs N] [--skip-status]
#                                    [--skip-autoinstall] [--keep] [--spans] [--impl A,B]
#                                    [--state DIR]
#
# Autoinstall: the sources of four real Debian module packages (v4l2loopback-dkms, evdi-dkms,
# gost-crypto-dkms, xtables-addons-dkms; `apt-get download`ed and unpacked inside the sandbox) are
# added and then installed for N kernels (default 2) from an empty build state:
#   upstream  `dkms autoinstall -k K` for each kernel (what the kernel hooks run), bash dkms 3.4.3
#             built with `make` from a copy of DIR (default: ../shared/compat/upstream/dkms-3.4.3.tar.gz
#             beside the repository, unpacked into a temporary directory)
#   jdkms     `jdkms transaction --kernel-added K1 ... --kernel-added KN` (one plan, parallel builds)
#   jdkms-ai  jdkms's drop-in `dkms autoinstall -k K` for each kernel
# alternating, each run in a fresh copy of one prepared sandbox, with the same MOK key. Every make
# goes through a wrapper that records its CPU time (user+sys of make and all its children); the
# ideal is the total make CPU time of the run / the number of CPUs, and each wall time is printed
# with its ratio to that ideal and to upstream's.
# Status: 30 module versions (10 modules x 3 versions) built for 3 kernels, the newest version
# installed; `dkms status` timed with hyperfine (or a loop) for upstream, jdkms, and jdkms with
# every dkms.conf sent through bash (JDKMS_CONF_FASTPATH=0); the outputs must be identical.
#
# Prints figures, asserts nothing (except that the status outputs agree). Needs root, the network
# (Debian mirror) for apt inside the sandbox, and a built dkms-cli/target/dkms.jar. Missing kernel
# headers for --kernels N are installed inside the sandbox only. The host is never changed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SANDBOX=$ROOT/tests/sandbox/sandbox
SELF=$ROOT/tests/bench/transactions.sh
MODULES=(v4l2loopback-dkms evdi-dkms gost-crypto-dkms xtables-addons-dkms)

# ---------------------------------------------------------------- inside the sandbox
if [[ ${1:-} == --inside ]]; then
    shift
    step=$1; shift
    B=/opt/bench
    case $step in
    wrapper)
        # Every make records the CPU time of its whole process tree.
        cat > /usr/local/bin/make <<'EOF'
#!/bin/bash
TIMEFORMAT='%3U %3S'
# builtins only around make, so the wrapper itself costs next to nothing
s=$EPOCHREALTIME t=/opt/bench/cpu.$$.$RANDOM
{ time /usr/bin/make "$@" 2>&8 8>&-; } 8>&2 2> "$t"
rc=$?
read -r u y < "$t"
echo "$u $y" >> /opt/bench/makecpu
echo "$s $EPOCHREALTIME $u $y ${PWD#/var/lib/dkms/} $*" >> /opt/bench/makespan
exit $rc
EOF
        chmod 755 /usr/local/bin/make
        ;;
    prep)
        upstream=$1 nkernels=$2
        mkdir -p $B/debs $B/x
        export DEBIAN_FRONTEND=noninteractive
        apt_get() { apt-get -o DPkg::Lock::Timeout=600 -q "$@"; }
        (cd $B/debs && apt_get download "${MODULES[@]}" > /dev/null 2>&1) || {
            apt_get update > /dev/null 2>&1; (cd $B/debs && apt_get download "${MODULES[@]}" > /dev/null); }
        for d in $B/debs/*.deb; do dpkg-deb -x "$d" $B/x; done
        cp -a $B/x/usr/src/* /usr/src/
        mapfile -t have < <(for d in /lib/modules/*/build/include; do [[ -e $d ]] && basename "$(dirname "$(dirname "$d")")"; done | sort -V)
        if (( ${#have[@]} < nkernels )); then
            # shellcheck source=tests/lib/kernel-series.sh
            . "$ROOT/tests/lib/kernel-series.sh"   # the release's default series, any Debian release
            mapfile -t all < <(headers_packages | sed 's/^linux-headers-//')
            want=()
            for (( i=${#all[@]}-1; i>=0 && ${#have[@]} + ${#want[@]} < nkernels; i-- )); do
                [[ " ${have[*]} " == *" ${all[i]} "* ]] || want+=("linux-headers-${all[i]}")
            done
            echo "installing ${want[*]} (inside the sandbox only)" >&2
            apt_get install -y --no-install-recommends "${want[@]}" > /dev/null 2>&1 || {
                apt_get update > /dev/null 2>&1; apt_get install -y --no-install-recommends "${want[@]}" > /dev/null; }
        fi
        for d in /lib/modules/*/build/include; do [[ -e $d ]] && basename "$(dirname "$(dirname "$d")")"; done | sort -V | tail -n "$nkernels" > $B/kernels
        cp -a "$upstream" $B/upstream && make -s -C $B/upstream > /dev/null && chmod 755 $B/upstream/dkms
        (cd "$ROOT" && ./run install > /dev/null)
        install -m 755 "$ROOT/dkms-cli/src/main/dist/bin/jdkms" /usr/lib/jdkms/bin/jdkms
        mkdir -p /etc/dkms/framework.conf.d
        dkms generate_mok > /dev/null
        bash "$SELF" --inside wrapper
        for d in $B/x/usr/src/*/; do [[ -f $d/dkms.conf ]] && basename "$d"; done > $B/sources
        echo "kernels: $(tr '\n' ' ' < $B/kernels)" >&2
        echo "sources: $(tr '\n' ' ' < $B/sources)" >&2
        ;;
    autoinstall)
        impl=$1
        mapfile -t K < $B/kernels
        if [[ $impl == upstream ]]; then DKMS=$B/upstream/dkms; else DKMS=dkms; fi
        while read -r s; do
            $DKMS add "${s%-*}/${s##*-}" > /dev/null 2>&1 || echo "add $s failed" >&2
        done < $B/sources
        : > $B/makecpu
        : > $B/makespan
        busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
        b0=$(busy)
        start=$(date +%s.%N)
        TIMEFORMAT='%3U %3S'
        { time {
        case $impl in
            upstream | jdkms-ai) for k in "${K[@]}"; do $DKMS autoinstall -k "$k" > $B/out.$k 2>&1 || true; done ;;
            jdkms) args=(); for k in "${K[@]}"; do args+=(--kernel-added "$k"); done
                   /usr/lib/jdkms/bin/jdkms transaction "${args[@]}" > $B/out 2>&1 || true ;;
        esac
        } 2> /dev/null; } 2> $B/treecpu
        end=$(date +%s.%N)
        b1=$(busy)
        installed=$($DKMS status | grep -c ': installed' || true)
        cpu=$(awk '{s += $1 + $2} END {printf "%.2f", s}' $B/makecpu)
        tree=$(awk '{printf "%.2f", $1 + $2}' $B/treecpu)
        # machine-wide busy CPU (all processes, from /proc/stat) over the run, in seconds
        hz=$(getconf CLK_TCK)
        machine=$(echo "scale=2; ($b1 - $b0) / $hz" | bc)
        # how long 0, 1, 2... makes ran at once between the first make's start and the run's end
        awk -v end="$end" '{ print $1, 1; print $2, -1 } END { print end, 0 }' $B/makespan | sort -n |
            awk -v start="$start" '{ if (NR > 1 && n >= 0) t[n] += $1 - prev; if (NR == 1) first = $1; n += $2; prev = $1 }
                 END { printf "PROFILE first make at +%.2fs, then", first - start; for (k = 0; k < 9; k++) if (k in t) printf " %d makes %.1fs", k, t[k]; print "" }' >&2
        if [[ ${BENCH_SPANS:-} ]]; then
            sort -n $B/makespan |
                awk -v start="$start" '{ a = ""; for (i = 6; i <= NF && i < 10; i++) a = a " " $i
                    printf "PROFILE   %6.1f %6.1f  cpu %5.1f  %s %s\n", $1 - start, $2 - start, $3 + $4, $5, substr(a, 1, 70) }' >&2
        fi
        echo "RESULT $impl $(echo "$end - $start" | bc) $cpu $(wc -l < $B/makecpu) $installed $tree $machine"
        ;;
    status)
        mapfile -t K < $B/kernels
        arch=$(uname -m)
        extra=6.1.0-1-bench
        mkdir -p /lib/modules/$extra/updates/dkms
        # one real build per kernel with headers, copied to every version and a third kernel
        kernels=("${K[@]:0:2}" $extra)
        src=/usr/src/jdkms_hello-1.0
        cp -a "$ROOT/tests/fixtures/jdkms_hello-1.0" $src
        for i in $(seq -w 1 10); do
            for v in 1.0 1.1 1.2; do
                m=bench$i
                d=/usr/src/$m-$v
                cp -a $src "$d"
                sed -i "s/jdkms_hello/$m/g; s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$v\"/" "$d/dkms.conf" "$d/Makefile"
                mkdir -p /var/lib/dkms/$m/$v/build
                ln -s "$d" /var/lib/dkms/$m/$v/source
            done
        done
        for k in "${K[@]:0:2}"; do
            dkms build bench01/1.0 -k "$k" > /dev/null
        done
        for i in $(seq -w 1 10); do
            m=bench$i
            for v in 1.0 1.1 1.2; do
                for j in 0 1 2; do
                    k=${kernels[j]}; kb=${K[$(( j < 2 ? j : 1 ))]}
                    t=/var/lib/dkms/$m/$v/$k/$arch
                    [[ -d $t ]] && continue
                    mkdir -p "$t/module" "$t/log"
                    cp /var/lib/dkms/bench01/1.0/$kb/$arch/module/bench01.ko "$t/module/$m.ko"
                done
            done
            for k in "${kernels[@]}"; do
                ln -sfn "1.2/$k/$arch" /var/lib/dkms/$m/kernel-$k-$arch
                mkdir -p /lib/modules/$k/updates/dkms
                cp /var/lib/dkms/$m/1.2/$k/$arch/module/$m.ko /lib/modules/$k/updates/dkms/
            done
        done
        rm -rf /usr/src/jdkms_hello-1.0
        "$B/upstream/dkms" status > $B/st.upstream 2>&1
        dkms status > $B/st.jdkms 2>&1
        JDKMS_CONF_FASTPATH=0 dkms status > $B/st.jdkms-bash 2>&1
        echo "status lines: $(wc -l < $B/st.upstream)"
        if cmp -s $B/st.upstream $B/st.jdkms && cmp -s $B/st.upstream $B/st.jdkms-bash; then
            echo "status outputs: identical"
        else
            echo "status outputs: DIFFER"; diff $B/st.upstream $B/st.jdkms | head -20 || true
        fi
        if command -v hyperfine > /dev/null; then
            hyperfine -N --warmup 1 --runs "${STATUS_RUNS:-5}" --export-json $B/status.json \
                -n upstream "$B/upstream/dkms status" \
                -n jdkms "dkms status" \
                -n jdkms-bash "env JDKMS_CONF_FASTPATH=0 dkms status" > /dev/null
            python3 - $B/status.json <<'EOF'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
up = r["upstream"]["median"]
for n in ("upstream", "jdkms", "jdkms-bash"):
    m = r[n]["median"]
    print(f"STATUS {n:<11} median {m:7.3f} s   {m / up:5.3f} x upstream")
EOF
        else
            for n in upstream jdkms jdkms-bash; do
                s=$(date +%s.%N)
                for _ in 1 2 3; do
                    case $n in upstream) "$B/upstream/dkms" status ;; jdkms) dkms status ;;
                        *) JDKMS_CONF_FASTPATH=0 dkms status ;; esac > /dev/null 2>&1
                done
                echo "STATUS $n $(echo "($(date +%s.%N) - $s) / 3" | bc -l)"
            done
        fi
        ;;
    esac
    exit 0
fi

# ---------------------------------------------------------------- on the host
upstream= nkernels=2 runs=2 do_status=1 do_auto=1 keep=0 spans= state= impls=(upstream jdkms jdkms-ai)
while (( $# )); do
    case $1 in
        --upstream) upstream=$2; shift 2 ;;
        --kernels) nkernels=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --skip-status) do_status=0; shift ;;
        --skip-autoinstall) do_auto=0; shift ;;
        --keep) keep=1; shift ;;
        --spans) spans=1; shift ;;
        --state) state=$2; shift 2 ;;
        --impl) read -r -a impls <<< "${2//,/ }"; shift 2 ;;
        -h | --help) sed -n '2,28p' "$0"; exit 0 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
[[ -r $ROOT/dkms-cli/target/dkms.jar ]] || { echo "build first: mvn -B -o package -DskipTests" >&2; exit 1; }
if [[ $state ]]; then
    STATE=$state keep=1; mkdir -p "$STATE"
else
    STATE=$(mktemp -d /var/tmp/jdkms-bench.XXXXXX)
fi
unpacked=$(mktemp -d /var/tmp/jdkms-bench-upstream.XXXXXX)
trap '(( keep )) || rm -rf "$STATE"; rm -rf "$unpacked"' EXIT
if [[ -z $upstream ]]; then
    # shellcheck source=tests/bench/upstream.sh
    . "$ROOT/tests/bench/upstream.sh"
    upstream=$(upstream_unpack "$unpacked") || exit 1
fi
[[ -r $upstream/dkms.in ]] || { echo "no upstream dkms checkout at $upstream" >&2; exit 1; }
sbx() { local st=$1; shift; "$SANDBOX" --state "$st" --expose "$ROOT" --expose "$upstream" --env "BENCH_SPANS=$spans" -- "$@"; }
cpus=$(nproc)
echo "machine: $cpus CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); kernels: $nkernels; runs: $runs"
echo "preparing (apt-get download ${MODULES[*]} inside a sandbox)..."
if [[ -d $STATE/prep/upper/opt/bench ]]; then
    echo "(reusing the prepared sandbox in $STATE; jdkms is re-installed from $ROOT)"
    sbx "$STATE/prep" bash -c 'cd "$1" && ./run install > /dev/null && install -m 755 dkms-cli/src/main/dist/bin/jdkms /usr/lib/jdkms/bin/jdkms && bash "$2" --inside wrapper' _ "$ROOT" "$SELF"
else
    sbx "$STATE/prep" bash "$SELF" --inside prep "$upstream" "$nkernels"
fi

if (( do_auto )); then
    declare -A wall cpu
    for (( r = 1; r <= runs; r++ )); do
        order=("${impls[@]}")
        if (( r % 2 == 0 )); then order=(); for (( i = ${#impls[@]} - 1; i >= 0; i-- )); do order+=("${impls[i]}"); done; fi
        for impl in "${order[@]}"; do
            d=$STATE/run-$r-$impl
            mkdir -p "$d" && cp -a "$STATE/prep/upper" "$d/"
            line=$(sbx "$d" bash "$SELF" --inside autoinstall "$impl" 2> "$d/profile" | grep '^RESULT')
            read -r _ _ w c n inst tree machine <<< "$line"
            idle=$(echo "$w * $cpus - $machine" | bc)
            echo "run $r $impl: wall ${w}s, make CPU ${c}s in $n makes, whole run CPU ${tree}s (machine busy ${machine}s, idle ${idle} CPU-s), $inst installed (load average $(cut -d' ' -f1 /proc/loadavg))"
            grep -h '^PROFILE' "$d/profile" 2> /dev/null | sed 's/^PROFILE /  make concurrency: /; s/^PROFILE//' || true
            grep -v '^PROFILE' "$d/profile" >&2 || true
            wall[$impl]="${wall[$impl]:-} $w"; cpu[$impl]="${cpu[$impl]:-} $c"
            rm -rf "$d"
        done
    done
    med() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
    up=$(med <<< "${wall[upstream]:-}")
    echo
    printf '%-10s %9s %9s %9s %11s\n' impl "wall s" "ideal s" "÷ ideal" "÷ upstream"
    for impl in "${impls[@]}"; do
        w=$(med <<< "${wall[$impl]}"); c=$(med <<< "${cpu[$impl]}")
        ideal=$(echo "$c / $cpus" | bc -l)
        vs=-; [[ $up ]] && vs=$(printf '%.2f' "$(echo "$w / $up" | bc -l)")
        printf '%-10s %9.1f %9.1f %9.2f %11s\n' "$impl" "$w" "$ideal" "$(echo "$w / $ideal" | bc -l)" "$vs"
    done
    echo "(ideal = total CPU time of the run's make processes / $cpus CPUs; medians of $runs runs)"
fi

if (( do_status )); then
    echo
    echo "status: 30 module versions x 3 kernels"
    rm -rf "$STATE/status" && mkdir -p "$STATE/status" && cp -a "$STATE/prep/upper" "$STATE/status/"
    sbx "$STATE/status" bash "$SELF" --inside status
fi
