#!/usr/bin/env bash
# Installs the Python packages the test suite uses as oracles and readers: frictionless-py
# (the Table Schema oracle), numpy (the percentile oracle) and openpyxl (reads XLSX outputs
# back, writes XLSX fixtures), pyarrow (the oracle for the Arrow chunk format) and pika (another
# language's AMQP client, for the broker users' permissions) and pandas (the oracle for
# calculated metrics).
# Idempotent: pip is only called when an import fails.
set -euo pipefail
if python3 -c "import frictionless, openpyxl, numpy, pyarrow, pika, pandas" 2>/dev/null; then exit 0; fi
packages=("frictionless==5.21.*" "openpyxl==3.1.*" "numpy" "pyarrow" "pika>=1.3,<2" "pandas")
echo "Installing Python test packages: ${packages[*]}"
python3 -m pip install -q "${packages[@]}" 2>/dev/null \
  || python3 -m pip install -q --break-system-packages "${packages[@]}"
python3 -c "import frictionless, openpyxl, numpy, pyarrow, pika, pandas"
