#!/usr/bin/env python3
"""Writes Fixtures/cron_oracle.json: expected cron fire times computed by croniter.

The Swift tests must not depend on Python at run time, so this script computes the
expected next-fire sequences with croniter (the de-facto reference implementation) and
stores them as JSON that CronExpressionOracleTests reads. Re-run it after changing the
case list (the output is deterministic: the generator is seeded):

    pip install 'croniter>=7,<8'
    python3 Tests/UnitTests/Fixtures/cron_oracle.py > Tests/UnitTests/Fixtures/cron_oracle.json

Two kinds of cases:
- a fixed list of expressions from fixed UTC instants (leap days, year ends, 2100);
- at least 500 generated expressions in eight zones (UTC, with daylight saving time, with
  half-hour and three-quarter-hour offsets, southern hemisphere), each from a random start,
  kept only when no offset change of the zone lies between the start and the last fire a
  day either side: croniter's daylight-saving behaviour is not Vixie cron's, so the DST
  rule is tested by hand on real transition dates (CronExpressionTests).

Cases also avoid the one place croniter and Vixie cron disagree away from transitions:
croniter decides the day-of-month/day-of-week OR rule from the *expanded* sets (so `*/2`
counts as restricted and `0-6` as unrestricted), while Vixie cron (and CronExpression)
looks at whether the field text starts with `*`. Those cases are covered by hand-written
tests too.
"""
import json
import random
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from croniter import croniter

FIRES_PER_CASE = 5
GENERATED = 520

# Expressions checked from every UTC start instant.
UTC_EXPRESSIONS = [
    "* * * * *", "*/15 * * * *", "0 2 * * *", "0 3 * * MON", "0 4 * * 0",
    "0 0 1,15 * 5", "0 0 * * 7", "30 8 * JAN-MAR MON-FRI", "5-10/2 * * * *", "@hourly",
    "59 23 31 12 *", "0 0 29 2 *", "@yearly", "@annually", "@monthly", "@weekly", "@daily",
    "@midnight", "0 */6 * * *", "15 14 1 * *", "0 22 * * 1-5", "23 0-20/2 * * *",
    "5 4 * * sun", "0 0,12 1 */2 *", "*/5 9-17 * * 1-5", "0 0 31 * *", "0 0 30 * *",
    "0 12 * jun,jul,aug sat,sun", "0 0 13 * FRI", "10/20 * * * *", "0 6/4 * * *",
    "0 0 1/10 * *", "0 0 * * 1/2", "45 23 * * 6", "1 2 3 4 *", "0 0 * * 5-7",
    "0 0 28-31 * *", "0 12 * 2 1", "0 0 15 * 1", "7 7 7 7 7", "0 0 29 2 1",
    "0,30 * * * *", "0 0 1 */3 *", "*/7 * * * *", "59 * * * *", "0 9 * * Mon-Fri",
    "0 0 1 jan,jul *", "30 23 * * fri-sun",
]

UTC_STARTS = [
    "2024-01-01T00:00:00Z",  # exactly on many fire times: must be skipped (strictly after)
    "2024-02-28T23:59:30Z",  # leap day ahead, mid-minute start
    "2025-12-31T23:59:00Z",  # year boundary
    "2099-12-31T12:00:00Z",  # 2100 is not a leap year
]

ZONES = [
    "UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Adelaide",
    "Asia/Kathmandu", "America/Sao_Paulo", "Pacific/Chatham",
]

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]


def field(rng, low, high, names=None, star_weight=0.3):
    """One random cron field over low..high: `*`, `*/n`, a value, a list, a range, a stepped range."""
    def value(v):
        return names[v - low] if names and rng.random() < 0.3 else str(v)
    kind = rng.random()
    if kind < star_weight:
        return "*"
    if kind < star_weight + 0.15:
        return f"*/{rng.randint(2, max(2, (high - low) // 2))}"
    if kind < star_weight + 0.35:
        return value(rng.randint(low, high))
    if kind < star_weight + 0.5:
        picks = sorted(rng.sample(range(low, high + 1), rng.randint(2, 4)))
        return ",".join(value(v) for v in picks)
    a = rng.randint(low, high - 1)
    b = rng.randint(a + 1, high)
    if kind < star_weight + 0.6 and not (a == low and b == high):
        return f"{value(a)}-{value(b)}"
    step = rng.randint(2, max(2, (b - a)))
    return f"{a}-{b}/{step}" if kind < star_weight + 0.65 else f"{a}/{step}"


def expression(rng):
    minute = field(rng, 0, 59, star_weight=0.15)
    hour = field(rng, 0, 23, star_weight=0.3)
    month = field(rng, 1, 12, MONTHS, star_weight=0.7)
    dom = field(rng, 1, 28, star_weight=0.6)
    dow = field(rng, 0, 6, DAYS, star_weight=0.6)
    # Keep to where croniter's OR rule is Vixie's: a day field starting with `*` other than
    # `*` itself needs the other to be `*`; two restricted fields must not expand to full.
    if dom.startswith("*") and dom != "*" and dow != "*":
        dow = "*"
    if dow.startswith("*") and dow != "*" and dom != "*":
        dom = "*"
    if not dom.startswith("*") and not dow.startswith("*"):
        if set(croniter(f"* * * * {dow}").expanded[4]) >= set(range(7)):
            dow = "MON"
    return " ".join([minute, hour, dom, month, dow])


def fires(expression, start, zone):
    local_start = start.astimezone(ZoneInfo(zone))
    iterator = croniter(expression, local_start)
    out = []
    for _ in range(FIRES_PER_CASE):
        out.append(iterator.get_next(datetime).astimezone(timezone.utc))
    return out


def offset_changes(zone, start, end):
    """Whether the zone's UTC offset changes between start and end (looked at hourly near
    the ends, daily in between)."""
    tz = ZoneInfo(zone)
    first = start.astimezone(tz).utcoffset()
    moment = start - timedelta(days=1)
    while moment <= end + timedelta(days=1):
        if moment.astimezone(tz).utcoffset() != first:
            return True
        moment += timedelta(hours=6)
    return False


def instant(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    cases = []
    for expression_text in UTC_EXPRESSIONS:
        for start in UTC_STARTS:
            cases.append({"kind": "fixed", "zone": "UTC", "expression": expression_text, "start": start,
                          "expected": [iso(f) for f in fires(expression_text, instant(start), "UTC")]})
    rng = random.Random(20261206)
    generated = 0
    seen = set()
    while generated < GENERATED:
        text = expression(rng)
        if text in seen:
            continue
        zone = ZONES[generated % len(ZONES)]
        start = datetime(2024, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=rng.randint(0, 60 * 24 * 365 * 3))
        try:
            expected = fires(text, start, zone)
        except Exception:
            continue
        if expected[-1] - start > timedelta(days=3 * 366) or offset_changes(zone, start, expected[-1]):
            continue
        seen.add(text)
        generated += 1
        cases.append({"kind": "generated", "zone": zone, "expression": text, "start": iso(start), "expected": [iso(f) for f in expected]})
    from importlib.metadata import version
    print(json.dumps({"generator": f"Tests/UnitTests/Fixtures/cron_oracle.py, croniter {version('croniter')}"})[:-1]
          + ', "cases": [')
    print(",\n".join(json.dumps(case) for case in cases))
    print("]}")


if __name__ == "__main__":
    sys.exit(main())
