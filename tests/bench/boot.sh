#!/bin/bash
# boot.sh - how long each boot-proof scenario takes to boot its guest to the check.
#
# Runs the boot tests (tests/src/test/java/dev/jdkms/tests/boot: QEMU under TCG, Debian's OVMF,
# real Debian kernels and initramfs images) through Maven, then prints one line per guest boot:
# the scenario (test class and boot), how the guest ended and the seconds from QEMU's start to its
# power-off. The figures come from the harness's "[vm]" lines; it asserts nothing beyond the
# tests' own verdict, which it reports. Needs root, like the tests: run it after ./run test has
# installed the prerequisites.
set -euo pipefail
ROOT=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/../.." && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rc=0
(cd "$ROOT" && mvn -B verify -Pintegration -pl tests -am -Dtest='dev/jdkms/tests/boot/*Test.java' \
    -Dsurefire.failIfNoSpecifiedTests=false) > "$log" 2>&1 || rc=$?
echo "boot-proof guests, measured $(date -u +%Y-%m-%d) on $(nproc) cores, TCG (no KVM)"
printf '%-32s %-22s %-8s %s\n' scenario boot ended seconds
awk '$1 == "[vm]" { sub(/:$/, "", $3); ended = $4 ($4 == "exit" ? " " $5 : "")
    printf "%-32s %-22s %-8s %s\n", $2, $3, ended, $(NF - 1) }' "$log"
grep -E '^\[(INFO|ERROR|WARNING)\] Tests run:' "$log" | tail -n 1
(( rc == 0 )) || { echo "boot.sh: the boot tests failed (exit $rc); Maven's log tail:" >&2; tail -n 40 "$log" >&2; }
exit "$rc"
