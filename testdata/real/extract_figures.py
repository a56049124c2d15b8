#!/usr/bin/env python3
"""Write <sample>/figures.json from the tool's own report in <sample>/out (keys: see README.md).

usage: extract_figures.py SAMPLE SAMPLE_DIR
Only the standard library; every figure is read from a report the tool wrote, never recomputed from the SARIF,
LCOV, ... file that the project's readers are tested on.
"""
import json
import os
import re
import sys


def rel(path, sample):
    """Path relative to the sample's src/ copy (the tools ran in $WORKDIR/<sample>)."""
    marker = "/" + sample + "/"
    i = path.find(marker)
    return path[i + len(marker):] if i >= 0 else path


def eslint(sample, out):
    with open(os.path.join(out, "eslint.json")) as f:
        report = json.load(f)
    files = {}
    for r in report:
        files[rel(r["filePath"], sample)] = {
            "errors": r["errorCount"],
            "warnings": r["warningCount"],
            "fatal": r["fatalErrorCount"] > 0,
            "suppressed": len(r.get("suppressedMessages", [])),
        }
    with open(os.path.join(out, "eslint-version.txt")) as f:
        version = f.read().strip().lstrip("v")
    return {
        "tool": "eslint",
        "tool_version": version,
        "figures_from": "out/eslint.json (eslint -f json)",
        "files": files,
        "totals": total_of(files),
    }


def total_of(files):
    t = {"errors": 0, "warnings": 0, "fatal": 0, "suppressed": 0, "files": len(files)}
    for v in files.values():
        t["errors"] += v["errors"]
        t["warnings"] += v["warnings"]
        t["fatal"] += 1 if v["fatal"] else 0
        t["suppressed"] += v["suppressed"]
    return t


EXTRACT = {
    "eslint-sarif": eslint,
}


def main():
    sample, sdir = sys.argv[1], sys.argv[2]
    fig = {"sample": sample}
    fig.update(EXTRACT[sample](sample, os.path.join(sdir, "out")))
    with open(os.path.join(sdir, "figures.json"), "w") as f:
        json.dump(fig, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
