#!/usr/bin/env python3
"""The pandas peer of the benchmark's "compare" job: the work Sluice does for
bench/schema.json + bench/plan.yaml with the outputs csv and summary, in one process.

    python3 bench/pandas_job.py INPUT.csv --out DIR [--compare SLUICE/output.csv]
                                [--compare-summary SLUICE/summary.json]

Writes DIR/output.csv (byte-compatible with Sluice's) and DIR/summary.json, then prints one
JSON line of timings. --compare exits 1 unless output.csv equals Sluice's byte for byte;
--compare-summary also checks the row counts of Sluice's summary.json. Uses pyarrow for
reading and string storage when it is installed (pandas 3's default), and works without.
"""
import time
STARTED = time.perf_counter()  # the wall time includes importing pandas
import argparse, importlib.util, json, os, sys, warnings
from datetime import datetime
from decimal import Decimal
import numpy as np
import pandas as pd

ENGINE = "pyarrow" if importlib.util.find_spec("pyarrow") else "c"  # pyarrow reads 4x faster

HERE = os.path.dirname(os.path.abspath(__file__))
# Ingest trims Swift's Character.isWhitespace (Unicode White_Space), not Python's isspace.
WS = "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
PY_WS = "\t\n\v\f\r \x1c\x1d\x1e\x1f"  # what int()/Decimal() strip besides that
SP = "[" + PY_WS + "]*"
# Python's int() and Decimal() grammars on ASCII; other text is left to Python itself.
INT_RE = SP + r"[+-]?[0-9]+(?:_[0-9]+)*" + SP
NUM_RE = SP + r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?i:inf(?:inity)?|s?nan[0-9]*))" + SP
# CPython's strptime regex for %Y-%m-%d, the schema's default date format.
DATE_RE = r"^([0-9]{4})-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12][0-9]|0[1-9]|[1-9]| [1-9])$"
PLAIN_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"  # Sluice's NumericText
DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def by_value(s, fn, python=False):
    """fn over the distinct values only, spread back over the rows: most columns repeat a
    few values. python=True hands fn Python strings (object dtype), for Python's Unicode
    rules (which are Swift's) whatever backs the column; pyarrow upper-cases ß as ẞ."""
    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    result = pd.Series(fn(pd.Series(uniques, dtype=object) if python else pd.Series(uniques)))
    return result.take(codes).set_axis(s.index)


def check_date(u):
    """%Y-%m-%d as Python's strptime reads it; canonical YYYY-MM-DD text (2026-9-1 passes)."""
    parts = u.str.extract(DATE_RE)  # NaN where the pattern does not match
    y, m, d = (pd.to_numeric(parts[i].str.strip(), errors="coerce").fillna(0).astype(int).to_numpy() for i in range(3))
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    ok = (y >= 1) & (m >= 1) & (d >= 1) & (d <= DAYS[m] + (leap & (m == 2)))
    canonical = [f"{a:04d}-{b:02d}-{c:02d}" for a, b, c in zip(y, m, d)]  # distinct values only
    return ok, np.array(canonical, dtype=object)


# type -> distinct texts -> (valid?, canonical ASCII text), as frictionless reads them.
CASTS = {
    "integer": lambda u: (u.str.fullmatch(INT_RE).fillna(False).to_numpy(bool), u.to_numpy(dtype=object)),
    "number": lambda u: (u.str.replace("_", "", regex=False).str.fullmatch(NUM_RE)  # Sluice drops every "_"
                         .fillna(False).to_numpy(bool), u.to_numpy(dtype=object)),
    "date": check_date,
}
EXACT = {  # Python itself, for the rare non-ASCII text (Unicode digits count, as in Python)
    "integer": lambda t: str(int(t)),
    "number": lambda t: repr(float(Decimal(t.replace("_", "")))),
    "date": lambda t: datetime.strptime(t, "%Y-%m-%d").date().isoformat(),
}


def cast_distinct(kind, u):
    """(valid?, typed value) for each distinct text u of a column of this type."""
    ok, text = (np.array(a) for a in CASTS[kind](u))  # writable copies
    for i in np.flatnonzero(~ok & u.notna().to_numpy() & ~u.fillna("").str.isascii().to_numpy(bool)):
        try: text[i], ok[i] = EXACT[kind](u[i]), True
        except (ValueError, ArithmeticError): pass
    if kind == "date": return ok, text
    clean = pd.Series(text[ok], dtype=str).str.strip(PY_WS).str.replace("_", "", regex=False)
    values = np.zeros(len(u), dtype=np.int64 if kind == "integer" else float)
    number = pd.to_numeric(clean, errors="coerce" if kind == "number" else "raise")
    if kind == "integer" and number.dtype != np.int64:  # beyond 64 bits: Python ints
        values, number = values.astype(object), clean.map(int)
    values[ok] = number.to_numpy()
    return ok, values


def validate(df, schema):
    """Table Schema checks, once per distinct text of a column. A row is invalid if any
    cell is null (Sluice reports every null cell of a schema job as missing-cell, so
    `required` is implied) or fails its type. Valid rows come back typed."""
    missing = schema.get("missingValues", [""])
    invalid = np.zeros(len(df), dtype=bool)
    typed = {}
    for field in schema["fields"]:
        name, kind = field["name"], field.get("type", "string")
        invalid |= (df[name].isna() | df[name].isin(missing)).to_numpy()
        if kind == "string": continue
        if kind not in CASTS: raise SystemExit(f"type {kind!r} is not supported by this peer")
        codes, uniques = pd.factorize(df[name], use_na_sentinel=False)
        ok, values = cast_distinct(kind, pd.Series(uniques))
        invalid |= ~ok[codes]
        typed[name] = (codes, values)
    valid = df[~invalid].copy()
    for name, (codes, values) in typed.items():
        valid[name] = values[codes[~invalid]]
    return valid, int(invalid.sum())


def round_half_away(x, digits):
    """The expression language's round(x, digits): (x·10^d) rounded half away from zero."""
    y = x * 10.0 ** digits
    whole = np.trunc(y)  # y - whole is exact, unlike floor(y + 0.5)
    r = (whole + np.where(np.abs(y - whole) >= 0.5, np.sign(y), 0)) / 10.0 ** digits
    return np.where(np.isfinite(r), r, x)


def transform(df):
    """bench/plan.yaml, step by step."""
    df["comment"] = df["comment"].str.strip(WS).replace("", np.nan)               # trim
    df["course"] = by_value(df["course"], lambda u: u.str.upper(), python=True)    # case: upper
    df["passed"] = df["grade"] >= 60                                               # derive
    df["weighted"] = round_half_away((df["grade"] * df["credits"]).astype(float) / 6.0, 2)  # int*int, then /
    doomed = (df["attendance"] < 0.15).fillna(False) & df["passed"].eq(False)      # filter: delete
    kept = df[~doomed].rename(columns={"attendance": "attendance_rate"})           # rename
    dup = kept.duplicated(subset=["student_id"], keep="first")                     # dedupe: first wins
    return kept[~dup], int(doomed.sum()), int(dup.sum())                           # note: no-op


def integral(x):
    """Rows travel between services as JSON, so an integral double (30.0) comes back as
    the integer 30 (Swift writes 1e16 and up with an exponent, which stays a double)."""
    return np.isfinite(x) & (np.floor(x) == x) & (np.abs(x) < 1e16)


def number_text(u):  # integers plainly, other doubles shortest round-trip (as Swift)
    x = u.to_numpy(dtype=float)
    ints = integral(x)
    text = np.array([repr(float(v)) for v in x], dtype=object)  # distinct values only
    text[ints] = x[ints].astype(np.int64).astype(str)
    return np.where(np.isnan(x), "", text)


def guard_formulas(u):
    """A text cell that a spreadsheet would run (= + - @ TAB CR first) and that is not a
    plain number gets a leading quote."""
    risky = u.str.match(r"[=+\-@\t\r]").fillna(False)
    if risky.any():
        risky &= ~u.str.fullmatch(PLAIN_NUMBER).fillna(False)
        u = u.mask(risky, "'" + u)
    return u


def cell_text(s):
    """A column's CSV cells, and whether one holds a CR."""
    if s.dtype == bool: return s.map({True: "true", False: "false"}), False
    if pd.api.types.is_integer_dtype(s): return s.astype(str), False
    if pd.api.types.is_float_dtype(s): return by_value(s, number_text), False
    cr = []
    return by_value(s, lambda u: cr.append(u.str.contains("\r", regex=False).any()) or guard_formulas(u)), cr[0]


def write_csv(df, path):
    """RFC 4180, "\\n" line ends, quotes only where needed, as Sluice's CSVWriter."""
    cells = {c: cell_text(df[c]) for c in df.columns}
    text = pd.DataFrame({c: t for c, (t, _) in cells.items()})
    text.columns = guard_formulas(pd.Series(df.columns, dtype=object)).tolist()
    if not any(cr for _, cr in cells.values()):
        text.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        return
    def quoted(s):  # Python's csv module leaves a lone CR unquoted with "\n" line ends; Sluice quotes it
        s = s.fillna("").astype(str)
        return s.mask(s.str.contains(r'[,"\r\n]'), '"' + s.str.replace('"', '""', regex=False) + '"')
    lines = quoted(text.iloc[:, 0]).str.cat([quoted(text[c]) for c in text.columns[1:]], sep=",")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(quoted(pd.Series(text.columns))) + "\n" + "".join(line + "\n" for line in lines))


def column_summary(name, s):
    """Sluice's column statistics, computed exactly (Sluice estimates beyond 10,000
    distinct values or 100,000 numbers: HyperLogLog, Misra-Gries, t-digest)."""
    codes, uniques = pd.factorize(s)  # distinct, lengths and top values all come from here
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    types = dict(boolean=0, booleanTrue=0, integer=0, nonFinite=0, number=0, string=0)
    out = {"name": name, "count": int(counts.sum()), "nulls": int((codes < 0).sum()), "distinct": len(uniques),
           "distinctApproximate": False, "distinctMethod": "exact", "topValuesMethod": "exact"}
    if s.dtype == bool:
        types.update(boolean=out["count"], booleanTrue=int(s.sum()))
    elif pd.api.types.is_numeric_dtype(s):
        x = np.sort(s.dropna().to_numpy(dtype=float))
        ints = integral(x) if pd.api.types.is_float_dtype(s) else np.ones(len(x), bool)
        finite = x[np.isfinite(x)]
        types.update(integer=int(ints.sum()), number=len(finite) - int(ints.sum()), nonFinite=len(x) - len(finite))
        if len(finite):
            n, lo, hi = len(finite), finite[0], finite[-1]
            def pct(q):  # linear between closest ranks, as a weighted sum like Sluice
                h = (n - 1) * q; i = int(h); f = h - i
                return finite[i] if i + 1 >= n or f == 0 else finite[i] * (1 - f) + finite[i + 1] * f
            int_bins = types["number"] == 0 and hi - lo < 20  # one bin per integer (grades 1-6)
            bins = 1 if lo == hi else int(hi - lo) + 1 if int_bins else 20
            width = 0.0 if lo == hi else 1.0 if int_bins else (hi - lo) / bins
            where = np.zeros(n, int) if width == 0 else np.minimum(((finite - lo) / width).astype(int), bins - 1)
            out["numeric"] = {
                "count": n, "min": lo, "max": hi, "mean": finite.mean(), **({"stddev": finite.std(ddof=1)} if n > 1 else {}),
                "p50": pct(0.5), "p90": pct(0.9), "p99": pct(0.99), "percentileMethod": "exact",
                "histogram": {"min": lo, "max": hi + 1 if int_bins and lo != hi else hi, "binWidth": width,
                              "counts": np.bincount(where, minlength=bins).tolist(), "method": "exact"}}
    else:
        types["string"] = out["count"]
        if len(uniques):  # in code points (Sluice counts grapheme clusters)
            lengths = uniques.str.len()
            out["textLength"] = {"min": int(lengths.min()), "max": int(lengths.max())}
    kinds = [k for k, t in (("boolean", "boolean"), ("numeric", "integer"), ("numeric", "number"),
                            ("numeric", "nonFinite"), ("text", "string")) if types[t]]
    out["kind"] = "empty" if not kinds else kinds[0] if len(set(kinds)) == 1 else "mixed"
    out["valueTypes"] = types
    # The ten most frequent, ties by value while there are at most 10,000 distinct values;
    # beyond, Sluice keeps a Misra-Gries sketch, and ties here stay in order of appearance.
    order = np.arange(len(uniques))
    if len(uniques) <= 10000:
        order = np.argsort(np.asarray(uniques, dtype=object), kind="stable")
    order = order[np.argsort(-counts[order], kind="stable")]
    out["topValues"] = [{"count": int(counts[i]), "value": uniques[i].item() if hasattr(uniques[i], "item") else uniques[i]}
                        for i in order[:10]]
    return out


def read_input(path):
    """Every cell as text, empty stays empty, then trimmed; header whitespace collapsed.
    Rows with the wrong number of cells are invalid in Sluice: skipped here and counted
    (the C engine fills short rows with empty cells, which validation rejects)."""
    bad = []
    skip = (lambda row: bad.append(row) or "skip") if ENGINE == "pyarrow" else "warn"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", engine=ENGINE, on_bad_lines=skip)
    skipped = len(bad) + sum(str(w.message).count("Skipping line") for w in caught)
    df.columns = [" ".join(c.split()) for c in df.columns]
    return df.apply(lambda s: s.str.strip(WS)), skipped


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input"); ap.add_argument("--out", required=True)
    ap.add_argument("--schema", default=os.path.join(HERE, "schema.json"))
    ap.add_argument("--compare"); ap.add_argument("--compare-summary")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with open(args.schema) as f: schema = json.load(f)
    clock, times = STARTED, {}
    def lap(phase):
        nonlocal clock
        now = time.perf_counter(); times[phase] = round(now - clock, 3); clock = now

    lap("startup")
    df, malformed = read_input(args.input)
    if sorted(df.columns) != sorted(f["name"] for f in schema["fields"]):
        raise SystemExit(f"the header {list(df.columns)} does not match the schema's fields")
    lap("read")
    valid, invalid = validate(df, schema); lap("validate")
    invalid += malformed
    out, filtered, deduplicated = transform(valid); lap("transform")
    rows = {"total": len(df) + malformed, "valid": len(out), "invalid": invalid,
            "filtered": filtered, "deduplicated": deduplicated}
    summary = {"job": {"name": os.path.basename(args.input)}, "rows": rows,
               "columns": [column_summary(c, out[c]) for c in out.columns]}
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2, sort_keys=True)
    lap("summary")
    write_csv(out, os.path.join(args.out, "output.csv")); lap("write")

    report = {"tool": "pandas", "pandas": pd.__version__, "engine": ENGINE,
              "seconds": round(time.perf_counter() - STARTED, 3), "phases": times,
              "rows_in": rows["total"], "rows_out": len(out), "invalid": invalid,
              "filtered": filtered, "deduplicated": deduplicated}
    failed = False
    if args.compare:  # after the clock: checking is not part of the job
        with open(os.path.join(args.out, "output.csv"), "rb") as f: ours = f.read().split(b"\n")
        with open(args.compare, "rb") as f: theirs = f.read().split(b"\n")
        report["output_equal"] = ours == theirs
        for i in range(max(len(ours), len(theirs))) if ours != theirs else ():
            x, y = (ours[i:i + 1] or [b"<end>"])[0], (theirs[i:i + 1] or [b"<end>"])[0]
            if x != y:
                print(f"output.csv differs at line {i + 1}:\n  pandas: {x!r}\n  sluice: {y!r}", file=sys.stderr)
                failed = True
                break
    if args.compare_summary:
        with open(args.compare_summary) as f: theirs = json.load(f)["rows"]
        differ = {k: (rows.get(k), v) for k, v in theirs.items() if rows.get(k) != v}
        report["summary_rows_equal"] = not differ
        if differ:
            print(f"summary row counts differ (pandas, sluice): {differ}", file=sys.stderr)
            failed = True
    print(json.dumps(report))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
