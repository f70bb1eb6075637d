"""What the machine is doing during a benchmark: CPU time of given processes, everybody else's load, peak RSS.

All figures come from /proc (Linux only). "Other load" is the machine's busy CPU time
(/proc/stat) minus the benchmark's own: this Python process, the children it has
waited for (wrk) and the server processes it names, in cores averaged over a window.
"""

from __future__ import annotations

import os
import resource
import threading
import time
from pathlib import Path

HZ = os.sysconf("SC_CLK_TCK")


def machine_busy_ticks():
    """Return the busy ticks of all CPUs since boot (user, nice, system, irq, softirq, steal)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return user + nice + system + irq + softirq + steal


def process_ticks(pid):
    """Return utime + stime of a process in ticks, or 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def children(pid):
    """Return the pids whose parent is ``pid`` (a serving process's workers)."""
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def cmdline(pid):
    """Return a process's command line as one string, or "" once it is gone."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def rss_mb(pid):
    """Return a process's resident memory in MB, or 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _self_ticks():
    """Return the CPU ticks of this process and of the children it has waited for."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return (me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime) * HZ


class LoadWindow:
    """Measure, between start() and stop(), how many cores processes other than ours kept busy."""

    def __init__(self, own_pids):
        self.own_pids = list(own_pids)

    def _snapshot(self):
        own = _self_ticks() + sum(process_ticks(p) for p in self.own_pids)
        return time.monotonic(), machine_busy_ticks(), own

    def start(self):
        """Begin the window."""
        self.begin = self._snapshot()
        return self

    def stop(self):
        """End the window; return the other processes' load in cores."""
        end = self._snapshot()
        elapsed = max(end[0] - self.begin[0], 1e-6)
        other = (end[1] - self.begin[1]) - (end[2] - self.begin[2])
        return round(max(other, 0) / HZ / elapsed, 2)


def wait_until_quiet(own_pids, *, threshold, max_wait):
    """Sample one-second windows until other processes use less than ``threshold`` cores.

    Return (waited seconds, last load seen); give up after ``max_wait`` seconds.
    """
    started, load = time.monotonic(), None
    while True:
        window = LoadWindow(own_pids).start()
        time.sleep(1)
        load = window.stop()
        waited = time.monotonic() - started
        if load < threshold or waited >= max_wait:
            return round(waited, 1), load


class RssSampler(threading.Thread):
    """Sample the RSS of a set of processes every 100 ms and keep each one's peak."""

    def __init__(self):
        super().__init__(daemon=True)
        self.pids, self.peaks, self.running = [], {}, True
        self.start()

    def watch(self, pids):
        """Start a new window over ``pids``; peaks from earlier windows are dropped."""
        self.pids, self.peaks = list(pids), {}

    def run(self):
        while self.running:
            for pid in list(self.pids):
                self.peaks[pid] = max(self.peaks.get(pid, 0.0), rss_mb(pid))
            time.sleep(0.1)
