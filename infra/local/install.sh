#!/usr/bin/env bash
# Installs the Debian packages Sluice needs locally. Skips apt entirely when all are present,
# so it is cheap to call from up.sh every time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

# Build: rabbitmq-c, libcurl, cairo (PDF reports), zlib (XLSX outputs' deflate), libargon2 (the
# gateway's password hashes); DejaVu fonts
# for the PDF text. Tests: poppler-utils (pdftotext), python3-pip (the frictionless-py oracle
# and openpyxl; see python.sh), python3-venv (schemathesis, in its own venv), python3-aiosmtpd
# (the local SMTP server, smtp.sh) and wrk (the gateway benchmark).
packages=(rabbitmq-server postgresql librabbitmq-dev libcurl4-openssl-dev libcairo2-dev zlib1g-dev libargon2-dev
          fonts-dejavu-core pkg-config curl python3 python3-pip python3-venv poppler-utils python3-aiosmtpd wrk)

missing=()
for p in "${packages[@]}"; do
  # dpkg-query exits 0 for removed-but-not-purged packages too, so check the status text.
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

require_root
echo "Installing: ${missing[*]}"
# Keep the packages' maintainer scripts from starting the system-wide rabbitmq/postgres
# (on 5672/5432): we run our own project-local instances. Only if no policy exists yet.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
