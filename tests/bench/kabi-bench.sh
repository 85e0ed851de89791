#!/bin/bash
# kabi-bench.sh - kABI verdict benchmark: 50 real modules x 3 kernels, cold and warm.
#
# Builds N small real modules (default 50) against the newest installed kernel headers, each
# importing 20-40 kernel symbols (cached in the work directory between runs), lays out a root with
# three kernels: the two newest with headers, plus a fabricated one whose symvers has 1% of the
# CRCs changed. Then runs tests/bench/KabiBench.java on dkms.jar with the launcher's JVM flags, on
# every JDK >= 17 found: round 1 in a fresh JVM with an empty ABI cache (cold), then warm rounds.
# It measures and prints; it never asserts timings.
set -euo pipefail

usage() {
    echo "Usage: tests/bench/kabi-bench.sh [--modules N] [--rounds N] [--work DIR]"
}

HERE=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(cd -- "$HERE/../.." && pwd)
N=50 ROUNDS=10 WORK=$ROOT/tests/target/kabi-bench
while (($#)); do
    case $1 in
        --modules) N=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --work) WORK=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done
die() { echo "kabi-bench: $*" >&2; exit 1; }

mapfile -t KERNELS < <(for d in /lib/modules/*/build/Makefile; do [ -f "$d" ] && basename "$(dirname "$(dirname "$d")")"; done | sort -V)
((${#KERNELS[@]} >= 2)) || die "needs two kernels with headers under /lib/modules/K/build"
OLDER=${KERNELS[-2]} NEWER=${KERNELS[-1]} FAKE=${NEWER%%-*}-99-kabibench

JAR=$ROOT/dkms-cli/target/dkms.jar
if [ ! -f "$JAR" ]; then
    (cd "$ROOT" && mvn -q -B -o package -DskipTests -Dspotless.check.skip) || die "cannot build $JAR"
fi
mkdir -p "$WORK"

# ---- N modules built for NEWER, cached (rebuilt only when N or the kernel changes)
MODS=$WORK/modules-$NEWER-$N
if [ ! -f "$MODS/.done" ]; then
    rm -rf "$MODS"; mkdir -p "$MODS"
    # plain vmlinux exports with C-identifier names, deterministic order
    awk -F'\t' '$3 == "vmlinux" && $5 == "" && $2 ~ /^[a-z][a-z0-9_]*$/ {print $2}' \
        "/lib/modules/$NEWER/build/Module.symvers" | sort > "$MODS/symbols"
    total=$(wc -l < "$MODS/symbols")
    objs=
    for ((i = 0; i < N; i++)); do
        count=$((20 + (i * 7) % 21))
        awk -v seed="$i" -v n="$count" -v total="$total" 'BEGIN{srand(seed+1)} {s[NR]=$0}
            END{printf "/* no headers: the symbols are only referenced */\n";
                for (k = 0; k < n; k++) { pick[k] = s[1 + int(rand() * total)]; printf "extern char %s[];\n", pick[k] }
                printf "void *kb_refs_%d[] __attribute__((used)) = {\n", seed;
                for (k = 0; k < n; k++) printf "  %s,\n", pick[k]; printf "};\n"}' \
            "$MODS/symbols" > "$MODS/kb${i}_refs.c"
        printf '#include <linux/module.h>\nstatic int __init kb_init(void) { return 0; }\nmodule_init(kb_init);\nMODULE_LICENSE("GPL");\n' > "$MODS/kb${i}_main.c"
        objs+="obj-m += kb$i.o
kb$i-y := kb${i}_main.o kb${i}_refs.o
"
    done
    printf '%s' "$objs" > "$MODS/Kbuild"
    echo "kabi-bench: building $N modules against $NEWER (once; cached in $MODS) ..."
    make -s -j"$(nproc)" KCFLAGS=-w -C "/lib/modules/$NEWER/build" M="$MODS" modules > "$MODS/make.log" 2>&1 \
        || { tail -20 "$MODS/make.log"; die "module build failed"; }
    touch "$MODS/.done"
fi
mapfile -t KOS < <(ls "$MODS"/kb*.ko | sort -V)

# ---- a root with three kernels
R=$WORK/root
rm -rf "$R"; mkdir -p "$R/lib/modules"
for k in "$OLDER" "$NEWER"; do
    mkdir -p "$R/lib/modules/$k"
    ln -s "$(readlink -f "/lib/modules/$k/build")" "$R/lib/modules/$k/build"
done
mkdir -p "$R/lib/modules/$FAKE/build"
awk -F'\t' 'BEGIN{OFS="\t"} NR % 97 == 0 {$1 = sprintf("0x%08x", NR)} {print}' \
    "/lib/modules/$NEWER/build/Module.symvers" > "$R/lib/modules/$FAKE/build/Module.symvers"
cp "/lib/modules/$NEWER/build/.config" "$R/lib/modules/$FAKE/build/.config"
# installed kernels with nothing built in or installed yet (headers-only kernels have neither file)
for k in "$OLDER" "$NEWER" "$FAKE"; do
    : > "$R/lib/modules/$k/modules.builtin"; : > "$R/lib/modules/$k/modules.dep"
done

# ---- compile the driver against the jar, run on every JDK >= 17
CLASSES=$WORK/classes
mkdir -p "$CLASSES"
javac -nowarn --release 17 -cp "$JAR" -d "$CLASSES" "$HERE/KabiBench.java"
echo "kernels: $OLDER, $NEWER, $FAKE (fabricated: 1% of CRCs changed); $N modules built for $NEWER"
for rel in /usr/lib/jvm/*/release; do
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel")
    java=${rel%/release}/bin/java
    [ -n "$v" ] && [ "$v" -ge 17 ] && [ -x "$java" ] || continue
    [ -L "${rel%/release}" ] && continue
    echo
    echo "== $java (Java $v), flags as bin/jdkms: -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
    start=$(date +%s%N)
    "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -cp "$JAR:$CLASSES" \
        KabiBench "$R" "$ROUNDS" "$OLDER,$NEWER,$FAKE" "${KOS[@]}"
    end=$(date +%s%N)
    echo "(whole process incl. warm rounds: $(( (end - start) / 1000000 )) ms)"
done
