#!/usr/bin/env python3
"""Golden tests: run podnetc on readable inputs and compare with expected outputs.

Any file under tests/golden/ (except *.out) may hold spec lines of the form

    # golden(NAME): ARGS...          (or // golden(NAME): for files that use //)

Each one runs `podnetc ARGS` with the file's directory as working directory (%s is
replaced by the file's own name) and compares stdout, stderr and the exit status
with FILE-STEM.NAME.out beside it. The .out files start with a header saying how
they were made; the comparison ignores it.

    tools/golden.py --podnetc build/podnetc            compare (what ctest runs)
    tools/golden.py --podnetc build/podnetc --update   regenerate; then read `git diff`

Besides the spec lines it checks that every TOML twin in examples/ (X.toml beside
X.pnet) lowers to a byte-identical IR dump (on every node of a file with node blocks).
"""

import argparse
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = ROOT / "tests" / "golden"
SPEC = re.compile(r"^\s*(?:#|//)\s*golden\(([A-Za-z0-9_.-]+)\):\s*(.+?)\s*$")
HEADER_PREFIX = "# podnetc golden"
NODE_LINE = re.compile(r"^node\s+([A-Za-z0-9_.-]+)", re.MULTILINE)


def environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODNETC_")}
    env.update({"NO_COLOR": "1", "TERM": "dumb", "LC_ALL": "C.UTF-8", "COLUMNS": "100"})
    return env


def run(podnetc, args, cwd):
    proc = subprocess.run([podnetc, *args], cwd=cwd, env=environment(), capture_output=True,
                          text=True, timeout=120)
    body = f"# exit status: {proc.returncode}\n{proc.stdout}"
    if proc.stderr:
        if not body.endswith("\n"):
            body += "\n"
        body += f"--- stderr\n{proc.stderr}"
    return body


def header(args, directory):
    rel = directory.relative_to(ROOT)
    command = " ".join(shlex.quote(a) for a in ["podnetc", *args])
    return (f"{HEADER_PREFIX}: `{command}` in {rel}/\n"
            f"# Regenerate: tools/golden.py --podnetc build/podnetc --update (read every diff).\n")


def strip_header(text):
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith("# ") and not lines[0].startswith("# exit status:"):
        lines.pop(0)
    return "".join(lines)


def cases(filter_text):
    for path in sorted(GOLDEN_DIR.rglob("*")):
        if not path.is_file() or path.suffix == ".out" or path.name == "README.md":
            continue
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            continue
        for line in lines:
            match = SPEC.match(line)
            if not match:
                continue
            name, argtext = match.groups()
            args = [a.replace("%s", path.name) for a in shlex.split(argtext)]
            out = path.with_name(f"{path.stem}.{name}.out")
            if filter_text and filter_text not in str(out.relative_to(GOLDEN_DIR)):
                continue
            yield path, args, out


def dot_problem(podnetc, args, cwd):
    """A Graphviz golden must also render: dot's complaint, or None."""
    if "--emit" not in args or args[args.index("--emit") + 1:][:1] != ["dot"]:
        return None
    if shutil.which("dot") is None:
        return "cannot check the Graphviz output: dot (package graphviz) is not installed"
    graph = subprocess.run([podnetc, *args], cwd=cwd, env=environment(), capture_output=True, text=True,
                           timeout=120).stdout
    proc = subprocess.run(["dot", "-Tsvg", "-o", os.devnull], input=graph, capture_output=True, text=True,
                          timeout=120)
    return f"dot -Tsvg refuses it: {proc.stderr.strip()}" if proc.returncode != 0 else None


def check_twins(podnetc):
    failures = []
    examples = ROOT / "examples"
    for toml in sorted(examples.glob("*.toml")):
        pnet = toml.with_suffix(".pnet")
        if not pnet.exists():
            continue
        # A cluster file is compared on each of its nodes.
        nodes = NODE_LINE.findall(pnet.read_text(encoding="utf-8")) or [None]
        for node in nodes:
            selection = ["--node", node] if node else []
            a = run(podnetc, ["compile", pnet.name, "--emit", "ir", *selection], examples)
            b = run(podnetc, ["compile", toml.name, "--emit", "ir", *selection], examples)
            if a != b or not a.startswith("# exit status: 0"):
                diff = "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True),
                                                    pnet.name, toml.name))
                failures.append(f"TOML twin differs: examples/{toml.name}{' on ' + node if node else ''}\n{diff}")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--podnetc", required=True, help="the podnetc binary to test")
    parser.add_argument("--update", action="store_true", help="rewrite the .out files")
    parser.add_argument("--filter", default="", help="only cases whose .out path contains this")
    opts = parser.parse_args()
    podnetc = str(Path(opts.podnetc).resolve())

    failures, count, updated = [], 0, 0
    seen = set()
    for path, args, out in cases(opts.filter):
        if out in seen:
            failures.append(f"{out.relative_to(ROOT)}: two golden lines write the same file")
            continue
        seen.add(out)
        count += 1
        actual = run(podnetc, args, path.parent)
        if not opts.update and (problem := dot_problem(podnetc, args, path.parent)):
            failures.append(f"{out.relative_to(ROOT)}: {problem}")
        expected = strip_header(out.read_text(encoding="utf-8")) if out.exists() else None
        if opts.update:
            if expected != actual:
                out.write_text(header(args, path.parent) + actual, encoding="utf-8")
                updated += 1
                print(f"updated {out.relative_to(ROOT)}")
            continue
        if expected is None:
            failures.append(f"{out.relative_to(ROOT)}: missing (run with --update, then read it)")
        elif expected != actual:
            diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                "expected", "actual"))
            failures.append(f"{out.relative_to(ROOT)}: differs\n{diff}")

    if not opts.filter:
        for orphan in sorted(set(GOLDEN_DIR.rglob("*.out")) - seen):
            failures.append(f"{orphan.relative_to(ROOT)}: no golden line makes this file; delete it")
        failures += check_twins(podnetc)
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    if opts.update:
        print(f"{count} golden cases, {updated} rewritten")
    else:
        print(f"{count} golden cases, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
