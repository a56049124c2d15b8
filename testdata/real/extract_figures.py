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


def source_files(sample, exts):
    """Every source file of the sample with zero counts: tools list only files with findings."""
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), sample, "src")
    files = {}
    for root, _, names in os.walk(src):
        for n in sorted(names):
            if n.endswith(exts):
                p = os.path.relpath(os.path.join(root, n), src)
                files[p] = {"errors": 0, "warnings": 0, "fatal": False, "suppressed": 0}
    return files


def staticcheck(sample, out):
    files = source_files(sample, (".go",))
    with open(os.path.join(out, "staticcheck-show-ignored.json")) as f:
        for line in f:
            if not line.strip():
                continue
            p = json.loads(line)
            v = files.setdefault(rel(p["location"]["file"], sample),
                                 {"errors": 0, "warnings": 0, "fatal": False, "suppressed": 0})
            sev = p["severity"]
            if sev == "error":
                v["errors"] += 1
            elif sev == "warning":
                v["warnings"] += 1
            elif sev == "ignored":
                v["suppressed"] += 1
            else:
                raise SystemExit("unknown staticcheck severity %r" % sev)
            if p["code"] == "compile":
                v["fatal"] = True
    with open(os.path.join(out, "staticcheck-version.txt")) as f:
        version = f.read().split()  # "staticcheck 2026.2.2 (0.8.2)"
    return {
        "tool": "staticcheck",
        "tool_version": version[1],
        "module_version": "v" + version[2].strip("()"),
        "figures_from": "out/staticcheck-show-ignored.json (staticcheck -show-ignored -f json)",
        "files": files,
        "totals": total_of(files),
    }


def flawfinder(sample, out):
    def summary(name):
        with open(os.path.join(out, name)) as f:
            text = f.read()
        hits = {}
        for m in re.finditer(r"^(\S+?):(\d+):\s+\[(\d)\]", text, re.M):
            p = m.group(1)[2:] if m.group(1).startswith("./") else m.group(1)
            hits.setdefault(p, []).append(int(m.group(3)))
        levels = [int(x) for x in re.search(r"^Hits@level = (.*)$", text, re.M).group(1).split()[1::2]]
        sup = re.search(r"^Suppressed hits = (\d+)", text, re.M)
        return {
            "hits": int(re.search(r"^Hits = (\d+)", text, re.M).group(1)),
            "hits_at_level": levels,
            "suppressed_hits": int(sup.group(1)) if sup else 0,
            "lines_analyzed": int(re.search(r"^Lines analyzed = (\d+)", text, re.M).group(1)),
            "sloc": int(re.search(r"^Physical Source Lines of Code \(SLOC\) = (\d+)", text, re.M).group(1)),
            "files": {p: {"hits": len(v), "levels": sorted(v, reverse=True)} for p, v in sorted(hits.items())},
        }
    with open(os.path.join(out, "flawfinder-version.txt")) as f:
        version = f.read().strip()
    fig = {
        "tool": "flawfinder",
        "tool_version": version,
        "figures_from": "out/flawfinder.txt (default text report, minimum level 1); "
                        "neverignore: out/flawfinder-neverignore.txt (--neverignore)",
    }
    fig.update(summary("flawfinder.txt"))
    fig["neverignore"] = summary("flawfinder-neverignore.txt")
    for f in source_files(sample, (".c",)):
        fig["files"].setdefault(f, {"hits": 0, "levels": []})
        fig["neverignore"]["files"].setdefault(f, {"hits": 0, "levels": []})
    return fig


def coveragepy(sample, out):
    with open(os.path.join(out, "coverage.json")) as f:
        report = json.load(f)
    with open(os.path.join(out, "coverage-report.txt")) as f:
        total_line = [l for l in f.read().splitlines() if l.startswith("TOTAL")][0]
    with open(os.path.join(out, "coverage-report-precision2.txt")) as f:
        total_line2 = [l for l in f.read().splitlines() if l.startswith("TOTAL")][0]
    t = report["totals"]
    files = {}
    for p, v in sorted(report["files"].items()):
        sm = v["summary"]
        files[p] = {"covered": sm["covered_lines"], "total": sm["num_statements"],
                    "percent": sm["percent_covered"], "percent_display": sm["percent_covered_display"]}
    return {
        "tool": "coverage.py",
        "tool_version": report["meta"]["version"],
        "figures_from": "out/coverage.json (totals, files.*.summary) and out/coverage-report*.txt (TOTAL line)",
        "metric": "lines (statements)",
        "total": {
            "covered": t["covered_lines"],
            "total": t["num_statements"],
            "percent": t["percent_covered"],
            "percent_display": t["percent_covered_display"],
            "report_text": total_line.split()[-1],
            "report_text_precision2": total_line2.split()[-1],
        },
        "files": files,
    }


def gosec(sample, out):
    files = source_files(sample, (".go",))
    with open(os.path.join(out, "gosec-track-suppressions.json")) as f:
        report = json.load(f)
    for i in report["Issues"]:
        v = files.setdefault(rel(i["file"], sample), {"errors": 0, "warnings": 0, "fatal": False, "suppressed": 0})
        if i.get("suppressions"):
            v["suppressed"] += 1
        else:
            v["errors"] += 1
    for p in report.get("Golang errors") or {}:
        files.setdefault(rel(p, sample), {"errors": 0, "warnings": 0, "fatal": False, "suppressed": 0})["fatal"] = True
    with open(os.path.join(out, "gosec-version.txt")) as f:
        version = f.read().split()[2]
    return {
        "tool": "gosec",
        "tool_version": version,
        "figures_from": "out/gosec-track-suppressions.json (gosec -track-suppressions -fmt json): Issues, Stats",
        "stats": report["Stats"],
        "files": files,
        "totals": total_of(files),
    }


def c8(sample, out):
    with open(os.path.join(out, "coverage-summary.json")) as f:
        report = json.load(f)

    def metrics(v):
        return {m: {"covered": v[m]["covered"], "total": v[m]["total"], "percent": v[m]["pct"]}
                for m in ("lines", "statements", "branches", "functions")}

    fig = {
        "tool": "c8",
        "tool_version": open(os.path.join(out, "c8-version.txt")).read().strip(),
        "figures_from": "out/coverage-summary.json (--reporter=json-summary); percent = its pct",
        "metric": "lines",
    }
    t = metrics(report["total"])
    fig["total"] = t["lines"]
    fig["totals_by_metric"] = t
    fig["files"] = {}
    for p, v in sorted(report.items()):
        if p == "total":
            continue
        m = metrics(v)
        fig["files"][rel(p, sample)] = dict(m["lines"], by_metric=m)
    return fig


def go_cover(sample, out):
    fig = {
        "tool": "go",
        "tool_version": open(os.path.join(out, "go-version.txt")).read().split()[2],
        "figures_from": "out/<profile>-func.txt (go tool cover -func) and out/go-test-<profile>.txt (go test)",
        "metric": "statements",
        "profiles": {},
    }
    for p in ("set", "atomic", "coverpkg"):
        funcs = {}
        total = None
        with open(os.path.join(out, p + "-func.txt")) as f:
            for line in f:
                parts = line.split()
                if parts[0] == "total:":
                    total = parts[-1]
                else:
                    funcs[parts[0].rstrip(":") + " " + parts[1]] = float(parts[-1].rstrip("%"))
        pkgs = {}
        with open(os.path.join(out, "go-test-" + p + ".txt")) as f:
            for line in f:
                m = re.search(r"^ok\s+(\S+)\s.*coverage: ([\d.]+)% of statements", line)
                if m:
                    pkgs[m.group(1)] = float(m.group(2))
        fig["profiles"][p] = {
            "file": "out/%s.out" % p,
            "total": {"percent": float(total.rstrip("%")), "percent_display": total},
            "functions": funcs,
            "go_test_packages": pkgs,
        }
    return fig


def lcov_summary(path):
    """lcov --summary: '  lines......: 47.1% (8 of 17 lines)'."""
    fig = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"\s+(\w+)\.+: ([\d.]+)% \((\d+) of (\d+) \w+\)", line)
            if m:
                fig[m.group(1)] = {"covered": int(m.group(3)), "total": int(m.group(4)),
                                   "percent": float(m.group(2)), "percent_display": m.group(2) + "%"}
    return fig


def gcovr(sample, out):
    with open(os.path.join(out, "gcovr-summary.json")) as f:
        g = json.load(f)

    def metrics(v):
        return {m: {"covered": v[m + "_covered"], "total": v[m + "_total"], "percent": v[m + "_percent"]}
                for m in ("line", "branch", "function")}

    t = metrics(g)
    return {
        "tool": "gcovr",
        "tool_version": open(os.path.join(out, "gcovr-version.txt")).read().split()[1],
        "figures_from": "out/gcovr-summary.json (gcovr --json-summary, run 1); lcov: out/lcov-summary-*.txt "
                        "(lcov --summary)",
        "metric": "lines",
        "total": t["line"],
        "totals_by_metric": t,
        "files": {v["filename"]: dict(metrics(v)["line"], by_metric=metrics(v)) for v in g["files"]},
        "lcov": {
            "tool": "lcov",
            "tool_version": open(os.path.join(out, "lcov-version.txt")).read().split()[-1],
            "tracefiles": {n: dict(lcov_summary(os.path.join(out, "lcov-summary-%s.txt" % n)), file="out/%s.info" % n)
                           for n in ("run1", "run2", "merged", "concatenated")},
        },
    }


def jacoco(sample, out):
    import csv
    import xml.etree.ElementTree as ET
    root = ET.parse(os.path.join(out, "jacoco.xml")).getroot()
    counters = {c.get("type"): {"missed": int(c.get("missed")), "covered": int(c.get("covered"))}
                for c in root.findall("counter")}
    for v in counters.values():
        v["total"] = v["missed"] + v["covered"]
    with open(os.path.join(out, "jacoco-index.html")) as f:
        foot = re.search(r"<tfoot>(.*)</tfoot>", f.read()).group(1)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", foot)
    classes = {}
    with open(os.path.join(out, "jacoco.csv")) as f:
        for row in csv.DictReader(f):
            classes[row["PACKAGE"] + "." + row["CLASS"]] = {
                k: {"missed": int(row[k + "_MISSED"]), "covered": int(row[k + "_COVERED"])}
                for k in ("INSTRUCTION", "BRANCH", "LINE", "COMPLEXITY", "METHOD")}
    line = counters["LINE"]
    return {
        "tool": "jacoco",
        "tool_version": open(os.path.join(out, "jacoco-version.txt")).read().strip(),
        "figures_from": "out/jacoco.xml (report-level counters), out/jacoco.csv (per class), "
                        "out/jacoco-index.html (Total row)",
        "metric": "lines",
        "total": {"covered": line["covered"], "total": line["total"]},
        "counters": counters,
        "html_total": {
            "instructions_missed_of_total": cells[1], "instructions_percent_display": cells[2],
            "branches_missed_of_total": cells[3], "branches_percent_display": cells[4],
            "complexity_missed": int(cells[5]), "complexity_total": int(cells[6]),
            "lines_missed": int(cells[7]), "lines_total": int(cells[8]),
            "methods_missed": int(cells[9]), "methods_total": int(cells[10]),
            "classes_missed": int(cells[11]), "classes_total": int(cells[12]),
        },
        "classes": classes,
    }


def pytest_junit(sample, out):
    with open(os.path.join(out, "pytest.txt")) as f:
        text = f.read()
    summary = re.findall(r"^=+ (.*) in [\d.]+s =+$", text, re.M)[-1]
    counts = {"passed": 0, "failed": 0, "skipped": 0, "error": 0}
    for n, what in re.findall(r"(\d+) (\w+)", summary):
        counts[{"errors": "error"}.get(what, what)] = int(n)
    with open(os.path.join(out, "pytest-version.txt")) as f:
        version = f.read().split()[1]
    return {
        "tool": "pytest",
        "tool_version": version,
        "figures_from": "out/pytest.txt (pytest's final summary line and exit status)",
        "summary_line": summary,
        "tests": {"passed": counts["passed"], "failed": counts["failed"], "errors": counts["error"],
                  "skipped": counts["skipped"], "total": sum(counts.values())},
        "exit_status": int(re.search(r"^exit status (\d+)$", text, re.M).group(1)),
    }


def gotestsum(sample, out):
    with open(os.path.join(out, "gotestsum.txt")) as f:
        text = f.read()
    done = re.search(r"^DONE (.*) in [\d.]+s$", text, re.M).group(1)
    counts = {"tests": 0, "skipped": 0, "failures": 0, "errors": 0}
    for n, what in re.findall(r"(\d+) (\w+)", done):
        counts[{"failure": "failures", "error": "errors", "test": "tests"}.get(what, what)] = int(n)
    with open(os.path.join(out, "gotestsum-version.txt")) as f:
        version = f.read().split()[2]
    return {
        "tool": "gotestsum",
        "tool_version": version,
        "figures_from": "out/gotestsum.txt (gotestsum's DONE line and exit status)",
        "summary_line": "DONE " + done,
        "tests": {"total": counts["tests"], "failed": counts["failures"], "errors": counts["errors"],
                  "skipped": counts["skipped"],
                  "passed": counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"]},
        "exit_status": int(re.search(r"^exit status (\d+)$", text, re.M).group(1)),
    }


def gotestsum_rerun(sample, out):
    """gotestsum with --rerun-fails: the first run's DONE line counts the tests, the last DONE line the runs, and
    the rerun report names the tests that were rerun; the exit status is gotestsum's verdict after the reruns."""
    with open(os.path.join(out, "gotestsum.txt")) as f:
        text = f.read()
    first = re.search(r"^DONE (\d+) tests?, (\d+) failures? in [\d.]+s$", text, re.M)
    last = re.search(r"^DONE (\d+) runs, (\d+) tests, (\d+) failures? in [\d.]+s$", text, re.M)
    with open(os.path.join(out, "rerun-report.txt")) as f:
        rerun = [line.split(":", 1)[0].strip() for line in f if line.strip()]
    with open(os.path.join(out, "gotestsum-version.txt")) as f:
        version = f.read().split()[2]
    failed_first = int(first.group(2))
    return {
        "tool": "gotestsum",
        "tool_version": version,
        "figures_from": "out/gotestsum.txt (the DONE lines of the first run and of all runs, exit status) and "
                        "out/rerun-report.txt (--rerun-fails-report)",
        "first_run_line": first.group(0),
        "summary_line": last.group(0),
        "runs": int(last.group(1)),
        "test_runs": int(last.group(2)),
        "rerun_report": rerun,
        "tests": {"total": int(first.group(1)), "failed_first_run": failed_first,
                  "flaky": len(rerun), "passed": int(first.group(1)) - failed_first},
        "exit_status": int(re.search(r"^exit status (\d+)$", text, re.M).group(1)),
    }


def jest(sample, out):
    with open(os.path.join(out, "jest-results.json")) as f:
        r = json.load(f)
    with open(os.path.join(out, "jest.txt")) as f:
        text = f.read()
    return {
        "tool": "jest",
        "tool_version": open(os.path.join(out, "jest-version.txt")).read().strip(),
        "jest_junit_version": open(os.path.join(out, "jest-junit-version.txt")).read().strip(),
        "figures_from": "out/jest-results.json (jest --json) and out/jest.txt (exit status)",
        "tests": {"total": r["numTotalTests"], "passed": r["numPassedTests"], "failed": r["numFailedTests"],
                  "skipped": r["numPendingTests"], "todo": r["numTodoTests"], "errors": 0},
        "suites": {"total": r["numTotalTestSuites"], "failed": r["numFailedTestSuites"],
                   "passed": r["numPassedTestSuites"], "runtime_error": r["numRuntimeErrorTestSuites"]},
        "success": r["success"],
        "summary_line": re.search(r"^Tests: +(.*)$", text, re.M).group(1),
        "suites_line": re.search(r"^Test Suites: +(.*)$", text, re.M).group(1),
        "exit_status": int(re.search(r"^exit status (\d+)$", text, re.M).group(1)),
    }


EXTRACT = {
    "jest-junit": jest,
    "jest-junit-samename": jest,
    "gotestsum-junit": gotestsum,
    "gotestsum-rerun-junit": gotestsum_rerun,
    "pytest-junit": pytest_junit,
    "jacoco-xml": jacoco,
    "gcovr-lcov": gcovr,
    "go-coverprofile": go_cover,
    "c8-lcov": c8,
    "gosec-sarif": gosec,
    "coveragepy-lcov": coveragepy,
    "flawfinder-sarif": flawfinder,
    "eslint-sarif": eslint,
    "staticcheck-sarif": staticcheck,
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
