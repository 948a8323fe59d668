"""Letting the kernel finish the previous step's work before the next timed step.

After a large setup or teardown the kernel keeps working for seconds
(KERNEL-FACTS #10): namespace destruction (cleanup_net) runs in a workqueue, and
every new device in a pod gets IPv6 link-local addresses, DAD, router
solicitations and MLD reports from timers; in bridge mode each of those multicast
packets is flooded to every port (after a 500-pod bridge setup: ~3.5 s of NET_RX softirqs taking a quarter of both
CPUs, then bursts for ~12 s). A step started meanwhile is measured slower (floor's
500-pod setup: ~30 % slower right after a teardown than after settling), and a
connectivity check run meanwhile can lose its ARP reply to a full backlog.

So we wait until kernel threads (kworkers, ksoftirqd) and the NET_RX softirq have
been nearly idle for a few consecutive windows, bounded by a maximum. Other users'
processes do not count: the machine may be shared.
"""
import os
import time

_HZ = os.sysconf("SC_CLK_TCK")


def kernel_thread_ticks():
    """CPU ticks used so far by all kernel threads (children of kthreadd, pid 2)."""
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == "2" or pid == "2":  # ppid, after ")": state ppid pgrp …
            total += int(fields[11]) + int(fields[12])  # utime stime
    return total


def net_rx_softirqs():
    """NET_RX softirqs run so far, all CPUs (packets between pods and host)."""
    with open("/proc/softirqs") as f:
        for line in f:
            if line.split(":", 1)[0].strip() == "NET_RX":
                return sum(int(v) for v in line.split(":", 1)[1].split())
    return 0


def settle(minimum, maximum, window=0.25, quiet_windows=3, busy_share=0.05,
           net_rx_per_second=200):
    """Sleeps at least `minimum` s, then until `quiet_windows` consecutive windows in
    which kernel threads used less than `busy_share` of one CPU and fewer than
    `net_rx_per_second` NET_RX softirqs ran; at most `maximum` s in total. Returns
    (seconds waited, whether it became calm before the maximum)."""
    start = time.perf_counter()
    time.sleep(minimum)
    quiet = 0
    ticks, net_rx = kernel_thread_ticks(), net_rx_softirqs()
    while time.perf_counter() - start < maximum and quiet < quiet_windows:
        time.sleep(window)
        now_ticks, now_net_rx = kernel_thread_ticks(), net_rx_softirqs()
        calm = ((now_ticks - ticks) / _HZ < busy_share * window
                and now_net_rx - net_rx < net_rx_per_second * window)
        quiet = quiet + 1 if calm else 0
        ticks, net_rx = now_ticks, now_net_rx
    return time.perf_counter() - start, quiet >= quiet_windows
