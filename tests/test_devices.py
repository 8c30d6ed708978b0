"""Tests of `jaxguide.devices`; the not-yet-started backend is tested in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from types import SimpleNamespace
from typing import Any

import jax
import pytest

import jaxguide.devices
from jaxguide import DeviceInfo, describe_devices, use_cpu_devices
from jaxguide.devices import _format_bytes


def fake_device(device_id: int, stats: dict[str, int] | None) -> Any:
    return SimpleNamespace(
        id=device_id,
        platform="gpu",
        device_kind="NVIDIA H200",
        process_index=0,
        memory_stats=lambda: stats,
    )


@pytest.mark.parametrize("bad", ["8", 2.0, True, None])
def test_use_cpu_devices_rejects_non_ints(bad: Any) -> None:
    with pytest.raises(TypeError, match="use_cpu_devices expected an int number of devices"):
        use_cpu_devices(bad)


@pytest.mark.parametrize("bad", [0, -3])
def test_use_cpu_devices_rejects_fewer_than_one(bad: int) -> None:
    with pytest.raises(ValueError, match=f"expected n >= 1, got {bad}"):
        use_cpu_devices(bad)


def test_use_cpu_devices_is_a_no_op_when_the_count_already_matches() -> None:
    count = jax.device_count()  # starts the backend if no earlier test did
    use_cpu_devices(count)
    assert jax.device_count() == count


def test_use_cpu_devices_too_late_says_what_to_do() -> None:
    count = jax.device_count()
    with pytest.raises(RuntimeError) as caught:
        use_cpu_devices(count + 1)
    message = str(caught.value)
    assert f"Call `jaxguide.use_cpu_devices({count + 1})` before the first JAX operation" in message
    assert f"already started with {count} cpu device(s)" in message
    assert "first cell" in message


def test_use_cpu_devices_refuses_another_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    count = jax.device_count()
    monkeypatch.setattr(jax, "default_backend", lambda: "gpu")
    with pytest.raises(RuntimeError, match=r"already started with \d+ gpu device"):
        use_cpu_devices(count)


def test_backend_probe_without_the_private_function(monkeypatch: pytest.MonkeyPatch) -> None:
    from jax._src import xla_bridge

    assert jaxguide.devices._backend_started() is xla_bridge.backends_are_initialized()
    monkeypatch.delattr(xla_bridge, "backends_are_initialized")
    started = jaxguide.devices._backend_started()
    monkeypatch.undo()  # JAX's own validator needs the function back
    assert started is False


def test_use_cpu_devices_relies_on_jax_refusing(monkeypatch: pytest.MonkeyPatch) -> None:
    count = jax.device_count()
    monkeypatch.setattr(jaxguide.devices, "_backend_started", lambda: False)
    with pytest.raises(RuntimeError, match="came too late") as caught:
        use_cpu_devices(count + 1)
    assert isinstance(caught.value.__cause__, RuntimeError)  # JAX's own refusal


def test_use_cpu_devices_before_the_backend_starts() -> None:
    script = textwrap.dedent(
        """
        import jax
        from jax._src import xla_bridge
        import jaxguide

        assert not xla_bridge.backends_are_initialized(), "importing jaxguide started JAX"
        jaxguide.use_cpu_devices(4)
        print(jax.device_count(), jax.default_backend())
        jaxguide.use_cpu_devices(4)
        try:
            jaxguide.use_cpu_devices(2)
        except RuntimeError as err:
            print("refused:", err)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    first, second = proc.stdout.splitlines()
    assert first == "4 cpu"
    assert second.startswith("refused: use_cpu_devices(2) came too late")
    assert "with 4 cpu device(s)" in second


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (512, "512 B"),
        (1536, "1.5 KiB"),
        (3 * 1024**2, "3.0 MiB"),
        (141 * 1024**3, "141.0 GiB"),
        (2 * 1024**4, "2.0 TiB"),
    ],
)
def test_format_bytes(n: int, text: str) -> None:
    assert _format_bytes(n) == text


def test_device_info_reads_memory_stats() -> None:
    stats = {"bytes_in_use": 1024**3, "bytes_limit": 140 * 1024**3}
    info = DeviceInfo.of(fake_device(3, stats))
    assert info == DeviceInfo(3, "gpu", "NVIDIA H200", 0, 1024**3, 140 * 1024**3)
    assert info.memory() == "bytes_in_use=1.0 GiB bytes_limit=140.0 GiB"
    no_limit = DeviceInfo.of(fake_device(0, {"bytes_in_use": 10}))
    assert no_limit.memory() == "bytes_in_use=10 B bytes_limit=?"


def test_device_info_on_cpu_does_not_crash() -> None:
    info = DeviceInfo.of(jax.devices()[0])
    assert (info.platform, info.bytes_in_use, info.bytes_limit) == ("cpu", None, None)
    assert info.memory() == "memory_stats=None"


def test_describe_devices_lists_every_device() -> None:
    text = describe_devices([fake_device(0, {"bytes_in_use": 0}), fake_device(1, None)])
    assert text.splitlines() == [
        "platform: gpu",
        "devices: 2  process_index=0  process_count=1",
        "  gpu:0  kind=NVIDIA H200  process=0  bytes_in_use=0 B bytes_limit=?",
        "  gpu:1  kind=NVIDIA H200  process=0  memory_stats=None",
    ]


def test_describe_devices_defaults_to_jax_devices() -> None:
    lines = describe_devices().splitlines()
    assert lines[0] == "platform: cpu"
    assert lines[1] == f"devices: {jax.device_count()}  process_index=0  process_count=1"
    assert len(lines) == 2 + jax.device_count()


def test_describe_devices_rejects_an_empty_list() -> None:
    with pytest.raises(ValueError, match="no devices"):
        describe_devices([])
