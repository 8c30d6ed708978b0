"""Run one JAX program as several processes on this machine, as on a cluster.

:func:`run_processes` starts copies of a script, each told its process id and
where the coordinator listens; the script calls :func:`init_from_env` first.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import jax

COORDINATOR_VAR = "JAXGUIDE_COORDINATOR"
NUM_PROCESSES_VAR = "JAXGUIDE_NUM_PROCESSES"
PROCESS_ID_VAR = "JAXGUIDE_PROCESS_ID"
_TERM_GRACE_S = 2.0
_POLL_S = 0.05


def free_port() -> int:
    """Ask the operating system for a TCP port on 127.0.0.1 that is free right now.

    Introduced on the page :doc:`/parallelism-devices`.

    Examples
    --------
    >>> from jaxguide import free_port
    >>> 0 < free_port() < 65536
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class ProcessResult:
    """How one process of a group ended, and what it printed.

    Introduced on the page :doc:`/parallelism-devices`.

    Examples
    --------
    >>> from jaxguide import ProcessResult
    >>> ProcessResult(process_id=0, returncode=0, stdout="4.0\\n", stderr="").stdout.strip()
    '4.0'
    """

    process_id: int
    returncode: int
    stdout: str
    stderr: str


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


class ProcessGroupError(RuntimeError):
    """A process of a :func:`run_processes` group failed, or the group timed out.

    ``process_id`` and ``returncode`` name the failed process (both ``None``
    after a time-out); ``results`` holds what every process printed.
    Introduced on the page :doc:`/parallelism-devices`.

    Examples
    --------
    >>> from jaxguide import ProcessGroupError, ProcessResult
    >>> failed = ProcessResult(1, 1, "", "Traceback ...\\nValueError: bad shard")
    >>> print(ProcessGroupError.failed(failed, [failed]))
    process 1 of the group exited with return code 1; the end of its stderr:
    Traceback ...
    ValueError: bad shard
    """

    def __init__(
        self,
        message: str,
        *,
        process_id: int | None,
        returncode: int | None,
        results: list[ProcessResult],
    ) -> None:
        super().__init__(message)
        self.process_id = process_id
        self.returncode = returncode
        self.results = results

    @classmethod
    def failed(cls, result: ProcessResult, results: list[ProcessResult]) -> ProcessGroupError:
        """The error for ``result``, a process that exited with a non-zero code."""
        message = (
            f"process {result.process_id} of the group exited with return code "
            f"{result.returncode}; the end of its stderr:\n{_tail(result.stderr)}"
        )
        return cls(
            message, process_id=result.process_id, returncode=result.returncode, results=results
        )

    @classmethod
    def timed_out(cls, timeout_s: float, results: list[ProcessResult]) -> ProcessGroupError:
        """The error for a group still running after ``timeout_s`` seconds."""
        tails = "".join(
            f"\n--- process {r.process_id} stderr ---\n{_tail(r.stderr)}" for r in results
        )
        message = f"the process group timed out after {timeout_s:g} s and was killed{tails}"
        return cls(message, process_id=None, returncode=None, results=results)


def _kill_groups(procs: list[subprocess.Popen[bytes]]) -> None:
    # Each child leads its own session, so signalling its group also stops
    # anything it started.
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):  # the whole group is gone
                os.killpg(proc.pid, sig)
        deadline = time.monotonic() + _TERM_GRACE_S
        while any(p.poll() is None for p in procs) and time.monotonic() < deadline:
            time.sleep(_POLL_S)


def run_processes(
    script: str,
    num_processes: int = 2,
    *,
    timeout_s: float = 120.0,
    env: Mapping[str, str] | None = None,
) -> list[ProcessResult]:
    """Run ``num_processes`` copies of the Python source ``script`` and wait for them.

    Each copy gets the environment variables ``JAXGUIDE_COORDINATOR``
    (``127.0.0.1:<free port>``), ``JAXGUIDE_NUM_PROCESSES`` and
    ``JAXGUIDE_PROCESS_ID``, plus ``env``. If a process fails, or the group is
    still running after ``timeout_s`` seconds in all, every process is stopped
    and :class:`ProcessGroupError` is raised.
    Introduced on the page :doc:`/parallelism-devices`.

    Examples
    --------
    >>> from jaxguide import run_processes
    >>> script = "import os; print(os.environ['JAXGUIDE_PROCESS_ID'])"
    >>> [r.stdout.strip() for r in run_processes(script, 3)]
    ['0', '1', '2']
    """
    if not isinstance(num_processes, int) or num_processes < 1:
        msg = f"run_processes expected num_processes to be an int >= 1, got {num_processes!r}"
        raise ValueError(msg)
    if not timeout_s > 0:
        msg = f"run_processes expected timeout_s > 0 seconds, got {timeout_s!r}"
        raise ValueError(msg)
    with tempfile.TemporaryDirectory(prefix="jaxguide-processes-") as tmp:
        folder = Path(tmp)
        (folder / "script.py").write_text(script, encoding="utf-8")
        shared = {
            **os.environ,
            **(env or {}),
            COORDINATOR_VAR: f"127.0.0.1:{free_port()}",
            NUM_PROCESSES_VAR: str(num_processes),
        }
        procs = []
        for pid in range(num_processes):
            # Files, not pipes: a chatty process cannot block on a full pipe.
            with (
                (folder / f"{pid}.out").open("wb") as out,
                (folder / f"{pid}.err").open("wb") as err,
            ):
                procs.append(
                    subprocess.Popen(
                        [sys.executable, str(folder / "script.py")],
                        env={**shared, PROCESS_ID_VAR: str(pid)},
                        stdout=out,
                        stderr=err,
                        start_new_session=True,
                    )
                )

        def results() -> list[ProcessResult]:
            return [
                ProcessResult(
                    process_id=pid,
                    returncode=-1 if proc.returncode is None else proc.returncode,
                    stdout=(folder / f"{pid}.out").read_text(errors="replace"),
                    stderr=(folder / f"{pid}.err").read_text(errors="replace"),
                )
                for pid, proc in enumerate(procs)
            ]

        deadline = time.monotonic() + timeout_s
        while True:
            failed = [pid for pid, p in enumerate(procs) if p.poll() not in (None, 0)]
            if failed:
                _kill_groups(procs)
                done = results()
                raise ProcessGroupError.failed(done[failed[0]], done)
            if all(p.returncode == 0 for p in procs):
                return results()
            if time.monotonic() >= deadline:
                _kill_groups(procs)
                raise ProcessGroupError.timed_out(timeout_s, results())
            time.sleep(_POLL_S)


def init_from_env() -> None:
    """Join the process group that :func:`run_processes` started.

    Call it at the top of such a script, before any other JAX operation. It
    selects the gloo collectives for CPU and calls ``jax.distributed.initialize``
    with the coordinator, the number of processes and this process's id.
    Introduced on the page :doc:`/parallelism-devices`.

    Examples
    --------
    >>> from jaxguide import init_from_env
    >>> init_from_env()  # outside `run_processes` the variables are missing
    Traceback (most recent call last):
    ...
    RuntimeError: JAXGUIDE_COORDINATOR, ... are not set; run this script through jaxguide.run_processes
    """
    names = (COORDINATOR_VAR, NUM_PROCESSES_VAR, PROCESS_ID_VAR)
    missing = [name for name in names if name not in os.environ]
    if missing:
        msg = f"{', '.join(missing)} are not set; run this script through jaxguide.run_processes"
        raise RuntimeError(msg)
    try:
        num_processes = int(os.environ[NUM_PROCESSES_VAR])
        process_id = int(os.environ[PROCESS_ID_VAR])
    except ValueError as err:
        msg = f"{NUM_PROCESSES_VAR} and {PROCESS_ID_VAR} must be integers: {err}"
        raise RuntimeError(msg) from err
    jax.config.update("jax_cpu_collectives_implementation", "gloo")  # type: ignore[no-untyped-call]
    jax.distributed.initialize(
        coordinator_address=os.environ[COORDINATOR_VAR],
        num_processes=num_processes,
        process_id=process_id,
    )
