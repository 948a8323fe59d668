"""What every method is: an untimed prepare, a timed setup and a timed teardown."""
import os
import shutil
import subprocess

from topology import Topology


class Skip(Exception):
    """The method cannot run here (not installed, command missing); the message says why."""


class MethodFailed(Exception):
    """A setup or teardown step failed; the message carries the tool's own words."""


class Method:
    name = "?"
    # What the method builds, per mode, for the report (where it differs from the plan).
    builds = {}
    # A second report row fed by `work_seconds` after each step (None: no such row).
    derived_row = None
    work_seconds = None

    def __init__(self, ctx):
        self.ctx = ctx  # workdir, repo, podnetc path (see tools/bench)

    def check_available(self):
        """Raises Skip when the method cannot run on this machine."""

    def prepare(self, pods, mode):
        """Untimed: write scripts, configs, topology files."""

    def setup(self, pods, mode):
        raise NotImplementedError

    def teardown(self, pods, mode):
        raise NotImplementedError

    def after_teardown(self, pods, mode):
        """Untimed: check and remove the method's private state (IPAM dirs …);
        returns what it found left behind."""
        return []

    def addresses(self, pods, mode):
        """Pod index -> address when the method picks addresses itself, else None."""
        return None

    # helpers
    def topo(self, pods, mode):
        return Topology(pods, mode)

    def path(self, *parts):
        directory = os.path.join(self.ctx.workdir, self.name)
        os.makedirs(directory, exist_ok=True)
        return os.path.join(directory, *parts)

    def fresh_dir(self, *parts):
        path = self.path(*parts)
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
        return path


def require_program(path, package):
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise Skip(f"{path} not installed (Debian package {package})")


def run(argv, stdin=None, env=None):
    """Runs one command; raises MethodFailed with its stderr when it fails."""
    result = subprocess.run(argv, input=stdin, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    if result.returncode != 0:
        message = (result.stderr or result.stdout).decode(errors="replace").strip()
        tail = message.splitlines()[-3:] if message else ["(no output)"]
        raise MethodFailed(f"{os.path.basename(argv[0])} exited {result.returncode}: "
                           + " | ".join(tail))
    return result.stdout


def write_script(path, lines):
    with open(path, "w") as f:
        f.write("".join(line + "\n" for line in lines))
    os.chmod(path, 0o755)
    return path
