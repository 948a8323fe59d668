"""Letting the kernel finish the previous run's work before the next timed step.

After a large setup or teardown the kernel keeps working for a while in kernel
threads: namespace destruction (cleanup_net) is asynchronous, and new devices get
IPv6 link-local addresses, DAD, router solicitations and MLD reports from timers. A
step that starts while that runs is measured slower (KERNEL-FACTS #10). We wait
until kernel threads have been (nearly) idle for a while, bounded by a maximum.
Other users' processes do not count: the machine may be shared.
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


def settle(minimum, maximum, window=0.25, quiet_windows=2, busy_share=0.05):
    """Sleeps at least `minimum` s, then until kernel threads used less than
    `busy_share` of one CPU in `quiet_windows` consecutive windows, at most `maximum`
    s in total. Returns the seconds waited."""
    start = time.perf_counter()
    time.sleep(minimum)
    quiet = 0
    before = kernel_thread_ticks()
    while time.perf_counter() - start < maximum and quiet < quiet_windows:
        time.sleep(window)
        now = kernel_thread_ticks()
        quiet = quiet + 1 if (now - before) / _HZ < busy_share * window else 0
        before = now
    return time.perf_counter() - start
