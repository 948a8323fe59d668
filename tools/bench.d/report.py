"""The Markdown report and the CSV of every sample."""
import csv
import os
import platform
import statistics
import subprocess

from agent_bench import agent_table
from podnetc_extras import PHASES


def _first_line(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError):
        return "not installed"


def _package_version(package):
    out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package],
                         capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else "not installed"


def machine(podnetc):
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": str(os.cpu_count()),
        "kernel": platform.release(),
        "cpu": cpu,
        "iproute2": _first_line(["ip", "-V"]),
        "containernetworking-plugins": _package_version("containernetworking-plugins"),
        "python3-pyroute2": _package_version("python3-pyroute2"),
        "podnetc": _first_line([podnetc, "--version"]) if os.access(podnetc, os.X_OK)
        else f"not built ({podnetc})",
    }


def seconds(x):
    if x >= 10:
        return f"{x:.1f}"
    if x >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def cell(times):
    if not times:
        return "—"
    return f"{seconds(statistics.median(times))} / {seconds(min(times))}"


def ratio(podnetc_times, other_times):
    if not podnetc_times or not other_times:
        return "—"
    mine, theirs = statistics.median(podnetc_times), statistics.median(other_times)
    if mine <= theirs:
        return f"podnetc {theirs / mine:.1f}× faster"
    return f"podnetc {mine / theirs:.1f}× slower"


def row_names(opts, methods_by_name):
    """The report's rows: the chosen methods in order, each followed by its derived row."""
    rows = []
    for name in opts.methods:
        rows.append(name)
        method = methods_by_name.get(name)
        if method is not None and method.derived_row:
            rows.append(method.derived_row)
    return rows


def method_table(results, opts, method_names, mode, out):
    phases = ("apply", "teardown")
    head = [f"{phase} {pods}" for phase in phases for pods in opts.sizes]
    out.append(f"### {mode} mode — seconds, median / min of {opts.repeat}")
    out.append("")
    out.append("| method | " + " | ".join(head) + " |")
    out.append("|---" * (len(head) + 1) + "|")
    for name in method_names:
        if name in results.skipped:
            out.append(f"| {name} | skipped: {results.skipped[name]} |" + " |" * (len(head) - 1))
            continue
        cells = []
        for phase in phases:
            for pods in opts.sizes:
                failed = results.failed.get((mode, pods, name))
                times = results.times(mode, pods, name, phase)
                cells.append(cell(times) + (" (FAILED)" if failed else ""))
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    out.append("")


def ratio_table(results, opts, method_names, mode, out):
    out.append(f"### podnetc against the others, {mode} mode (ratio of medians)")
    out.append("")
    if "podnetc" in results.skipped:
        out.append(f"No ratios: podnetc was skipped ({results.skipped['podnetc']}).")
        out.append("")
        return
    head = [f"{phase} {pods}" for phase in ("apply", "teardown") for pods in opts.sizes]
    out.append("| against | " + " | ".join(head) + " |")
    out.append("|---" * (len(head) + 1) + "|")
    for name in method_names:
        if name == "podnetc" or name in results.skipped:
            continue
        cells = [ratio(results.times(mode, pods, "podnetc", phase),
                       results.times(mode, pods, name, phase))
                 for phase in ("apply", "teardown") for pods in opts.sizes]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    out.append("")


def extras_table(results, opts, out):
    out.append(f"### podnetc incremental and check rows — seconds, median / min of {opts.repeat}")
    out.append("")
    out.append("| case | mode | pods | time |")
    out.append("|---|---|---|---|")
    for phase in PHASES:
        key = f"podnetc {phase}"
        if key in results.skipped:
            out.append(f"| {phase} | | | skipped: {results.skipped[key]} |")
            continue
        for mode in opts.modes:
            for pods in opts.sizes:
                out.append(f"| {phase} | {mode} | {pods} | "
                           f"{cell(results.times(mode, pods, 'podnetc', phase))} |")
    if "podnetc check" in results.skipped:
        out.append(f"| check | | | skipped: {results.skipped['podnetc check']} |")
    else:
        for pods in opts.check_sizes:
            out.append(f"| check | (no kernel) | {pods} | "
                       f"{cell(results.times('route', pods, 'podnetc', 'check'))} |")
    out.append("")


def breakdown_table(results, opts, out):
    """Where a from-scratch podnetc apply spends its time (`apply --timings`)."""
    keys = [(mode, pods) for mode in opts.modes for pods in opts.sizes if (mode, pods) in results.breakdowns]
    if not keys:
        return
    out.append("### podnetc apply from scratch: where the time went (`apply --timings`, one run, ms)")
    out.append("")
    out.append("| phase | " + " | ".join(f"{mode} {pods}" for mode, pods in keys) + " |")
    out.append("|---|" + "---|" * len(keys))
    names = []
    for key in keys:
        for phase, _ in results.breakdowns[key]:
            plain = phase.split(" (")[0] if phase.startswith("send/ack") else phase
            if plain not in names:
                names.append(plain)
    for name in names:
        cells = []
        for key in keys:
            found = [(p, s) for p, s in results.breakdowns[key]
                     if p == name or (name == "send/ack" and p.startswith("send/ack"))]
            cells.append(f"{found[0][1] * 1000:.1f}" + (f" ({found[0][0].split('(')[1][:-1]})"
                                                         if name == "send/ack" else "")
                         if found else "")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    out.append("")


def markdown(results, opts, methods_by_name, info, load_before, load_after, elapsed):
    names = row_names(opts, methods_by_name)
    out = ["## podnetc benchmark", ""]
    out.append(f"Machine: {info['nproc']} CPUs, {info['cpu']}, Linux {info['kernel']}; "
               f"{info['iproute2']}; containernetworking-plugins "
               f"{info['containernetworking-plugins']}; python3-pyroute2 "
               f"{info['python3-pyroute2']}; podnetc: {info['podnetc']}.")
    out.append(f"Load average (1 min) {load_before:.2f} before, {load_after:.2f} after; "
               f"run took {elapsed:.0f} s.")
    waits = [seconds for seconds, _ in results.settle_waits]
    if waits:
        restless = sum(1 for _, calm in results.settle_waits if not calm)
        out.append(f"Settling between steps (until kernel threads and NET_RX are idle): "
                   f"{len(waits)} waits, median {statistics.median(waits):.2f} s, max "
                   f"{max(waits):.2f} s; {restless} ended at the time limit, not calm.")
    out.append("")
    with_podnetc = "podnetc" in opts.methods
    for mode in opts.modes:
        method_table(results, opts, names, mode, out)
        if with_podnetc:
            ratio_table(results, opts, names, mode, out)
    if opts.extras and with_podnetc:
        extras_table(results, opts, out)
        breakdown_table(results, opts, out)
    agent_table(results, out)

    out.append("### What each method builds")
    out.append("")
    out.append("Every method brings each pod's `lo` up, as a Kubernetes pod has it (CNI: the "
               "`loopback` plugin); the harness checks it in the first and last pod.")
    out.append("")
    for name in names:
        method = methods_by_name.get(name)
        if not method:
            continue
        for mode in opts.modes:
            remark = method.builds.get(mode, "")
            extra = sorted(results.notes.get((mode, name), ()))
            out.append(f"- **{name}**, {mode}: {remark}"
                       + ("; " + "; ".join(extra) if extra else ""))
    if "pyroute2" in methods_by_name:
        out.append("- **pyroute2** times include starting the interpreter and `import "
                   "pyroute2`; **pyroute2 (after import)** is the same runs' time after the "
                   "import (what a long-running agent would pay).")
    failures = sorted(results.failed.items())
    if failures:
        out.append("")
        out.append("### Failures (these cells count no time after the failure)")
        out.append("")
        for (mode, pods, name), reason in failures:
            out.append(f"- {name}, {mode}, {pods} pods: {reason}")
    out.append("")
    return "\n".join(out)


def write_csv(path, results, info):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["mode", "pods", "method", "phase", "repeat", "seconds", "load1",
                         "status", "note"])
        for s in results.samples:
            writer.writerow([s.mode, s.pods, s.method, s.phase, s.repeat + 1,
                             f"{s.seconds:.6f}", f"{s.load1:.2f}", "ok", ""])
        for name, reason in sorted(results.skipped.items()):
            writer.writerow(["", "", name, "", "", "", "", "skipped", reason])
        for (mode, pods, name), reason in sorted(results.failed.items()):
            writer.writerow([mode, pods, name, "", "", "", "", "failed", reason])
        for key, value in info.items():
            writer.writerow(["", "", "", "", "", "", "", "machine", f"{key}: {value}"])
