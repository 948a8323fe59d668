#!/usr/bin/env python3
"""Structure of dist/kubernetes/ (no cluster here): the DaemonSet runs the agent in
the host network with /run/netns shared both ways, the state directory on the host,
the topology from the ConfigMap, PODNETC_NODE from spec.nodeName, probes on the
metrics address and resources; the ConfigMap's topology is a checkable file; the
Containerfile installs the .deb on debian:12-slim."""
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

failures = []


def expect(condition, message):
    if not condition:
        failures.append(message)


def check_daemonset(ds):
    expect(ds["kind"] == "DaemonSet" and ds["apiVersion"] == "apps/v1", "not an apps/v1 DaemonSet")
    pod = ds["spec"]["template"]["spec"]
    labels = ds["spec"]["template"]["metadata"]["labels"]
    expect(ds["spec"]["selector"]["matchLabels"].items() <= labels.items(), "the selector does not match the pods")
    expect(pod.get("hostNetwork") is True, "hostNetwork is not true")
    (agent,) = pod["containers"]
    args = agent["args"]
    expect(args[:2] == ["agent", "/etc/podnetc/topology.pnet"], f"args do not run the agent on the ConfigMap: {args}")
    expect("--metrics" in args and args[args.index("--metrics") + 1] == "127.0.0.1:9710", "--metrics is not 127.0.0.1:9710")
    env = {e["name"]: e for e in agent["env"]}
    expect(env.get("PODNETC_NODE", {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "spec.nodeName",
           "PODNETC_NODE does not come from spec.nodeName")
    caps = agent["securityContext"].get("capabilities", {}).get("add", [])
    expect({"NET_ADMIN", "SYS_ADMIN"} <= set(caps), f"capabilities lack NET_ADMIN/SYS_ADMIN: {caps}")

    mounts = {m["name"]: m for m in agent["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    netns = mounts.get("netns", {})
    expect(netns.get("mountPath") == "/run/netns" and netns.get("mountPropagation") == "Bidirectional",
           "/run/netns is not mounted with Bidirectional propagation")
    # The API server accepts Bidirectional only in privileged containers.
    expect(agent["securityContext"].get("privileged") is True, "Bidirectional propagation needs privileged: true")
    expect(volumes.get("netns", {}).get("hostPath", {}).get("path") == "/run/netns", "netns is not hostPath /run/netns")
    expect(mounts.get("state", {}).get("mountPath") == "/run/podnetc"
           and volumes.get("state", {}).get("hostPath", {}).get("path") == "/run/podnetc",
           "the state directory is not hostPath /run/podnetc")
    expect(mounts.get("topology", {}).get("mountPath") == "/etc/podnetc", "the topology is not at /etc/podnetc")
    expect(volumes.get("topology", {}).get("configMap", {}).get("name") == "podnetc-topology",
           "the topology volume is not the ConfigMap podnetc-topology")

    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        get = agent.get(probe, {}).get("httpGet", {})
        expect((get.get("host"), get.get("port"), get.get("path")) == ("127.0.0.1", 9710, path),
               f"{probe} is not GET 127.0.0.1:9710{path}: {get}")
    resources = agent.get("resources", {})
    expect({"cpu", "memory"} <= resources.get("requests", {}).keys(), "no cpu and memory requests")
    expect("memory" in resources.get("limits", {}), "no memory limit")


def check_configmap(cm, podnetc):
    expect(cm["kind"] == "ConfigMap" and cm["metadata"]["name"] == "podnetc-topology", "not ConfigMap podnetc-topology")
    text = cm["data"]["topology.pnet"]
    with tempfile.NamedTemporaryFile("w", suffix=".pnet") as f:
        f.write(text)
        f.flush()
        run = subprocess.run([podnetc, "check", f.name], capture_output=True, text=True)
        expect(run.returncode == 0, f"the ConfigMap's topology does not check:\n{run.stderr}")


def check_containerfile(text):
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    expect(lines[0] == "FROM debian:12-slim", f"the image is not built on debian:12-slim: {lines[0]}")
    expect(any(line.startswith("COPY podnetc_") for line in lines), "the .deb is not copied in")
    expect("apt-get install -y --no-install-recommends ./podnetc_*.deb" in text, "the .deb is not installed with apt-get")


def main():
    kube, podnetc = Path(sys.argv[1]), sys.argv[2]
    check_daemonset(yaml.safe_load((kube / "podnetc-agent.daemonset.yaml").read_text()))
    check_configmap(yaml.safe_load((kube / "podnetc-topology.configmap.yaml").read_text()), podnetc)
    check_containerfile((kube / "Containerfile").read_text())
    for failure in failures:
        print("FAIL:", failure)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
