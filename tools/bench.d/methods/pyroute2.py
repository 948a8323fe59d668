"""pyroute2 (Debian's python3-pyroute2, for /usr/bin/python3): one Python process,
tools/bench.d/pyroute2_pods.py, namespaces created in-process. Its wall time counts
(interpreter start and `import pyroute2` included: that is what running it costs);
the program's own time after the import is reported too, as the row
"pyroute2 (after import)": what a long-running pyroute2 agent would pay."""
import os
import re
import subprocess

from methods.base import Method, Skip, run
from topology import LINK_GROUP

PYTHON = "/usr/bin/python3"
PROGRAM = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "pyroute2_pods.py")


class Pyroute2(Method):
    name = "pyroute2"
    builds = {
        "route": "same as podnetc (host route proto static instead of boot)",
        "bridge": "same as podnetc",
    }

    derived_row = "pyroute2 (after import)"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.work_seconds = None

    def check_available(self):
        probe = subprocess.run([PYTHON, "-c", "import pyroute2"], capture_output=True)
        if probe.returncode != 0:
            raise Skip(f"{PYTHON} cannot import pyroute2 (Debian package python3-pyroute2)")

    def _run(self, argv):
        self.work_seconds = None
        out = run([PYTHON, PROGRAM, *argv]).decode()
        match = re.search(r"work_seconds=([0-9.]+)", out)
        if match:
            self.work_seconds = float(match.group(1))

    def setup(self, pods, mode):
        topo = self.topo(pods, mode)
        self._run(["setup", mode, str(pods), str(topo.address(1)), str(topo.subnet.prefixlen),
                   str(topo.gateway), str(LINK_GROUP)])

    def teardown(self, pods, mode):
        self._run(["teardown", mode, str(pods), str(LINK_GROUP)])
