#!/usr/bin/env python3
"""The pandas peer of the benchmark's "compare" job: the same work as Sluice does for
bench/schema.json + bench/plan.yaml with outputs csv and summary, in one process.

    python3 bench/pandas_job.py INPUT.csv --out DIR [--compare SLUICE/output.csv]
                                [--compare-summary SLUICE/summary.json]

Writes DIR/output.csv (byte-compatible with Sluice's) and DIR/summary.json, then prints one
JSON line of timings. With --compare it exits 1 unless output.csv equals Sluice's byte for
byte; --compare-summary checks the row counts of Sluice's summary.json.
"""
import argparse, json, os, sys, time
from datetime import datetime
from decimal import Decimal
import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
# Ingest trims Swift's Character.isWhitespace (Unicode White_Space), not Python's isspace.
WS = "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
# Python's int()/Decimal() also strip these ASCII characters (explicit: RE2's \s differs).
PY_STRIP = "\t\n\v\f\r \x1c\x1d\x1e\x1f"
PY_WS = r"[\t\n\v\f\r \x1c-\x1f]*"
INT_RE = PY_WS + r"[+-]?[0-9]+(?:_[0-9]+)*" + PY_WS  # Python int(), ASCII digits
NUM_RE = PY_WS + r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?i:inf(?:inity)?|s?nan[0-9]*))" + PY_WS
# CPython's strptime regex for %Y-%m-%d (the schema's default date format).
DATE_RE = r"([0-9]{4})-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12][0-9]|0[1-9]|[1-9]| [1-9])"
PLAIN_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"  # NumericText
DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def python_fallback(cells, convert):
    """Exact Python semantics for the rare non-ASCII cells (Unicode digits), which Sluice
    accepts as frictionless does; returns their canonical ASCII text, for those that convert."""
    fixed = {}
    for i, text in cells[~cells.str.isascii()].items():
        try: fixed[i] = convert(text)
        except (ValueError, ArithmeticError): pass
    return pd.Series(fixed, dtype="str")


def ymd_ok(y, m, d):
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    return (y >= 1) & (m >= 1) & (m <= 12) & (d >= 1) & (d <= DAYS[np.clip(m, 0, 12)] + (leap & (m == 2)))


def check_date(s):
    parts = s.str.extract("^" + DATE_RE + "$")  # NaN where the pattern does not match
    y, m, d = (pd.to_numeric(parts[i].str.strip(), errors="coerce").fillna(0).astype(int).to_numpy() for i in range(3))
    return pd.Series(ymd_ok(y, m, d), s.index)


CHECKS = {  # type -> (fast ASCII check, exact Python conversion to canonical ASCII text)
    "integer": (lambda s: s.str.fullmatch(INT_RE), lambda t: str(int(t))),
    "number": (lambda s: s.str.replace("_", "", regex=False).str.fullmatch(NUM_RE),  # Sluice drops every "_"
               lambda t: repr(float(Decimal(t.replace("_", ""))))),
    "date": (check_date, lambda t: datetime.strptime(t, "%Y-%m-%d").date().isoformat()),
}


def validate(df, schema):
    """Table Schema checks. A row is invalid if any cell is null (Sluice reports every null
    cell of a schema job as missing-cell, so `required` is implied) or fails its type."""
    missing = schema.get("missingValues", [""])
    invalid = np.zeros(len(df), dtype=bool)
    for field in schema["fields"]:
        name, kind = field["name"], field.get("type", "string")
        null = (df[name].isna() | df[name].isin(missing)).to_numpy()
        invalid |= null
        if kind == "string": continue
        if kind not in CHECKS: raise SystemExit(f"type {kind!r} is not supported by this peer")
        check, convert = CHECKS[kind]
        cells = df[name][~invalid]  # rows already invalid need no type check
        ok = check(cells).fillna(False).astype(bool)
        if not ok.all():
            fixed = python_fallback(cells[~ok], convert)
            df.loc[fixed.index, name] = fixed
            ok[fixed.index] = True
        invalid[ok[~ok].index] = True  # the index is the row position (RangeIndex)
    valid = df[~invalid].copy()
    for field in schema["fields"]:  # typed values, as validate passes them on
        name, kind, s = field["name"], field.get("type", "string"), valid[field["name"]]
        if kind in ("integer", "number"):
            number = pd.to_numeric(s.str.strip(PY_STRIP).str.replace("_", "", regex=False),
                                   errors="coerce" if kind == "number" else "raise")
            if kind == "integer" and number.dtype != np.int64:  # beyond 64 bits: Python ints
                number = s.map(lambda t: int(t))
            valid[name] = number
        elif kind == "date":  # canonical YYYY-MM-DD (strptime also reads 2026-9-1)
            odd = (s.str.len() != 10) | s.str.contains(" ", regex=False)
            if odd.any():
                parts = s[odd].str.extract("^" + DATE_RE + "$").apply(lambda p: p.str.strip())
                valid.loc[odd, name] = parts[0] + "-" + parts[1].str.zfill(2) + "-" + parts[2].str.zfill(2)
    return valid, int(invalid.sum())


def round_half_away(x, digits):
    """The expression language's round(x, digits): (x·10^d) rounded half away from zero."""
    y = x * 10.0 ** digits
    whole = np.trunc(y)
    r = (whole + np.where(np.abs(y - whole) >= 0.5, np.sign(y), 0)) / 10.0 ** digits
    return np.where(np.isfinite(r), r, x)


def transform(df):
    """bench/plan.yaml, step by step."""
    df["comment"] = df["comment"].str.strip(WS).replace("", np.nan)               # trim
    df["course"] = df["course"].str.upper()                                        # case upper
    df["passed"] = df["grade"] >= 60                                               # derive
    df["weighted"] = round_half_away((df["grade"] * df["credits"]).astype(float) / 6.0, 2)  # int·int, then /
    doomed = (df["attendance"] < 0.15).fillna(False) & (df["passed"] == False)    # filter: delete
    kept = df[~doomed]
    kept = kept.rename(columns={"attendance": "attendance_rate"})                  # rename
    dup = kept.duplicated(subset=["student_id"], keep="first")                     # dedupe (first wins)
    return kept[~dup], int(doomed.sum()), int(dup.sum())                           # note: nothing


def json_numbers(x):
    """Rows travel as JSON between services, so an integral double (30.0) comes back as the
    integer 30 and prints without ".0"; other doubles print shortest round-trip, like Swift."""
    integral = np.isfinite(x) & (np.floor(x) == x) & (np.abs(x) < 1e16)
    text = x.astype(str)
    return text.mask(integral, x[integral].astype(np.int64).astype(str)), integral


def guard_formulas(s):
    """A text cell starting with = + - @ TAB CR that is not a plain number gets a leading '."""
    trigger = s.str.match(r"[=+\-@\t\r]").fillna(False)
    if trigger.any():
        s = s.mask(trigger & ~s.str.fullmatch(PLAIN_NUMBER).fillna(False), "'" + s)
    return s


def cell_text(s):
    if s.dtype == bool: return s.map({True: "true", False: "false"})
    if pd.api.types.is_integer_dtype(s): return s.astype(str)
    if pd.api.types.is_float_dtype(s): return json_numbers(s)[0].where(s.notna(), "")
    return guard_formulas(s)


def write_csv(df, path):
    """RFC 4180, "\n" line ends, quotes only where needed (Sluice's CSVWriter)."""
    text = pd.DataFrame({c: cell_text(df[c]) for c in df.columns})
    text.columns = guard_formulas(pd.Series(df.columns, dtype="str")).tolist()
    texts = [t for c, t in zip(df.columns, text.columns) if df[c].dtype != bool and not pd.api.types.is_numeric_dtype(df[c])]
    if not any(text[t].str.contains("\r", regex=False).any() for t in texts):
        text.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        return
    # Python's csv module does not quote a lone CR when lines end in "\n"; Sluice does.
    def quoted(s):
        s = s.fillna("")
        return s.mask(s.str.contains(r'[,"\r\n]'), '"' + s.str.replace('"', '""', regex=False) + '"')
    lines = quoted(text.iloc[:, 0]).str.cat([quoted(text[c]) for c in text.columns[1:]], sep=",")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(quoted(pd.Series(text.columns, dtype="str"))) + "\n")
        f.write("".join(line + "\n" for line in lines))


def column_summary(name, s):
    """Sluice's per-column statistics, computed exactly (Sluice switches to HyperLogLog,
    Misra-Gries and t-digest past 10,000 distinct / 100,000 numeric values)."""
    values = s.dropna()
    types = dict(boolean=0, booleanTrue=0, integer=0, nonFinite=0, number=0, string=0)
    out = {"name": name, "count": len(values), "nulls": int(s.isna().sum()), "distinct": int(values.nunique())}
    if s.dtype == bool:
        types.update(boolean=len(values), booleanTrue=int(values.sum())); kind = "boolean"
    elif pd.api.types.is_numeric_dtype(s):
        x = values.to_numpy(dtype=float)
        finite = np.sort(x[np.isfinite(x)])
        integral = json_numbers(values)[1] if pd.api.types.is_float_dtype(s) else np.ones(len(x), bool)
        types.update(integer=int(integral.sum()), number=int((~integral & np.isfinite(x)).sum()),
                     nonFinite=int((~np.isfinite(x)).sum())); kind = "numeric"
        if len(finite):
            n, lo, hi = len(finite), finite[0], finite[-1]
            def pct(q):  # linear between closest ranks, written as Sluice writes it
                h = (n - 1) * q; i = int(h); f = h - i
                return finite[i] if i + 1 >= n or f == 0 else finite[i] * (1 - f) + finite[i + 1] * f
            int_bins = types["number"] == 0 and hi - lo < 20
            bins = 1 if lo == hi else int(hi - lo) + 1 if int_bins else 20
            width = 0.0 if lo == hi else 1.0 if int_bins else (hi - lo) / bins
            idx = np.zeros(n, int) if width == 0 else np.minimum(((finite - lo) / width).astype(int), bins - 1)
            out["numeric"] = {"count": n, "min": lo, "max": hi, "mean": finite.mean(),
                              **({"stddev": finite.std(ddof=1)} if n > 1 else {}),
                              "p50": pct(0.5), "p90": pct(0.9), "p99": pct(0.99), "percentileMethod": "exact",
                              "histogram": {"min": lo, "max": hi + 1 if int_bins and lo != hi else hi, "binWidth": width,
                                            "counts": np.bincount(idx, minlength=bins).tolist(), "method": "exact"}}
    else:
        types["string"] = len(values); kind = "text"
        if len(values):
            lengths = values.str.len()  # code points; Sluice counts grapheme clusters
            out["textLength"] = {"min": int(lengths.min()), "max": int(lengths.max())}
    out.update(kind=kind if len(values) else "empty", valueTypes=types)
    counts = values.value_counts()  # top 10 by count, then by value
    if len(counts) > 10:
        counts = counts[counts >= counts.iloc[9]]
    top = counts.rename_axis("value").reset_index(name="count").sort_values(
        ["count", "value"], ascending=[False, True], kind="stable").head(10)
    out["topValues"] = [{"count": int(c), "value": v.item() if hasattr(v, "item") else v}
                        for v, c in zip(top["value"], top["count"])]
    out.update(distinctMethod="exact", distinctApproximate=False, topValuesMethod="exact")
    return out


def first_difference(ours, theirs):
    a, b = ours.split(b"\n"), theirs.split(b"\n")
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y: return i + 1, x, y
    return min(len(a), len(b)) + 1, b"<end>" if len(a) < len(b) else a[len(b)], b"<end>" if len(b) < len(a) else b[len(a)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input"); ap.add_argument("--out", required=True)
    ap.add_argument("--schema", default=os.path.join(HERE, "schema.json"))
    ap.add_argument("--compare"); ap.add_argument("--compare-summary")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with open(args.schema) as f: schema = json.load(f)
    clock, times = time.perf_counter(), {}
    def lap(phase):
        nonlocal clock
        now = time.perf_counter(); times[phase] = round(now - clock, 4); clock = now

    # Ingest: every cell as text, empty stays empty; trimmed; header whitespace collapsed.
    df = pd.read_csv(args.input, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.columns = [" ".join(c.split()) for c in df.columns]
    df = df.apply(lambda s: s.str.strip(WS))
    if sorted(df.columns) != sorted(f["name"] for f in schema["fields"]):
        raise SystemExit(f"the header {list(df.columns)} does not match the schema's fields")
    rows_in = len(df); lap("read")
    valid, invalid = validate(df, schema); lap("validate")
    out, filtered, deduplicated = transform(valid); lap("transform")
    summary = {"job": {"name": os.path.basename(args.input)},
               "rows": {"total": rows_in, "valid": len(out), "invalid": invalid,
                        "filtered": filtered, "deduplicated": deduplicated},
               "columns": [column_summary(c, out[c]) for c in out.columns]}
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2, sort_keys=True, default=float)
    lap("summary")
    write_csv(out, os.path.join(args.out, "output.csv")); lap("write")

    report = {"tool": "pandas", "pandas": pd.__version__, "seconds": round(sum(times.values()), 4),
              "phases": times, "rows_in": rows_in, "rows_out": len(out), "invalid": invalid,
              "filtered": filtered, "deduplicated": deduplicated}
    failed = False
    if args.compare:
        with open(os.path.join(args.out, "output.csv"), "rb") as f: ours = f.read()
        with open(args.compare, "rb") as f: theirs = f.read()
        report["output_equal"] = ours == theirs
        if ours != theirs:
            line, x, y = first_difference(ours, theirs)
            print(f"output.csv differs at line {line}:\n  pandas: {x!r}\n  sluice: {y!r}", file=sys.stderr)
            failed = True
    if args.compare_summary:
        with open(args.compare_summary) as f: rows = json.load(f)["rows"]
        mismatch = {k: (summary["rows"][k], v) for k, v in rows.items() if summary["rows"].get(k) != v}
        report["summary_rows_equal"] = not mismatch
        if mismatch:
            print(f"summary row counts differ (pandas, sluice): {mismatch}", file=sys.stderr)
            failed = True
    print(json.dumps(report))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
