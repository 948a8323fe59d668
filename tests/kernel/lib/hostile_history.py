#!/usr/bin/env python3
"""A randomized hostile history against the real kernel (inside tools/sandbox; issue 11).

From a random small node (2-6 pods on one or two networks, route or bridge mode), runs
random steps, each one of
  edit     the file changes (a pod added or removed, an address moved, a network's mode
           changed or a new network with a random mode) and is applied, with
           --max-delete 100% or without it (then a deletion over the budget must be
           refused, exit 1, and change nothing);
  foreign  other tools change the node: owned objects deleted or rewritten by hand with
           the same values (routes, veths, neighbours, addresses, link state), and
           foreign objects added that podnetc must never touch;
  killed   an apply of the test-switch build dies by SIGKILL at operation k (or at a
           commit step), or gets a kernel refusal injected at operation k (exit 3, and
           the node exactly as before);
  destroy  the node is destroyed (sometimes killed half way);
and after each step checks: the next `apply --max-delete 100%` succeeds, then `plan
--detailed-exitcode` is 0, the foreign objects are byte for byte as they were, and,
now and then, the pods reach their gateway and their peers. At the end `destroy`
leaves nothing of podnetc's and the foreign objects as they were.

    hostile_history.py [--seed S] [--steps N] [--seconds T]

The seed (default: PODNETC_HOSTILE_SEED, else random) is printed first; the same seed
replays the same history. On a failure: the seed, every step so far, the topology file,
the failing command and its output.
"""
import argparse
import difflib
import ipaddress
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

LIB = os.path.dirname(os.path.abspath(__file__))
PODNETC = os.environ["PODNETC"]
SWITCHED = os.environ.get("PODNETC_SWITCHED", "")
STATE_DIR = os.environ.get("PODNETC_STATE_DIR", "/run/podnetc")
OWNED_GROUP = "20558"
OWNED_PROTO = "176"

NETWORKS = {"neta": ipaddress.ip_network("10.10.1.0/24"), "netb": ipaddress.ip_network("10.10.2.0/24")}
MODES = ("route", "bridge", "bridge-gw")  # bridge: no address on the bridge, /32 pods
MAX_PODS, MIN_PODS = 6, 2
PORT_NUMBERS = ("no", "id", "port_no", "port_id", "designated_port", "designated_cost",
                "designated_root", "designated_bridge")


class Failure(Exception):
    pass


class History:
    def __init__(self, seed, steps, seconds):
        self.seed = seed
        self.rng = random.Random(seed)
        self.steps = steps
        self.seconds = seconds
        self.log = []            # what each step did, for the failure report
        self.last = None         # (command, status, stdout, stderr) of the last command
        self.modes = {}          # network -> mode, for networks that have pods
        self.pods = {}           # index -> [network, address]
        self.foreign_links = ["br-foreign", "vf0", "vf1"]
        self.foreign_netns = ["foreign-ns"]
        self.foreign_patterns = [r"198\.51\.100\.", r"192\.0\.2\."]
        self.foreign_count = 0
        self.work = tempfile.mkdtemp(prefix="hostile-")
        self.file = os.path.join(self.work, "node.pnet")
        self.applies = 0

    # ---- commands ---------------------------------------------------------------
    def run(self, command, env=None, check=None, note=True):
        full_env = dict(os.environ)
        if env:
            full_env.update(env)
        started = time.monotonic()
        proc = subprocess.run(command, capture_output=True, text=True, env=full_env,
                              errors="backslashreplace")
        if proc.returncode < 0:  # killed by a signal: as a shell reports it
            proc.returncode = 128 - proc.returncode
        shown = " ".join(f"{k}={v}" for k, v in (env or {}).items())
        shown = (shown + " " if shown else "") + " ".join(command)
        self.last = (shown, proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started)
        if note:
            self.log.append(f"    $ {shown}  -> {proc.returncode}")
        if check is not None and proc.returncode not in (check if isinstance(check, tuple) else (check,)):
            raise Failure(f"`{shown}` exited {proc.returncode}, expected {check}")
        return proc

    def ip(self, *args, check=0):
        return self.run(["ip"] + list(args), check=check)

    def ipj(self, *args):
        """What `ip -j` lists; nothing when the device is gone (an earlier writer of the step)."""
        proc = self.run(["ip", "-j"] + list(args), note=False)
        return json.loads(proc.stdout) if proc.returncode == 0 and proc.stdout.strip() else []

    # ---- the topology file ------------------------------------------------------
    def pods_on(self, net):
        return sorted(i for i, (n, _) in self.pods.items() if n == net)

    def free_address(self, net):
        used = {a for n, a in self.pods.values() if n == net}
        hosts = [str(NETWORKS[net].network_address + k) for k in range(10, 60)]
        return self.rng.choice([h for h in hosts if h not in used])

    def text(self):
        lines = [f"# hostile-history seed {self.seed}"]
        for net in sorted(self.modes):
            mode = self.modes[net]
            line = f"network {net} mode {'route' if mode == 'route' else 'bridge'} subnet {NETWORKS[net]}"
            if mode == "bridge-gw":
                line += f" gateway {NETWORKS[net].network_address + 1}"
            lines.append(line)
        for i in sorted(self.pods):
            net, address = self.pods[i]
            suffix = "/32" if self.modes[net] == "bridge" else ""
            lines.append(f"pod pod-{i} on {net} address {address}{suffix} host-veth hv{i}")
        return "\n".join(lines) + "\n"

    def write(self):
        with open(self.file, "w") as f:
            f.write(self.text())

    def add_pod(self):
        net = self.rng.choice(sorted(NETWORKS))
        if net not in self.modes:
            self.modes[net] = self.rng.choice(MODES)  # a new network, a random mode
        index = self.rng.choice([i for i in range(1, 10) if i not in self.pods])
        self.pods[index] = [net, self.free_address(net)]
        return f"add pod-{index} on {net} ({self.modes[net]}) {self.pods[index][1]}"

    def remove_pods(self, count):
        gone = self.rng.sample(sorted(self.pods), count)
        for i in gone:
            del self.pods[i]
        for net in list(self.modes):
            if not self.pods_on(net):
                del self.modes[net]
        return "remove " + ", ".join(f"pod-{i}" for i in sorted(gone))

    def initial(self):
        for _ in range(self.rng.randint(MIN_PODS, MAX_PODS)):
            self.add_pod()
        self.write()
        self.log.append("start: " + self.text().replace("\n", " | "))

    # ---- invariants -------------------------------------------------------------
    def foreign_dump(self):
        out = []
        for netns in self.foreign_netns:
            out.append(self.run([sys.executable, os.path.join(LIB, "node_state.py"), netns],
                                check=0, note=False).stdout)
        host = self.run([sys.executable, os.path.join(LIB, "node_state.py"), ""], check=0, note=False).stdout
        names = "|".join(re.escape(n) for n in self.foreign_links)
        pattern = re.compile(f'"({names})"|' + "|".join(self.foreign_patterns))
        out.extend(line for line in host.splitlines(keepends=True) if pattern.search(line))
        return "".join(out)

    def node_state(self):
        """node_state.py's lines, without the numbers the bridge assigns a port when it
        is (re-)enslaved and a route's linkdown flag, which follows the carrier (no request sets them: an undo that detaches and re-attaches a
        port restores everything else)."""
        lines = []
        for line in self.run([sys.executable, os.path.join(LIB, "node_state.py")], check=0, note=False).stdout.splitlines():
            label, kind, text = line.split(" ", 2)
            obj = json.loads(text)
            port = obj.get("linkinfo", {}).get("info_slave_data")
            if port:
                for key in PORT_NUMBERS:
                    port.pop(key, None)
            if kind == "route" and "linkdown" in obj.get("flags", []):  # follows the carrier
                obj["flags"].remove("linkdown")
            lines.append(f"{label} {kind} {json.dumps(obj, sort_keys=True)}\n")
        return "".join(lines)

    def same(self, before, now, what):
        if now != before:
            diff = "".join(difflib.unified_diff(before.splitlines(True), now.splitlines(True),
                                                "before", "after", n=0))
            self.last = (f"diff ({what})", 1, diff[:6000], "", 0)
            raise Failure(what)

    def check_foreign(self, what):
        self.same(self.foreign, self.foreign_dump(), f"{what}: the foreign objects changed")

    def converged(self):
        """Invariants (1)-(3) after a step."""
        self.run([PODNETC, "apply", self.file, "--max-delete", "100%"], check=0)
        if os.path.exists(os.path.join(STATE_DIR, "journal.json")):
            raise Failure("a journal is left after a successful apply")
        self.run([PODNETC, "plan", self.file, "--detailed-exitcode"], check=0)
        self.check_foreign("after the apply")

    def ping(self, netns, address):
        for _ in range(3):
            proc = self.run(["ip", "netns", "exec", netns, "ping", "-c1", "-W1", address], note=False)
            if proc.returncode == 0:
                return
        self.log.append(f"    ping {address} from {netns}: no answer")
        raise Failure(f"{netns} does not reach {address}")

    def reachability(self):
        """Invariant (4): a pod of each network reaches its gateway (bridge with an
        address) and a peer on its network."""
        for net in sorted(self.modes):
            pods = self.pods_on(net)
            src = self.rng.choice(pods)
            if self.modes[net] == "bridge-gw":
                self.ping(f"pod-{src}", str(NETWORKS[net].network_address + 1))
            peers = [p for p in pods if p != src]
            if peers:
                self.ping(f"pod-{src}", self.pods[self.rng.choice(peers)][1])
        self.log.append("    pings answered")

    # ---- steps --------------------------------------------------------------------
    def edit(self):
        """Changes the file; returns (description, pods deleted) for the budget."""
        choices = ["address"]
        if len(self.pods) < MAX_PODS:
            choices += ["add", "add"]
        if len(self.pods) > MIN_PODS:
            choices += ["remove", "remove"]
        choices.append("mode")
        kind = self.rng.choice(choices)
        deleted = 0
        if kind == "add":
            what = self.add_pod()
        elif kind == "remove":
            deleted = self.rng.randint(1, len(self.pods) - MIN_PODS)
            what = self.remove_pods(deleted)
        elif kind == "address":
            i = self.rng.choice(sorted(self.pods))
            self.pods[i][1] = self.free_address(self.pods[i][0])
            what = f"pod-{i} moves to {self.pods[i][1]}"
        else:
            net = self.rng.choice(sorted(self.modes))
            self.modes[net] = self.rng.choice([m for m in MODES if m != self.modes[net]])
            what = f"{net} becomes {self.modes[net]}"
            deleted = -1  # unknown: the pods may be re-created
        self.write()
        return what, deleted

    def step_edit(self):
        owned = len(self.pods)
        what, deleted = self.edit()
        self.log.append(f"  edit: {what}")
        if self.rng.random() < 0.7:
            self.run([PODNETC, "apply", self.file, "--max-delete", "100%"], check=0)
            return
        # Without the flag: the default budget is 25% of the owned pods, at least one.
        allowed = max(1, owned // 4)
        before = self.node_state()
        proc = self.run([PODNETC, "apply", self.file], check=(0, 1))
        if proc.returncode == 1:
            if "--max-delete" not in proc.stderr:
                raise Failure("apply without --max-delete exited 1 but not for the deletion budget")
            if 0 <= deleted <= allowed:
                raise Failure(f"deleting {deleted} of {owned} pods (budget {allowed}) was refused")
            self.same(before, self.node_state(), "a refused apply changed the node")
            self.log.append("    refused by the deletion budget, as expected")
        elif deleted > allowed:
            raise Failure(f"deleting {deleted} of {owned} pods (budget {allowed}) went through")

    def owned_pod(self, mode=None):
        pods = [i for i, (n, _) in self.pods.items() if mode is None or self.modes[n] in mode]
        return self.rng.choice(sorted(pods)) if pods else None

    def mutate_owned(self):
        kinds = ["pod-default-del", "host-route-del", "veth-del", "neigh-del", "neigh-flush",
                 "default-replace", "addr-replace", "veth-down", "eth0-down", "nomaster", "eth0-mtu"]
        kind = self.rng.choice(kinds)
        i = self.owned_pod()
        ns = f"pod-{i}"
        if kind == "pod-default-del":
            self.ip("-n", ns, "route", "del", "default", check=(0, 2))
        elif kind == "host-route-del":
            routes = self.ipj("route", "show", "proto", OWNED_PROTO)
            if not routes:
                return self.mutate_owned()
            r = self.rng.choice(routes)
            self.ip("route", "del", r["dst"] if "/" in r["dst"] or r["dst"] == "default" else r["dst"] + "/32",
                    "dev", r["dev"], check=(0, 2))
        elif kind == "veth-del":
            self.ip("link", "del", f"hv{i}", check=(0, 1))
        elif kind in ("neigh-del", "neigh-flush"):
            i = self.owned_pod(("route",))
            if i is None:
                return self.mutate_owned()
            ns = f"pod-{i}"
            if kind == "neigh-del":
                self.ip("-n", ns, "neigh", "del", "169.254.1.1", "dev", "eth0", check=(0, 2))
            else:
                self.ip("-n", ns, "neigh", "flush", "all", check=(0, 1, 2))
                # The pod's next packet re-learns the gateway through proxy ARP.
                self.run(["ip", "netns", "exec", ns, "ping", "-c1", "-W1", "169.254.1.1"])
        elif kind == "default-replace":
            routes = self.ipj("-n", ns, "route", "show", "default")
            if not routes:
                return self.mutate_owned()
            r = routes[0]
            args = ["-n", ns, "route", "replace", "default"]
            if "gateway" in r:
                args += ["via", r["gateway"]]
            args += ["dev", r.get("dev", "eth0")]
            if "onlink" in r.get("flags", []):
                args.append("onlink")
            self.ip(*args, check=(0, 2))
        elif kind == "addr-replace":
            links = self.ipj("-n", ns, "-4", "addr", "show", "dev", "eth0")
            infos = [a for link in links for a in link.get("addr_info", []) if a.get("family") == "inet"]
            if not infos:
                return self.mutate_owned()
            a = infos[0]
            self.ip("-n", ns, "addr", "replace", f"{a['local']}/{a['prefixlen']}", "dev", "eth0", check=(0, 2))
        elif kind == "veth-down":
            self.ip("link", "set", f"hv{i}", "down", check=(0, 1))
        elif kind == "eth0-down":
            self.ip("-n", ns, "link", "set", "eth0", "down", check=(0, 1))
        elif kind == "eth0-mtu":
            self.ip("-n", ns, "link", "set", "eth0", "mtu", "1400", check=(0, 1, 2))
        elif kind == "nomaster":
            i = self.owned_pod(("bridge", "bridge-gw"))
            if i is None:
                return self.mutate_owned()
            self.ip("link", "set", f"hv{i}", "nomaster", check=(0, 1))
        return kind

    def add_foreign(self):
        self.foreign_count += 1
        n = self.foreign_count
        kind = self.rng.choice(["link", "route", "netns", "neigh"])
        if kind == "link":
            self.ip("link", "add", f"fl{n}", "type", "bridge")
            self.ip("link", "set", f"fl{n}", "up")
            self.foreign_links.append(f"fl{n}")
        elif kind == "route":
            self.ip("route", "add", f"203.0.113.{n}/32", "via", "192.0.2.2", "dev", "vf0")
            self.foreign_patterns.append(r"203\.0\.113\.")
        elif kind == "netns":
            self.ip("netns", "add", f"fns{n}")
            self.ip("-n", f"fns{n}", "link", "add", "d0", "type", "bridge")
            self.ip("-n", f"fns{n}", "addr", "add", "10.10.1.10/32", "dev", "d0")  # a pod's address, elsewhere
            self.foreign_netns.append(f"fns{n}")
        else:
            self.ip("neigh", "add", f"192.0.2.{100 + n}", "lladdr", f"02:00:00:00:00:{n:02x}",
                    "dev", "vf0", "nud", "permanent")
        return f"foreign {kind} {n}"

    def step_foreign(self):
        done = []
        for _ in range(self.rng.randint(1, 3)):
            if self.rng.random() < 0.25:
                done.append(self.add_foreign())
                self.foreign = self.foreign_dump()
            else:
                done.append(self.mutate_owned())
        self.log.append("  foreign writers: " + ", ".join(done))

    def op_count(self, command="plan"):
        args = [PODNETC, "plan", self.file, "--json"]
        proc = self.run(args, check=0, note=False)
        return len(json.loads(proc.stdout)["ops"])

    def step_killed(self):
        if not SWITCHED:
            return self.step_edit()
        # The foreign writer first: it picks among the pods the node has (the edit may add one).
        if self.rng.random() < 0.3:
            self.log.append(f"  foreign writer: {self.mutate_owned()}")
        if self.rng.random() < 0.6:
            what, _ = self.edit()
            self.log.append(f"  edit: {what}")
        n = self.op_count()
        switch = "PODNETC_TEST_KILL_AT" if self.rng.random() < 0.6 else "PODNETC_TEST_FAIL_AT"
        if n == 0:
            at = "1"
        elif switch == "PODNETC_TEST_KILL_AT" and self.rng.random() < 0.25:
            at = self.rng.choice(["verified", "committed", "recorded"])
        else:
            at = str(self.rng.randint(1, n))
        self.log.append(f"  killed apply: {switch}={at} of {n} operations")
        before = self.node_state()
        command = [SWITCHED, "apply", self.file, "--max-delete", "100%"]
        if switch == "PODNETC_TEST_KILL_AT":
            self.run(command, env={switch: at}, check=(137,) if n else (0,))
            if n and self.rng.random() < 0.4:
                self.run([PODNETC, "recover"], check=0)
        else:
            self.run(command, env={switch: at}, check=(3,) if n else (0,))
            self.same(before, self.node_state(), f"{switch}={at}: the rolled-back apply did not restore the node")

    def step_destroy(self):
        n = len(self.pods)
        if SWITCHED and self.rng.random() < 0.5:
            at = str(self.rng.randint(1, max(1, 3 * n)))
            self.log.append(f"  destroy killed at {at}")
            self.run([SWITCHED, "destroy", "--yes", self.file], env={"PODNETC_TEST_KILL_AT": at}, check=(0, 137))
        else:
            self.log.append("  destroy")
            self.run([PODNETC, "destroy", "--yes", self.file], check=0)
            self.nothing_owned("destroy")
        self.check_foreign("after the destroy")

    def nothing_owned(self, what):
        show = self.run([PODNETC, "show", "--json"], check=0, note=False).stdout
        if '"owned": true' in show:
            raise Failure(f"{what}: podnetc still owns objects")
        if self.run(["ip", "link", "show", "group", OWNED_GROUP], check=0, note=False).stdout.strip():
            raise Failure(f"{what}: links in group {OWNED_GROUP} left")
        if self.run(["ip", "route", "show", "table", "all", "proto", OWNED_PROTO], check=0, note=False).stdout.strip():
            raise Failure(f"{what}: routes with proto {OWNED_PROTO} left")
        names = [l.split()[0] for l in self.run(["ip", "netns", "list"], check=0, note=False).stdout.splitlines() if l.strip()]
        left = [n for n in names if n not in self.foreign_netns]
        if left:
            raise Failure(f"{what}: namespaces left: {left}")

    # ---- the history ------------------------------------------------------------
    def main(self):
        started = time.monotonic()
        self.foreign = self.foreign_dump()
        self.initial()
        self.converged()
        steps = [("edit", 4), ("foreign", 4), ("killed", 3), ("destroy", 0.5)]
        done = 0
        for number in range(1, self.steps + 1):
            if self.seconds and time.monotonic() - started > self.seconds:
                print(f"hostile-history: time bound ({self.seconds} s) reached after {done} steps")
                break
            kind = self.rng.choices([s for s, _ in steps], [w for _, w in steps])[0]
            self.log.append(f"step {number}: {kind}")
            getattr(self, f"step_{kind}")()
            self.converged()
            if os.environ.get("PODNETC_HOSTILE_TRACE"):  # the host's links after each step
                self.log.append(self.run(["ip", "-br", "link"], note=False).stdout)
            if self.rng.random() < 0.3 or number == self.steps:
                self.reachability()
            done += 1
        self.log.append("end: destroy")
        self.run([PODNETC, "destroy", "--yes", self.file], check=0)
        self.nothing_owned("the final destroy")
        self.check_foreign("after the final destroy")
        print(f"hostile-history: seed {self.seed}: {done} steps, all invariants held "
              f"({time.monotonic() - started:.1f} s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--steps", type=int, default=int(os.environ.get("PODNETC_HOSTILE_STEPS", "40")))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("PODNETC_HOSTILE_SECONDS", "60")),
                        help="stop taking new steps after this long (0: no bound)")
    opts = parser.parse_args()
    seed = opts.seed
    if seed is None:
        env = os.environ.get("PODNETC_HOSTILE_SEED", "")
        seed = int(env) if env else random.SystemRandom().randrange(1 << 32)
    print(f"hostile-history: seed {seed} (replay: PODNETC_HOSTILE_SEED={seed})", flush=True)
    history = History(seed, opts.steps, opts.seconds)
    try:
        history.main()
        shutil.rmtree(history.work, ignore_errors=True)
    except (Failure, subprocess.SubprocessError, OSError, ValueError, KeyError) as error:
        print(f"\nhostile-history: FAILED with seed {seed}: {error}", file=sys.stderr)
        print("steps so far:", file=sys.stderr)
        print("\n".join(history.log), file=sys.stderr)
        print(f"\ntopology file ({history.file}, kept):\n{history.text()}", file=sys.stderr)
        if history.last:
            shown, status, out, err, _ = history.last
            print(f"last command: {shown}\nexit: {status}\n--- stdout\n{out[-6000:]}\n--- stderr\n{err[-6000:]}",
                  file=sys.stderr)
        print(f"\nreplay: PODNETC_HOSTILE_SEED={seed} PODNETC_HOSTILE_STEPS={history.steps} "
              f"ctest --test-dir build -L kernel -R hostile-history --output-on-failure\n"
              f"    or: tools/hostile-history --seed {seed} --steps {history.steps}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
