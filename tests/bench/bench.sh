#!/bin/bash
# bench.sh - start-up benchmark of `dkms --version` and `dkms status` (run it as ./run bench).
#
# Measures, with hyperfine (-N, warm-ups, >= 20 runs), all inside one sandbox:
#   jdkms on JDK 17, JDK 17 + AppCDS, JDK 25+, JDK 25+ with the AOT cache (the JDKs found on
#   this machine), and upstream bash dkms 3.4.3 (from ../shared, or a checkout given; built by
#   `make` in a copy; the checkout itself is never written to). Prints a table of medians and the ratio to
#   upstream. It measures and prints; it never asserts timings.
set -euo pipefail

usage() {
    cat << 'EOF'
Usage: ./run bench [--runs N] [--warmup N] [--out DIR] [UPSTREAM_DKMS_CHECKOUT]

  UPSTREAM_DKMS_CHECKOUT  a dkms-project/dkms checkout (dkms.in + Makefile); default: dkms 3.4.3
                          from ../shared/compat/upstream beside the repository
  --runs N                hyperfine runs per command (default 30, at least 20)
  --warmup N              hyperfine warm-up runs (default 5)
  --out DIR               also copy hyperfine's CSV/JSON exports and the table to DIR
EOF
}

BENCH=$(readlink -f -- "${BASH_SOURCE[0]}")
ROOT=$(cd -- "$(dirname -- "$BENCH")/../.." && pwd)
die() { echo "bench: $*" >&2; exit 1; }

# ------------------------------------------------------------------ inside the sandbox
inner() {
    local runs=$1 warmup=$2 j17=$3 j25=$4 upstream=$5
    local res=/bench-results names=() cmds=() log=/tmp/bench-setup.log
    mkdir -p "$res"
    : > "$log"
    add() { names+=("$1"); cmds+=("$2"); }
    install_variant() {   # PREFIX JAVA [--no-cache]
        "$ROOT/run" install --prefix "$1" --java "$2" "${@:3}" >> "$log" 2>&1 ||
            { cat "$log" >&2; die "installing jdkms into $1 failed"; }
    }
    echo "Setting up the implementations (sandboxed)..."
    if [[ $upstream ]]; then
        mkdir -p /tmp/upstream-dkms
        tar -C "$upstream" --exclude=.git -cf - . | tar -C /tmp/upstream-dkms -xf -
        make -C /tmp/upstream-dkms >> "$log" 2>&1 || { cat "$log" >&2; die "make in a copy of $upstream failed"; }
        make -C /tmp/upstream-dkms install >> "$log" 2>&1 || { cat "$log" >&2; die "make install failed"; }
        add "upstream $(/usr/sbin/dkms --version 2>/dev/null | head -n1) (bash)" /usr/sbin/dkms
    fi
    if [[ $j17 ]]; then
        install_variant /opt/jdkms-17 "$j17" --no-cache
        install_variant /opt/jdkms-17-cds "$j17"
        add "jdkms on JDK 17" /opt/jdkms-17/sbin/dkms
        add "jdkms on JDK 17 + AppCDS" /opt/jdkms-17-cds/sbin/dkms
    fi
    if [[ $j25 ]]; then
        local f
        f=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$(dirname "$(dirname "$j25")")/release" 2>/dev/null || true)
        install_variant /opt/jdkms-25 "$j25" --no-cache
        install_variant /opt/jdkms-25-aot "$j25"
        add "jdkms on JDK ${f:-25}" /opt/jdkms-25/sbin/dkms
        [[ -f /opt/jdkms-25-aot/lib/jdkms/lib/dkms.aot ]] &&
            add "jdkms on JDK ${f:-25} + AOT cache" /opt/jdkms-25-aot/sbin/dkms
    fi
    (( ${#names[@]} )) || die "nothing to measure"

    local action i args
    for action in --version status; do
        args=()
        for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]} $action"); done
        echo
        echo "== hyperfine: dkms $action =="
        # -i: the CLI is under construction; a non-zero exit must not stop the measurement.
        hyperfine -N -i --style basic --warmup "$warmup" --runs "$runs" \
            --export-csv "$res/${action#--}.csv" --export-json "$res/${action#--}.json" "${args[@]}"
    done
    table "$res" "$runs" "$warmup" "${names[@]}" | tee "$res/table.txt"
}

# median (ms) of the row named $2 in hyperfine CSV $1 (command,mean,stddev,median,... in s)
median_ms() {
    awk -F, -v n="$2" 'NR > 1 { c = $1; gsub(/"/, "", c); if (c == n) { printf "%.1f", $4 * 1000; exit } }' "$1"
}
table() {
    local res=$1 runs=$2 warmup=$3 name v s uv='' us='' rv rs
    shift 3
    if [[ $1 == upstream* ]]; then
        uv=$(median_ms "$res/version.csv" "$1") us=$(median_ms "$res/status.csv" "$1")
    fi
    echo
    echo "Start-up, median of $runs runs after $warmup warm-ups (hyperfine -N), milliseconds"
    printf '%-34s %14s %8s %14s %8s\n' implementation 'dkms --version' ratio 'dkms status' ratio
    for name; do
        v=$(median_ms "$res/version.csv" "$name") s=$(median_ms "$res/status.csv" "$name")
        rv=- rs=-
        [[ $uv && $v ]] && rv=$(awk -v a="$v" -v b="$uv" 'BEGIN { printf "%.1fx", a / b }')
        [[ $us && $s ]] && rs=$(awk -v a="$s" -v b="$us" 'BEGIN { printf "%.1fx", a / b }')
        printf '%-34s %14s %8s %14s %8s\n' "$name" "${v:--}" "$rv" "${s:--}" "$rs"
    done
}

if [[ ${1-} == __inner__ ]]; then
    shift
    inner "$@"
    exit
fi

# ------------------------------------------------------------------ on the host
runs=30 warmup=5 out='' upstream=''
while (( $# )); do
    case $1 in
        --runs) runs=${2:?}; shift 2 ;;
        --warmup) warmup=${2:?}; shift 2 ;;
        --out) out=${2:?}; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        -*) usage >&2; die "unknown option $1" ;;
        *) [[ -z $upstream ]] || die "only one upstream checkout"; upstream=$1; shift ;;
    esac
done
[[ $runs =~ ^[0-9]+$ ]] && (( runs >= 20 )) || die "--runs must be at least 20"
[[ $warmup =~ ^[0-9]+$ ]] || die "--warmup must be a number"
(( EUID == 0 )) || die "must run as root (sandbox)"
state='' unpacked=$(mktemp -d /var/tmp/jdkms-bench-upstream.XXXXXX)
trap 'rm -rf --one-file-system -- ${state:+"$state"} "$unpacked"' EXIT
if [[ -z $upstream ]]; then
    # shellcheck source=tests/bench/upstream.sh
    . "$ROOT/tests/bench/upstream.sh"
    upstream=$(upstream_unpack "$unpacked") || die "cannot unpack upstream dkms"
fi
[[ -f $upstream/dkms.in && -f $upstream/Makefile ]] || die "$upstream is not a dkms checkout (no dkms.in and Makefile)"
upstream=$(readlink -f -- "$upstream")
if ! command -v hyperfine > /dev/null; then
    echo "bench: hyperfine not found, installing it with apt" >&2
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q -y install --no-install-recommends hyperfine ||
        die "hyperfine is needed: apt-get install hyperfine"
fi
[[ -f $ROOT/dkms-cli/target/dkms.jar ]] || (cd "$ROOT" && mvn -B -q package -DskipTests)

j17=$("$ROOT/run" __pick_java__ 17 24 | cut -d' ' -f2-) || true
j25=$("$ROOT/run" __pick_java__ 25 | cut -d' ' -f2-) || true
[[ $j17 ]] || echo "bench: no JDK 17..24 found; its rows are left out" >&2
[[ $j25 ]] || echo "bench: no JDK >= 25 found; its rows are left out" >&2

state=$(mktemp -d "${TMPDIR:-/tmp}/jdkms-bench.XXXXXX")
opts=(--state "$state" --expose "$ROOT" --cwd "$ROOT")
[[ $upstream ]] && opts+=(--expose "$upstream")
"$ROOT/tests/sandbox/sandbox" "${opts[@]}" -- "$BENCH" __inner__ "$runs" "$warmup" "$j17" "$j25" "$upstream"
if [[ $out ]]; then
    mkdir -p "$out"
    cp -a "$state/upper/bench-results/." "$out/"
    echo "results: $out"
fi
