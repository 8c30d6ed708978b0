"""Simulated CPU devices and a short report of the devices JAX sees."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jax


def _backend_started() -> bool:
    # JAX has no public way to ask whether its backend has started that does not
    # start it (`jax.devices()` would), so ask the private module when it can.
    # Without it, `use_cpu_devices` relies on JAX refusing the late config update.
    from jax._src import xla_bridge  # noqa: PLC0415 - private; keep it to this one place

    probe = getattr(xla_bridge, "backends_are_initialized", None)
    return bool(probe()) if callable(probe) else False


def _too_late_message(n: int) -> str:
    count, platform = jax.device_count(), jax.default_backend()
    return (
        f"use_cpu_devices({n}) came too late: JAX has already started with {count} "
        f"{platform} device(s). Call `jaxguide.use_cpu_devices({n})` before the first JAX "
        "operation, e.g. in the page's first cell or at the top of the script, and restart "
        "the kernel or interpreter."
    )


def use_cpu_devices(n: int = 8) -> None:
    """Make JAX show ``n`` simulated CPU devices, so you can shard without accelerators.

    Call it before the first JAX operation. If JAX has already started with
    exactly ``n`` CPU devices, nothing happens; if it started with another
    number, a :class:`RuntimeError` tells you how to fix it.
    Introduced on the page :doc:`/parallelism-devices`.

    Examples
    --------
    >>> import jax
    >>> from jaxguide import use_cpu_devices
    >>> use_cpu_devices(jax.device_count())  # already started with this many: no-op
    >>> use_cpu_devices(0)
    Traceback (most recent call last):
    ...
    ValueError: use_cpu_devices expected n >= 1, got 0
    """
    if not isinstance(n, int) or isinstance(n, bool):
        msg = f"use_cpu_devices expected an int number of devices, got {type(n).__name__}: {n!r}"
        raise TypeError(msg)
    if n < 1:
        msg = f"use_cpu_devices expected n >= 1, got {n}"
        raise ValueError(msg)
    if _backend_started():
        if jax.default_backend() == "cpu" and jax.device_count() == n:
            return
        raise RuntimeError(_too_late_message(n))
    try:
        jax.config.update("jax_num_cpu_devices", n)  # type: ignore[no-untyped-call]
    except RuntimeError as err:
        raise RuntimeError(_too_late_message(n)) from err


def _format_bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024:
            return f"{n} B" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TiB"


@dataclass(frozen=True)
class DeviceInfo:
    """What JAX reports about one device; memory is ``None`` where it is not reported.

    Introduced on the page :doc:`/parallelism-devices`.

    Examples
    --------
    >>> import jax
    >>> from jaxguide import DeviceInfo
    >>> info = DeviceInfo.of(jax.devices()[0])
    >>> info.platform, info.id, info.process_index
    ('cpu', 0, 0)
    >>> info.memory()
    'memory_stats=None'
    """

    id: int
    platform: str
    kind: str
    process_index: int
    bytes_in_use: int | None
    bytes_limit: int | None

    @classmethod
    def of(cls, device: Any) -> DeviceInfo:
        """Collect the information for one ``jax.Device`` (or an object like it)."""
        stats = device.memory_stats() or {}
        return cls(
            id=int(device.id),
            platform=str(device.platform),
            kind=str(device.device_kind),
            process_index=int(device.process_index),
            bytes_in_use=stats.get("bytes_in_use"),
            bytes_limit=stats.get("bytes_limit"),
        )

    def memory(self) -> str:
        """Memory in use and its limit, as ``bytes_in_use=… bytes_limit=…``, or
        ``memory_stats=None`` where the device reports none (the CPU). Written like code,
        so it reads the same in every edition."""
        if self.bytes_in_use is None:
            return "memory_stats=None"
        limit = "?" if self.bytes_limit is None else _format_bytes(self.bytes_limit)
        return f"bytes_in_use={_format_bytes(self.bytes_in_use)} bytes_limit={limit}"


def describe_devices(devices: Sequence[Any] | None = None) -> str:
    """Describe the devices JAX sees (or the ``devices`` given) in a few lines.

    Introduced on the page :doc:`/parallelism-devices`.

    Examples
    --------
    >>> from jaxguide import describe_devices
    >>> print(describe_devices())
    platform: cpu
    devices: ...  process_index=0  process_count=1
      cpu:0  kind=cpu  process=0  memory_stats=None...
    """
    found = list(jax.devices() if devices is None else devices)
    if not found:
        msg = "describe_devices got no devices to describe"
        raise ValueError(msg)
    infos = [DeviceInfo.of(d) for d in found]
    platforms = sorted({i.platform for i in infos})
    lines = [
        f"platform: {', '.join(platforms)}",
        (
            f"devices: {len(infos)}  process_index={jax.process_index()}  "
            f"process_count={jax.process_count()}"
        ),
    ]
    lines += [
        f"  {i.platform}:{i.id}  kind={i.kind}  process={i.process_index}  {i.memory()}"
        for i in infos
    ]
    return "\n".join(lines)
