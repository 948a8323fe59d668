"""podnetc-only rows: the incremental cases a declarative tool is for.

- plan-noop:  `podnetc plan FILE` on a node where FILE is already applied;
- add-one:    `podnetc apply` of the N+1-pod file on a converged N-pod node;
- readdress:  `podnetc apply` of the N-pod file with pod-2's address changed;
- check:      `podnetc check` of generated 1,000 / 10,000 / 100,000-pod files
              (parser + lowering only, no kernel).
Each is skipped, with the reason, while podnetc lacks the command it needs.
"""
import json
import os
import subprocess
import time

import kernel_state
from measure import log
from methods.base import MethodFailed, run
from methods.podnetc import has_command, write_pnet
from topology import GEN_PODS, Topology
from verify import check_topology

PHASES = ("plan-noop", "add-one", "readdress")


def check_works(podnetc, workdir):
    """`podnetc check` must accept a small generated file, or its rows are skipped."""
    path = os.path.join(workdir, "check-probe.pnet")
    with open(path, "w") as f:
        subprocess.run([GEN_PODS, "3"], check=True, stdout=f)
    result = subprocess.run([podnetc, "check", path], capture_output=True, text=True)
    if result.returncode == 0:
        return None
    message = (result.stderr or result.stdout).strip().splitlines()
    return f"podnetc check rejects a generated 3-pod file: {message[0] if message else '?'}"


class Extras:
    def __init__(self, runner, ctx, results):
        self.runner = runner
        self.ctx = ctx
        self.results = results
        self.workdir = os.path.join(ctx.workdir, "podnetc-extras")
        os.makedirs(self.workdir, exist_ok=True)

    def podnetc(self, *argv):
        run([self.ctx.podnetc, *argv])

    def timed(self, *argv):
        start = time.perf_counter()
        self.podnetc(*argv)
        return time.perf_counter() - start

    def skip_reason(self):
        if not (os.path.isfile(self.ctx.podnetc) and os.access(self.ctx.podnetc, os.X_OK)):
            return f"podnetc not built at {self.ctx.podnetc}"
        for command in ("apply", "destroy", "plan"):
            if not has_command(self.ctx.podnetc, command):
                return f"podnetc has no {command} command"
        return None

    def run_kernel_cases(self, opts):
        reason = self.skip_reason()
        if reason:
            for phase in PHASES:
                self.results.skipped[f"podnetc {phase}"] = reason
            log(f"podnetc incremental rows skipped: {reason}")
            return
        for mode in opts.modes:
            for pods in opts.sizes:
                topo = Topology(pods, mode)
                files = {
                    "base": write_pnet(topo, os.path.join(self.workdir, f"{mode}-{pods}.pnet")),
                    "add-one": write_pnet(topo, os.path.join(self.workdir, f"{mode}-{pods}+1.pnet"),
                                          pods=pods + 1),
                    "readdress": write_pnet(topo, os.path.join(self.workdir, f"{mode}-{pods}~2.pnet"),
                                            readdress=(2, topo.address(pods + 1))),
                }
                for repeat in range(opts.repeat):
                    try:
                        self.one_round(topo, files, repeat)
                    except (MethodFailed, AssertionError, OSError) as e:
                        self.results.failed[(mode, pods, "podnetc extras")] = str(e)
                        log(f"{mode} {pods} podnetc extras: FAILED: {e}")
                        self.runner.clean_after_failure(_Named("podnetc"), topo)
                        break

    def breakdown(self, path):
        """One from-scratch `apply --timings --json`: its phases, the per-namespace
        send/ack times summed into one."""
        done = subprocess.run([self.ctx.podnetc, "apply", path, "--timings", "--json"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise MethodFailed(f"podnetc apply --timings exited {done.returncode}: {done.stderr[-300:]}")
        phases, sends, namespaces = [], 0.0, 0
        for t in json.loads(done.stdout)["timings"] or []:
            if t["phase"].startswith("send/ack "):
                sends += t["microseconds"] / 1e6
                namespaces += 1
                if namespaces == 1:
                    phases.append(["send/ack", 0.0])
                continue
            phases.append([t["phase"], t["microseconds"] / 1e6])
        for phase in phases:
            if phase[0] == "send/ack":
                phase[0], phase[1] = f"send/ack ({namespaces} namespaces)", sends
        return [tuple(p) for p in phases]

    def one_round(self, topo, files, repeat):
        runner = self.runner
        if repeat == 0:
            self.results.breakdowns[(topo.mode, topo.pods)] = self.breakdown(files["base"])
        else:
            self.podnetc("apply", files["base"])
        runner.settle(topo.pods)
        runner.record(topo, "podnetc", "plan-noop", repeat, self.timed("plan", files["base"]))

        bigger = Topology(topo.pods + 1, topo.mode)
        seconds = self.timed("apply", files["add-one"])
        runner.settle(topo.pods)
        check_topology(bigger)
        runner.record(topo, "podnetc", "add-one", repeat, seconds)
        self.podnetc("destroy", "--yes", files["add-one"])
        runner.settle(topo.pods)

        self.podnetc("apply", files["base"])
        runner.settle(topo.pods)
        seconds = self.timed("apply", files["readdress"])
        runner.settle(topo.pods)
        moved = {i: topo.address(i) for i in topo.indexes()}
        moved[2] = topo.address(topo.pods + 1)
        check_topology(topo, moved)
        runner.record(topo, "podnetc", "readdress", repeat, seconds)
        self.podnetc("destroy", "--yes", files["readdress"])
        if not kernel_state.wait_until_clean(runner.baseline_devices, runner.baseline_netns,
                                             timeout=60):
            raise AssertionError("podnetc destroy left devices or namespaces")
        runner.settle(topo.pods)

    def run_check_cases(self, opts):
        reason = None
        if not (os.path.isfile(self.ctx.podnetc) and os.access(self.ctx.podnetc, os.X_OK)):
            reason = f"podnetc not built at {self.ctx.podnetc}"
        elif not has_command(self.ctx.podnetc, "check"):
            reason = "podnetc has no check command"
        else:
            reason = check_works(self.ctx.podnetc, self.workdir)
        if reason:
            self.results.skipped["podnetc check"] = reason
            log(f"podnetc check rows skipped: {reason}")
            return
        for pods in opts.check_sizes:
            path = os.path.join(self.workdir, f"check-{pods}.pnet")
            with open(path, "w") as f:
                subprocess.run([GEN_PODS, str(pods)], check=True, stdout=f)
            topo = Topology(pods, "route")
            for repeat in range(opts.repeat):
                try:
                    self.runner.record(topo, "podnetc", "check", repeat, self.timed("check", path))
                except MethodFailed as e:
                    self.results.failed[("route", pods, "podnetc check")] = str(e)
                    log(f"podnetc check {pods}: FAILED: {e}")
                    break


class _Named:
    """Stands in for a method where the runner's cleanup wants one."""

    def __init__(self, name):
        self.name = name

    def after_teardown(self, pods, mode):
        return []


def run_extras(runner, opts, ctx, results):
    extras = Extras(runner, ctx, results)
    extras.run_kernel_cases(opts)
    extras.run_check_cases(opts)
