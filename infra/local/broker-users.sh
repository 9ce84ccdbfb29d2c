#!/usr/bin/env bash
# One RabbitMQ user per service with least privilege, and a `producer` user that may only
# publish job.submit (docs/messages.md#broker-users). Idempotent; run by up.sh.
#
# Per service (user sluice_<svc>, password sluice_<svc> locally):
#   configure  ^sluice\..*            every service declares the whole topology on connect
#                                      (so start order never matters), which needs this
#   write      ^sluice\..*|^amq\.default$   bind queues, publish to the exchanges, retries
#   read       its own queue (incident: every DLQ) and the exchanges it binds to
#   topic      sluice.events: write only the message types it produces (docs/asyncapi.json's
#              x-sluice-producers, plus redrive.succeeded, which every runtime sends)
# producer: configure nothing, write sluice.events only, read nothing; topic write ^job\.submit(\.(urgent|low))?$.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/env.sh"
vhost=$SLUICE_RMQ_VHOST

ensure_user() {  # name password
  if rmqctl list_users | cut -f1 | grep -qx "$1"; then
    rmqctl change_password "$1" "$2" >/dev/null
  else
    rmqctl add_user "$1" "$2" >/dev/null
  fi
}

# The routing keys each service publishes, from the message contract.
produced() {
  python3 - "$here/../../docs/asyncapi.json" "$1" <<'PY'
import json, sys
document, service = json.load(open(sys.argv[1])), sys.argv[2]
keys = sorted(set(name for name, channel in document["channels"].items() if service in channel.get("x-sluice-producers", [])) - {"redrive.succeeded"})
# Work of urgent and low jobs travels under `<type>.urgent` / `<type>.low` (docs/messages.md#priorities).
print("^(" + "|".join(k.replace(".", "\\.") for k in keys + ["redrive.succeeded"]) + ")(\\.(urgent|low))?$")
PY
}

for service in $SLUICE_SERVICES; do
  user="sluice_$service"
  ensure_user "$user" "$user"
  read="^sluice\\.(events|dlx)\$|^sluice\\.$service(\\..*)?\$"
  [ "$service" = incident ] && read="$read|^sluice\\.[^.]+\\.dlq\$"
  rmqctl set_permissions -p "$vhost" "$user" '^sluice\..*' '^sluice\..*|^amq\.default$' "$read" >/dev/null
  rmqctl set_topic_permissions -p "$vhost" "$user" sluice.events "$(produced "$service")" '.*' >/dev/null
done

# The gateway reads queue depths from the management API (GET /api/v1/queues).
rmqctl set_user_tags sluice_gateway management >/dev/null

ensure_user producer producer
rmqctl set_permissions -p "$vhost" producer '^$' '^sluice\.events$' '^$' >/dev/null
rmqctl set_topic_permissions -p "$vhost" producer sluice.events '^job\.submit(\.(urgent|low))?$' '^$' >/dev/null
