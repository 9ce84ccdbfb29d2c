#!/usr/bin/env bash
# Deletes the queues and exchanges tests declared on the local broker (names like
# `t123456789.q`: lower-case letters and a random number, then a dot). Tests give them an x-expires of
# 5–10 minutes, but every broker restart (the restart tests, the benchmark's clean slate)
# starts those clocks again, and ten thousand idle queues cost RabbitMQ's statistics
# collectors about 8% of a core (measured) until they go. Sluice's own topology (`sluice.*`)
# is never touched. Run by infra/test.sh at the end and by the benchmark before each run (the
# benchmark also restarts the broker: never run it while tests are running).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
python3 - "http://127.0.0.1:$SLUICE_RMQ_MGMT_PORT" "$SLUICE_RMQ_VHOST" "$SLUICE_RMQ_USER" "$SLUICE_RMQ_PASSWORD" <<'PY'
import base64, concurrent.futures, json, re, sys, urllib.error, urllib.parse, urllib.request
root, vhost, user, password = sys.argv[1:5]
auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
def call(method, path):
    request = urllib.request.Request(root + path, method=method, headers={"Authorization": auth})
    try:
        return urllib.request.urlopen(request, timeout=60).read()
    except urllib.error.HTTPError as error:
        if error.code != 404:  # already expired: fine
            raise
host = urllib.parse.quote(vhost, safe="")
for kind in ("queues", "exchanges"):
    names = [item["name"] for item in json.loads(call("GET", f"/api/{kind}/{host}?columns=name") or b"[]")
             if re.match(r"^[a-z]+[0-9]+\.", item["name"])]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda name: call("DELETE", f"/api/{kind}/{host}/" + urllib.parse.quote(name, safe="")), names))
    if names:
        print(f"deleted {len(names)} {kind} left by tests")
PY
