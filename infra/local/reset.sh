#!/usr/bin/env bash
# Clean slate: stops everything and deletes all local state ($SLUICE_VAR). Run up.sh afterwards.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/env.sh"
require_root

"$here/down.sh"
# Guard against an empty or odd SLUICE_VAR before rm -rf.
case "$SLUICE_VAR" in
  ""|/|"$SLUICE_ROOT"|"$HOME") echo "reset.sh: refusing to delete SLUICE_VAR='$SLUICE_VAR'" >&2; exit 1 ;;
esac
echo "Deleting $SLUICE_VAR"
rm -rf -- "$SLUICE_VAR"
