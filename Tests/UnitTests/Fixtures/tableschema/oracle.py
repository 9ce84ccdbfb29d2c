#!/usr/bin/env python3
"""Frictionless oracle for the Table Schema fixture cases.

Usage:
  oracle.py <case-directory>          print that case's errors as a JSON array
  oracle.py --all <fixtures-root>     print {"<case>": [...], ...} for every case
  oracle.py --write <fixtures-root>   (re)write <case>/expected.json for every case

A case is a directory holding data.csv and schema.json. Errors are printed as a sorted
JSON array of {"row", "field", "code"} objects, where "row" is the 1-based data-row
index (the first record after the header is 1; header problems have row null) and
"field" is the field name or null.

The CSV dialect is pinned (comma, double quote, no initial-space skipping, UTF-8)
because frictionless otherwise sniffs it from a sample, and ugly fixtures could make the
sniffer guess differently from the Swift reader. Error limits are switched off so every
row error is reported.
"""

import json
import os
import sys

try:
    import frictionless
    from frictionless import Dialect, Resource, formats
except ImportError:  # pragma: no cover - reported to the Swift test verbatim
    sys.stderr.write("frictionless-py is not installed: pip install frictionless\n")
    sys.exit(3)


def case_errors(case):
    """The sorted error list frictionless reports for one case directory."""
    case = os.path.abspath(case)
    with open(os.path.join(case, "schema.json"), encoding="utf-8") as handle:
        descriptor = json.load(handle)

    control = formats.CsvControl(
        delimiter=",",
        quote_char='"',
        double_quote=True,
        skip_initial_space=False,
        line_terminator="\r\n",
    )
    # A Data Package v2 resource, so v2 schema features (exclusiveMinimum, field-level
    # missingValues) are accepted; frictionless gates them on the resource's $schema.
    resource = Resource(
        {
            "$schema": "https://datapackage.org/profiles/2.0/dataresource.json",
            "name": "data",
            "path": "data.csv",
            "format": "csv",
            "encoding": "utf-8",
            "schema": descriptor,
        },
        basepath=case,
    )
    resource.dialect = Dialect(header_rows=[1], controls=[control])
    report = resource.validate(limit_errors=sys.maxsize)
    for task in report.tasks:
        if task.warnings:
            # e.g. "reached error limit": the report would be incomplete.
            raise RuntimeError("frictionless warnings for %s: %s" % (case, task.warnings))

    rows = []
    for error in report.flatten(["rowNumber", "fieldName", "type"]):
        row_number, field_name, code = error
        rows.append({
            # frictionless numbers records from the header (row 1), so data row N is N + 1.
            "row": row_number - 1 if row_number is not None else None,
            # extra-cell errors carry an empty field name; normalise to null.
            "field": field_name or None,
            "code": code,
        })
    rows.sort(key=lambda e: (e["row"] or 0, e["field"] or "", e["code"]))
    return rows


def cases(root):
    """Case directories under root, sorted by name."""
    return sorted(
        name for name in os.listdir(root)
        if os.path.isfile(os.path.join(root, name, "schema.json"))
    )


def main() -> int:
    args = sys.argv[1:]
    if len(args) == 1:
        json.dump(case_errors(args[0]), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    elif len(args) == 2 and args[0] == "--all":
        result = {name: case_errors(os.path.join(args[1], name)) for name in cases(args[1])}
        json.dump(result, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    elif len(args) == 2 and args[0] == "--write":
        for name in cases(args[1]):
            path = os.path.join(args[1], name, "expected.json")
            errors = case_errors(os.path.join(args[1], name))
            lines = [json.dumps(error, ensure_ascii=False) for error in errors]
            with open(path, "w", encoding="utf-8") as handle:
                handle.write("[\n  " + ",\n  ".join(lines) + "\n]\n" if lines else "[]\n")
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
