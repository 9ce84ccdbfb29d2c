#!/usr/bin/env bash
# Benchmark, side by side in one run: a csv.reader floor, the pandas peer (bench/pandas_job.py)
# and Sluice end to end (release build, every service its own process) on the same generated
# file, median of RUNS runs with state reset between runs. Two jobs: "compare" (Table Schema +
# plan, CSV + summary: the pandas comparison, outputs checked equal) and "everything" (all
# seven outputs).
#   bench/run.sh [ROWS] [RUNS] [JOBS]      e.g. bench/run.sh 1000000 3 compare,everything
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. infra/swift-env.sh
ROWS="${1:-1000000}"
RUNS="${2:-3}"
JOBS="${3:-compare,everything}"
infra/local/up.sh
infra/local/python.sh
if ! python3 -c "import pandas" 2>/dev/null; then
  python3 -m pip install -q "pandas" 2>/dev/null || python3 -m pip install -q --break-system-packages "pandas"
fi
swift build -c release --product sluice
swift build -c release --product sluice-bench
BIN="$(swift build -c release --show-bin-path)"
mkdir -p var/logs var/bench
INPUT="var/bench/input-$ROWS.csv"
[ -f "$INPUT" ] || "$BIN/sluice-bench" generate --rows "$ROWS" --out "$INPUT"
python3 bench/harness.py --rows "$ROWS" --runs "$RUNS" --jobs "$JOBS" --input "$INPUT" \
  --sluice "${BIN#"$PWD/"}/sluice"
