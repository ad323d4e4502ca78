#!/bin/sh
# run.sh - builds the libFuzzer harnesses with clang (ASan + UBSan) from
# the real core sources and runs each for a bounded time on its seed
# corpus.  Needs clang and libclang-rt-14-dev.
#
#   fuzz/run.sh [SECONDS] [TARGET...]      default: 30 s, every target
#
# A crash leaves its input in fuzz/out/TARGET/ and fails the run.  The
# last line of each target's log gives executions and coverage.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-30}
[ $# -gt 0 ] && shift
targets=${*:-$(cd "$top/fuzz" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')}
out="$top/fuzz/out"
mkdir -p "$out"
cc=${FUZZ_CC:-clang}
command -v "$cc" >/dev/null || { echo "fuzz: $cc is not installed (Debian: clang libclang-rt-14-dev)"; exit 1; }

# The core sources each harness links; config.h comes from configure.
core="src/util.c src/lesson.c src/labcmd.c"
[ -f "$top/src/progress.c" ] && core="$core src/progress.c"
[ -f "$top/src/customer.c" ] && core="$core src/customer.c"
[ -f "$top/src/exercise.c" ] && core="$core src/exercise.c"
cfg="$top"
[ -f "$cfg/config.h" ] || { echo "fuzz: run ./configure first (config.h is needed)"; exit 1; }

status=0
for t in $targets; do
	bin="$out/fuzz_$t"
	srcs=""
	for s in $core; do srcs="$srcs $top/$s"; done
	$cc -g -O1 -std=c11 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -I"$cfg" -I"$top/src" \
		-o "$bin" "$top/fuzz/fuzz_$t.c" $srcs -lpthread
	corpus="$top/fuzz/corpus/$t"
	work="$out/corpus-$t"
	mkdir -p "$work" "$out/$t"
	echo "fuzz: $t for $secs s"
	dict=
	[ -f "$top/fuzz/$t.dict" ] && dict="-dict=$top/fuzz/$t.dict"
	if ! "$bin" $dict -max_total_time="$secs" -max_len=65536 -timeout=10 \
		-rss_limit_mb=2048 -artifact_prefix="$out/$t/" \
		-print_final_stats=1 "$work" "$corpus" >"$out/$t.log" 2>&1; then
		echo "fuzz: $t FAILED; see $out/$t.log and $out/$t/"
		tail -n 30 "$out/$t.log"
		status=1
		continue
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log")
	cov=$(grep -o 'cov: [0-9]*' "$out/$t.log" | tail -n 1)
	echo "fuzz: $t: $runs executions without a crash, $cov"
done
exit $status
