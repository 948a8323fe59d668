"""The plain-C lower bound: tools/bench.d/floor.c, compiled here with `cc -O2 -lmnl`
(only the syscalls that are necessary; see the file's header)."""
import os
import shutil
import subprocess

from methods.base import Method, Skip, run
from topology import LINK_GROUP

SOURCE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "floor.c")


class Floor(Method):
    name = "floor"
    builds = {
        "route": "same as podnetc (devconf by RTM_SETLINK, proxy_delay by RTM_SETNEIGHTBL)",
        "bridge": "same as podnetc",
    }

    def check_available(self):
        if not shutil.which("cc"):
            raise Skip("no C compiler (cc)")
        binary = self.path("floor")
        result = subprocess.run(["cc", "-O2", "-Wall", "-o", binary, SOURCE, "-lmnl"],
                                capture_output=True, text=True)
        if result.returncode != 0:
            first = (result.stderr.strip().splitlines() or ["?"])[0]
            raise Skip(f"cannot compile floor.c (libmnl-dev?): {first}")

    def setup(self, pods, mode):
        topo = self.topo(pods, mode)
        run([self.path("floor"), "setup", mode, str(pods), str(topo.address(1)),
             str(topo.subnet.prefixlen), str(topo.gateway), str(LINK_GROUP)])

    def teardown(self, pods, mode):
        run([self.path("floor"), "teardown", mode, str(pods), str(LINK_GROUP)])
