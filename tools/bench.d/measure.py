"""The measurement loop: build, check, tear down, check again, settle; repeat."""
import sys
import time
from dataclasses import dataclass, field

import kernel_state
from methods.base import MethodFailed, Skip
from settle import settle
from topology import Topology
from verify import check_topology


@dataclass
class Sample:
    mode: str
    pods: int
    method: str
    phase: str  # apply | teardown | (podnetc extras) plan-noop, add-one, readdress, check
    repeat: int
    seconds: float
    load1: float


@dataclass
class Results:
    samples: list = field(default_factory=list)
    skipped: dict = field(default_factory=dict)  # method -> reason
    failed: dict = field(default_factory=dict)  # (mode, pods, method) -> reason
    notes: dict = field(default_factory=dict)  # (mode, method) -> set of remarks
    settle_waits: list = field(default_factory=list)  # (seconds, calm before the maximum)
    # (mode, pods) -> [(phase, seconds)]: `podnetc apply --timings` of one from-scratch apply
    breakdowns: dict = field(default_factory=dict)

    def times(self, mode, pods, method, phase):
        return [s.seconds for s in self.samples
                if (s.mode, s.pods, s.method, s.phase) == (mode, pods, method, phase)]

    def remark(self, mode, method, text):
        self.notes.setdefault((mode, method), set()).add(text)


def load1():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


class Runner:
    def __init__(self, opts, results):
        self.opts = opts
        self.results = results
        self.baseline_devices = kernel_state.device_names()
        self.baseline_netns = kernel_state.netns_names()
        self.baseline = kernel_state.snapshot()
        self.globals = kernel_state.globals_snapshot()

    def settle(self, pods):
        """Waits for the kernel to finish the last step's background work."""
        bounds = self.opts.settle_for(pods)
        if bounds:
            self.results.settle_waits.append(settle(*bounds))

    def record(self, topo, method, phase, repeat, seconds):
        self.results.samples.append(
            Sample(topo.mode, topo.pods, method, phase, repeat, seconds, load1()))

    def record_derived(self, method, topo, phase, repeat):
        if method.derived_row and method.work_seconds is not None:
            self.record(topo, method.derived_row, phase, repeat, method.work_seconds)

    def leftovers(self, method, topo):
        """Root-namespace differences from the baseline, given a few seconds to vanish
        (a teardown's asynchronous tail), plus the method's own private state."""
        deadline = time.perf_counter() + 5
        while True:
            diff = kernel_state.differences(self.baseline, kernel_state.snapshot())
            if not diff or time.perf_counter() > deadline:
                break
            time.sleep(0.2)
        return diff + method.after_teardown(topo.pods, topo.mode)

    def restore_globals(self, method, topo):
        changed = kernel_state.restore_globals(self.globals)
        if changed:
            knobs = ", ".join(f"{name.replace('/', '.')}={value}"
                              for name, value in sorted(changed.items()))
            self.results.remark(topo.mode, method.name,
                                f"teardown leaves {knobs} (the harness resets them)")

    def clean_after_failure(self, method, topo):
        kernel_state.force_clean(self.baseline_devices, self.baseline_netns)
        try:
            method.after_teardown(topo.pods, topo.mode)
        except OSError:
            pass
        kernel_state.restore_globals(self.globals)
        self.settle(topo.pods)

    def run_once(self, method, topo, repeat):
        """One timed setup and one timed teardown; raises MethodFailed/AssertionError."""
        start = time.perf_counter()
        method.setup(topo.pods, topo.mode)
        apply_seconds = time.perf_counter() - start
        # Check after settling: right after any large setup, the pods' new interfaces
        # flood IPv6 DAD/RS/MLD (in bridge mode to every port: N² frames), and a frame
        # of the check dropped then costs an ARP retry (1 s), for every method alike.
        self.settle(topo.pods)
        check_topology(topo, method.addresses(topo.pods, topo.mode))
        self.record(topo, method.name, "apply", repeat, apply_seconds)
        self.record_derived(method, topo, "apply", repeat)

        start = time.perf_counter()
        method.teardown(topo.pods, topo.mode)
        clean = kernel_state.wait_until_clean(self.baseline_devices, self.baseline_netns,
                                              timeout=60)
        teardown_seconds = time.perf_counter() - start
        if not clean:
            raise AssertionError("devices or namespaces still there 60 s after teardown")
        left = self.leftovers(method, topo)
        if left:
            raise AssertionError("teardown left: " + "; ".join(left[:5])
                                 + (f" (+{len(left) - 5} more)" if len(left) > 5 else ""))
        self.record(topo, method.name, "teardown", repeat, teardown_seconds)
        self.record_derived(method, topo, "teardown", repeat)
        self.restore_globals(method, topo)
        self.settle(topo.pods)

    def run_cell(self, method, topo, repeat):
        key = (topo.mode, topo.pods, method.name)
        if key in self.results.failed:
            return
        try:
            self.run_once(method, topo, repeat)
            apply_s, teardown_s = (self.results.times(topo.mode, topo.pods, method.name, p)[-1]
                                   for p in ("apply", "teardown"))
            log(f"{topo.mode} {topo.pods:>4} {method.name:<9} #{repeat + 1}: "
                f"apply {apply_s:.3f} s, teardown {teardown_s:.3f} s")
        except (MethodFailed, AssertionError, OSError) as e:
            self.results.failed[key] = str(e)
            log(f"{topo.mode} {topo.pods:>4} {method.name:<9} #{repeat + 1}: FAILED: {e}")
            self.clean_after_failure(method, topo)


def available_methods(method_classes, ctx, results):
    methods = []
    for cls in method_classes:
        method = cls(ctx)
        try:
            method.check_available()
            methods.append(method)
        except Skip as e:
            results.skipped[method.name] = str(e)
            log(f"{method.name}: skipped: {e}")
    return methods


def run_all(opts, methods, results):
    runner = Runner(opts, results)
    for mode in opts.modes:
        for pods in opts.sizes:
            topo = Topology(pods, mode)
            for method in methods:
                method.prepare(pods, mode)
            for repeat in range(opts.repeat):
                # Rotate the order each round so no method always runs right after
                # the same neighbour (or first, on a cold cache).
                shift = repeat % len(methods) if methods else 0
                for method in methods[shift:] + methods[:shift]:
                    runner.run_cell(method, topo, repeat)
    return runner
