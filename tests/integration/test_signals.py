"""SIGTERM (what docker, systemd and process managers send) stops every command and its children.

Each command runs as a real process with real children (Tansu, a faust worker). The
test sends SIGTERM to the command's process alone, not its group, as a process
manager does, and requires within 10 s: the command exited, every process it started
is gone, and its ports accept a new listener. A SIGKILLed ``crosscheck broker`` must
not leave its broker behind either (``prctl(PR_SET_PDEATHSIG)``).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.integration.conftest import ROOT, WorkerProcess
from worker.broker import free_port, wait_for_port
from worker.settings import Settings

pytestmark = pytest.mark.integration

STOP_WITHIN_S = 10.0


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                stat = fh.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: the fields follow the last ")"
        fields = stat.rsplit(")", 1)[1].split()
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def descendants(pid: int) -> set[int]:
    tree = _children()
    found: set[int] = set()
    stack = [pid]
    while stack:
        for child in tree.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def alive(pid: int) -> bool:
    """Running (a zombie has ended: only its exit status waits to be collected)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def wait_gone(proc: subprocess.Popen[bytes], children: set[int], ports: list[int]) -> tuple[float, str]:
    """Seconds until the command, its children and its ports were all gone; what is left if not."""
    start = time.monotonic()
    while time.monotonic() - start < STOP_WITHIN_S:
        proc.poll()
        left = [p for p in children if alive(p)]
        busy = [p for p in ports if not port_free(p)]
        if proc.returncode is not None and not left and not busy:
            return time.monotonic() - start, ""
        time.sleep(0.1)
    left = [p for p in children if alive(p)]
    busy = [p for p in ports if not port_free(p)]
    return time.monotonic() - start, f"exit code {proc.poll()}, children alive {left}, ports busy {busy}"


def kill_leftovers(pids: set[int]) -> None:
    """After a failure: end what this test started and the command left behind."""
    for pid in pids:
        if alive(pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def command(args: list[str], log: Path) -> Iterator[tuple[subprocess.Popen[bytes], set[int]]]:
    """The command as a process, and a set the test fills with its children (killed at the end
    if still there)."""
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "worker", *args], stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT
        )
    children: set[int] = set()
    try:
        yield proc, children
    finally:
        children |= descendants(proc.pid) if proc.poll() is None else set()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        kill_leftovers(children)


def wait_log(log: Path, pattern: str, proc: subprocess.Popen[bytes], timeout: float) -> re.Match[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = re.search(pattern, log.read_text(errors="replace"))
        if match:
            return match
        assert proc.poll() is None, (
            f"exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}"
        )
        time.sleep(0.2)
    raise AssertionError(
        f"{pattern!r} not in the log after {timeout} s:\n{log.read_text(errors='replace')[-3000:]}"
    )


@pytest.mark.timeout(60)
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["term", "int", "kill"])
def test_broker_command_stops_its_broker(tmp_path: Path, how: signal.Signals) -> None:
    port = free_port()
    log = tmp_path / "broker.log"
    with command(["broker", "--port", str(port)], log) as (proc, children):
        wait_for_port("127.0.0.1", port, timeout=30)
        children.update(descendants(proc.pid))
        assert children, "the broker runs as a child process"
        proc.send_signal(how)  # to the command alone, not its process group
        took, left = wait_gone(proc, children, [port])
    print(f"\ncrosscheck broker, {how.name}: gone in {took:.2f} s")
    assert not left, f"{how.name}: {left}\n{log.read_text(errors='replace')[-2000:]}"


@pytest.mark.timeout(120)
def test_worker_command_stops_on_sigterm(
    make_settings: Callable[..., Settings], start_worker: Callable[..., WorkerProcess]
) -> None:
    settings = make_settings()
    worker = start_worker(settings)
    assert worker.proc is not None
    children = descendants(worker.proc.pid)
    worker.proc.send_signal(signal.SIGTERM)
    try:
        took, left = wait_gone(worker.proc, children, [settings.web_port])
    finally:
        kill_leftovers(children)
    print(f"\ncrosscheck worker, SIGTERM: gone in {took:.2f} s")
    assert not left, f"{left}\n{worker.tail()}"


@pytest.mark.timeout(240)
def test_demo_command_stops_broker_and_worker_on_sigterm(tmp_path: Path) -> None:
    log = tmp_path / "demo.log"
    with command(["demo", "--keep-running"], log) as (proc, children):
        broker_port = int(wait_log(log, r"embedded broker up at kafka://127\.0\.0\.1:(\d+)", proc, 60)[1])
        web_port = int(wait_log(log, r"starting the worker \(http://127\.0\.0\.1:(\d+)\)", proc, 60)[1])
        wait_log(log, r"the stack stays up", proc, 180)
        children.update(descendants(proc.pid))
        assert len(children) >= 2, f"broker and worker run as children: {children}"
        proc.send_signal(signal.SIGTERM)
        took, left = wait_gone(proc, children, [broker_port, web_port])
    print(f"\ncrosscheck demo, SIGTERM: gone in {took:.2f} s")
    assert not left, f"{left}\n{log.read_text(errors='replace')[-3000:]}"
