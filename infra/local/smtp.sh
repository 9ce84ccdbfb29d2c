#!/usr/bin/env bash
# The local mail server: aiosmtpd (Debian python3-aiosmtpd) on loopback port $SLUICE_SMTP_PORT,
# keeping every message it receives in the Maildir $SLUICE_MAIL (one file per mail under
# new/). notify sends to it by default (notify.smtp.url); read the codes the gateway mails
# with `ls -t var/mail/new | head -1`.
#   smtp.sh start|stop|status
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/env.sh"

listening() { python3 - "$SLUICE_SMTP_PORT" <<'PY' 2>/dev/null
import smtplib, sys
s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=2); s.noop(); s.quit()
PY
}

case "${1:-status}" in
  start)
    listening && exit 0
    mkdir -p "$SLUICE_MAIL"/{new,cur,tmp} "$SLUICE_LOGS"
    echo "Starting the SMTP server on 127.0.0.1:$SLUICE_SMTP_PORT (mail: $SLUICE_MAIL/new)"
    # The Debian package installs into the system Python, whatever python3 is first on PATH.
    (exec setsid nohup /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SLUICE_SMTP_PORT" \
       -c aiosmtpd.handlers.Mailbox "$SLUICE_MAIL") </dev/null >>"$SLUICE_LOGS/smtp.log" 2>&1 &
    echo $! >"$SLUICE_VAR/smtp.pid"
    for _ in $(seq 1 50); do listening && exit 0; sleep 0.2; done
    echo "the SMTP server did not start; see $SLUICE_LOGS/smtp.log" >&2; exit 1 ;;
  stop)
    [ -f "$SLUICE_VAR/smtp.pid" ] && kill "$(cat "$SLUICE_VAR/smtp.pid")" 2>/dev/null || true
    rm -f "$SLUICE_VAR/smtp.pid" ;;
  status)
    if listening; then echo "SMTP: up (127.0.0.1:$SLUICE_SMTP_PORT, mail in $SLUICE_MAIL/new)"; else echo "SMTP: down"; exit 1; fi ;;
esac
