"""Tests of `jaxguide.multiprocess`: real JAX process groups on localhost."""

from __future__ import annotations

import os
import socket
import textwrap
import time
from pathlib import Path
from typing import Any

import jax
import pytest

import jaxguide.multiprocess as mp
from jaxguide import ProcessGroupError, ProcessResult, free_port, init_from_env, run_processes

CROSS_PROCESS_SUM = textwrap.dedent(
    """
    import jaxguide
    jaxguide.init_from_env()

    import jax
    import jax.numpy as jnp
    import numpy as np
    from jax.sharding import NamedSharding, PartitionSpec

    mesh = jax.make_mesh((jax.device_count(),), ("i",))
    local = np.arange(4, dtype=np.float32) + 4 * jax.process_index()
    x = jax.make_array_from_process_local_data(NamedSharding(mesh, PartitionSpec("i")), local)
    total = jax.jit(jnp.sum, out_shardings=NamedSharding(mesh, PartitionSpec()))(x)
    print(jax.process_index(), jax.process_count(), jax.device_count(), x.shape, float(total))
    """
)


def is_alive(pid: int) -> bool:
    """Whether `pid` runs; a zombie waiting for its parent to reap it counts as dead."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is in the dev environment
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    try:
        return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False


def test_free_port_can_be_bound() -> None:
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_two_processes_sum_one_global_array() -> None:
    results = run_processes(CROSS_PROCESS_SUM, 2, timeout_s=90)
    assert [r.process_id for r in results] == [0, 1]
    assert all(r.returncode == 0 for r in results)
    # Process p holds 4p .. 4p+3, so the global array is 0 .. 7 and its sum 28.
    # Gloo itself prints "[Gloo] Rank ... is connected ..." lines to stdout.
    printed = [
        [line for line in r.stdout.splitlines() if not line.startswith("[Gloo]")] for r in results
    ]
    assert [lines[-1].split() for lines in printed] == [
        ["0", "2", "2", "(8,)", "28.0"],
        ["1", "2", "2", "(8,)", "28.0"],
    ]


def test_each_process_gets_its_id_and_the_extra_env() -> None:
    script = (
        "import os\n"
        "print(os.environ['JAXGUIDE_PROCESS_ID'], os.environ['JAXGUIDE_NUM_PROCESSES'],\n"
        "      os.environ['JAXGUIDE_COORDINATOR'].split(':')[0], os.environ['EXTRA'])\n"
    )
    results = run_processes(script, 3, env={"EXTRA": "yes"})
    assert [r.stdout.split() for r in results] == [
        [str(i), "3", "127.0.0.1", "yes"] for i in range(3)
    ]


def test_a_failing_process_stops_the_group_at_once() -> None:
    script = textwrap.dedent(
        """
        import os, time
        if os.environ["JAXGUIDE_PROCESS_ID"] == "1":
            raise ValueError("shard 1 is broken")
        time.sleep(600)
        """
    )
    start = time.monotonic()
    with pytest.raises(ProcessGroupError) as caught:
        run_processes(script, 2, timeout_s=60)
    assert time.monotonic() - start < 30  # far less than the time-out: it did not wait
    error = caught.value
    assert (error.process_id, error.returncode) == (1, 1)
    assert "process 1 of the group exited with return code 1" in str(error)
    assert "ValueError: shard 1 is broken" in str(error)
    assert error.results[0].returncode < 0  # process 0 was killed by a signal


def test_time_out_kills_every_process_and_its_children(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import os, pathlib, subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        pid = os.environ["JAXGUIDE_PROCESS_ID"]
        pathlib.Path(os.environ["PID_DIR"], pid).write_text(f"{os.getpid()} {child.pid}")
        print("started", file=sys.stderr, flush=True)
        time.sleep(600)
        """
    )
    with pytest.raises(ProcessGroupError) as caught:
        run_processes(script, 2, timeout_s=3, env={"PID_DIR": str(tmp_path)})
    error = caught.value
    assert "timed out after 3 s" in str(error)
    assert "--- process 0 stderr ---\nstarted" in str(error)
    assert "--- process 1 stderr ---\nstarted" in str(error)
    assert (error.process_id, error.returncode) == (None, None)
    pids = [int(p) for f in tmp_path.iterdir() for p in f.read_text().split()]
    assert len(pids) == 4
    deadline = time.monotonic() + 10
    while any(map(is_alive, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(is_alive, pids))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"num_processes": 0}, "num_processes to be an int >= 1"),
        ({"timeout_s": 0}, "timeout_s > 0 seconds"),
    ],
)
def test_run_processes_validates(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        run_processes("pass", **kwargs)


def test_error_messages_keep_only_the_tail_of_stderr() -> None:
    stderr = "\n".join(f"line {i}" for i in range(100))
    failed = ProcessResult(0, 2, "", stderr)
    message = str(ProcessGroupError.failed(failed, [failed]))
    assert "line 99" in message
    assert "line 84" not in message


def test_init_from_env_needs_run_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(mp.COORDINATOR_VAR, raising=False)
    monkeypatch.setenv(mp.NUM_PROCESSES_VAR, "2")
    monkeypatch.delenv(mp.PROCESS_ID_VAR, raising=False)
    with pytest.raises(RuntimeError) as caught:
        init_from_env()
    assert str(caught.value) == (
        "JAXGUIDE_COORDINATOR, JAXGUIDE_PROCESS_ID are not set; "
        "run this script through jaxguide.run_processes"
    )


def test_init_from_env_rejects_non_integer_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(mp.COORDINATOR_VAR, "127.0.0.1:1")
    monkeypatch.setenv(mp.NUM_PROCESSES_VAR, "two")
    monkeypatch.setenv(mp.PROCESS_ID_VAR, "0")
    with pytest.raises(RuntimeError, match="must be integers"):
        init_from_env()


def test_init_from_env_configures_gloo_and_initializes(monkeypatch: pytest.MonkeyPatch) -> None:
    # The real call runs in `test_two_processes_sum_one_global_array`; here JAX is faked
    # because this process's backend has already started.
    calls: list[tuple[str, Any]] = []
    monkeypatch.setattr(jax.config, "update", lambda name, value: calls.append((name, value)))
    monkeypatch.setattr(jax.distributed, "initialize", lambda **kw: calls.append(("init", kw)))
    monkeypatch.setenv(mp.COORDINATOR_VAR, "127.0.0.1:1234")
    monkeypatch.setenv(mp.NUM_PROCESSES_VAR, "4")
    monkeypatch.setenv(mp.PROCESS_ID_VAR, "3")
    init_from_env()
    assert calls == [
        ("jax_cpu_collectives_implementation", "gloo"),
        ("init", {"coordinator_address": "127.0.0.1:1234", "num_processes": 4, "process_id": 3}),
    ]
