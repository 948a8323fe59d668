"""podnetc agent rows (issue 12, "Speed"): the agent as a process on a converged node.

- idle CPU:    CPU time (user+system) of the agent over --agent-idle seconds on a
               converged --agent-pods node, nothing changing;
- repair:      a pod's default route deleted by hand (`ip -n pod-K route del
               default`), until the agent's log says the repair is committed: from
               just before the command to the log entry's time; --agent-trials
               trials, median and max;
- resync:      the agent's own duration of a full cycle (SIGHUP: compile, lock,
               read, plan; nothing to do) on an unchanged --agent-resync-pods node.
"""
import contextlib
import json
import os
import signal
import statistics
import subprocess
import time
import urllib.request
from datetime import datetime, timezone

import kernel_state
from measure import log
from methods.podnetc import write_pnet
from topology import Topology

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class Agent:
    def __init__(self, podnetc, pnet, workdir):
        self.log_path = os.path.join(workdir, "agent.log")
        self.log_file = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [podnetc, "agent", pnet, "--metrics", "127.0.0.1:0", "--log-format", "json",
             "--resync", "1h", "--max-delete", "100%"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.log_file)
        self.port = None
        self.wait(lambda: self.port_from_log() and self.metric("podnetc_converged") == 1, 120,
                  "the agent converges")

    def entries(self):
        with open(self.log_path) as f:
            return [json.loads(line) for line in f if line.strip()]

    def port_from_log(self):
        for entry in self.entries():
            if entry["event"] == "metrics":
                self.port = entry["port"]
        return self.port

    def metrics(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as r:
            text = r.read().decode()
        values = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, value = line.rsplit(" ", 1)
                values[name] = float(value)
        return values

    def metric(self, name):
        return self.metrics().get(name)

    def cycles(self):
        return sum(v for k, v in self.metrics().items() if k.startswith("podnetc_cycles_total"))

    def wait(self, done, timeout, what):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the agent exited ({self.process.returncode}) before: {what}")
            if done():
                return
            time.sleep(0.005)
        raise AssertionError(f"not within {timeout} s: {what}")

    def cpu_seconds(self):
        with open(f"/proc/{self.process.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log_file.close()


def entry_time(entry):
    return datetime.strptime(entry["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp()


@contextlib.contextmanager
def converged_node(ctx, runner, pods, name):
    """An agent converged on a `pods`-pod route-mode node; stopped and the node
    destroyed (and checked clean) afterwards, also after a failure."""
    pnet = write_pnet(Topology(pods, "route"), os.path.join(ctx.workdir, f"agent-{name}-{pods}.pnet"))
    agent = Agent(ctx.podnetc, pnet, ctx.workdir)
    runner.settle(pods)
    try:
        yield agent
    finally:
        agent.stop()
        subprocess.run([ctx.podnetc, "destroy", "--yes", pnet], check=True, capture_output=True)
        if not kernel_state.wait_until_clean(runner.baseline_devices, runner.baseline_netns, timeout=60):
            raise AssertionError("destroy after the agent left devices or namespaces")
        runner.settle(pods)


def idle_and_repair(ctx, runner, opts, rows):
    pods = opts.agent_pods
    with converged_node(ctx, runner, pods, "idle") as agent:
        before = agent.cpu_seconds()
        time.sleep(opts.agent_idle)
        used = agent.cpu_seconds() - before
        rows.append(("idle CPU", pods, f"{used * 1000:.0f} ms over {opts.agent_idle:g} s "
                                       f"({100 * used / opts.agent_idle:.3f}% of a core)"))
        latencies = []
        for trial in range(opts.agent_trials):
            pod = f"pod-{trial % pods + 1}"
            seen = len(agent.entries())
            started = time.time()
            subprocess.run(["ip", "-n", pod, "route", "del", "default"], check=True)

            def repaired():
                fresh = agent.entries()[seen:]
                return [e for e in fresh if e["event"] == "applied" and e.get("trigger") == "kernel"]
            agent.wait(repaired, 10, f"the repair of {pod}'s route")
            latencies.append(entry_time(repaired()[0]) - started)
            out = subprocess.run(["ip", "-n", pod, "route", "show", "default"], check=True,
                                 capture_output=True, text=True).stdout
            if "proto 176" not in out:
                raise AssertionError(f"{pod}'s route is not podnetc's after the repair: {out!r}")
            time.sleep(0.05)
        rows.append(("repair latency", pods,
                     f"median {statistics.median(latencies) * 1000:.0f} ms, max "
                     f"{max(latencies) * 1000:.0f} ms over {len(latencies)} trials"))


def resync(ctx, runner, opts, rows):
    pods = opts.agent_resync_pods
    with converged_node(ctx, runner, pods, "resync") as agent:
        seconds = []
        for _ in range(max(3, opts.repeat)):
            before = agent.cycles()
            agent.process.send_signal(signal.SIGHUP)
            agent.wait(lambda: agent.cycles() > before, 30, "a SIGHUP cycle")
            seconds.append(agent.metric("podnetc_last_cycle_duration_seconds"))
        rows.append(("resync, nothing to do", pods,
                     f"median {statistics.median(seconds) * 1000:.1f} ms, min {min(seconds) * 1000:.1f} ms "
                     f"of {len(seconds)}"))


def run_agent_rows(runner, opts, ctx, results):
    rows = []
    for case in (idle_and_repair, resync):
        try:
            case(ctx, runner, opts, rows)
        except (AssertionError, OSError, subprocess.CalledProcessError) as e:
            results.failed[("route", 0, f"podnetc agent {case.__name__}")] = str(e)
            log(f"agent {case.__name__}: FAILED: {e}")
    results.agent_rows = rows


def agent_table(results, out):
    rows = getattr(results, "agent_rows", [])
    if not rows:
        return
    out.append("### podnetc agent (route mode)")
    out.append("")
    out.append("| case | pods | measured |")
    out.append("|---|---|---|")
    for case, pods, text in rows:
        out.append(f"| {case} | {pods} | {text} |")
    out.append("")
