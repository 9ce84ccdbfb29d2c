# Sourced by infra/demo.sh and infra/test.sh: find the Swift toolchain on machines where it
# is installed but not on PATH (it lives in /opt/swift on our build machines).
if ! command -v swift >/dev/null 2>&1; then
  for dir in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
    [ -x "$dir/swift" ] && export PATH="$dir:$PATH" && break
  done
fi
command -v swift >/dev/null 2>&1 || { echo "swift is not installed (https://swift.org/install)" >&2; exit 1; }
