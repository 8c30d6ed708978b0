"""What a page was executed with: versions, devices, machine and time."""

from __future__ import annotations

import html
import os
import platform
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from importlib import metadata

import jax

from jaxguide.l10n import Bilingual


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


@dataclass(frozen=True)
class Environment:
    """Versions, devices and machine that executed a page, and when (UTC).

    ``cores`` is (cores this process may use, cores of the machine): the build pins
    each page to one core, and its timings should say so.
    Introduced on the page :doc:`/index`.

    Examples
    --------
    >>> from datetime import datetime, UTC
    >>> from jaxguide import Environment
    >>> env = Environment(
    ...     python="3.11.7", jax="0.10.2", jaxlib="0.10.2", numpy="2.4.6",
    ...     sphinx_book_theme="1.4.0", backend="cpu", device_kinds=("cpu",),
    ...     device_count=8, x64=False, machine="x86_64", cores=(1, 2),
    ...     executed_at=datetime(2026, 11, 28, 13, 45, tzinfo=UTC),
    ... )
    >>> env.short_line()
    'Executed with jax 0.10.2 · jaxlib 0.10.2 · Python 3.11.7 · cpu ×8 · x64 off · x86_64, 1 of 2 CPU cores · 2026-11-28 13:45 UTC'
    >>> env.short_line("zh")
    '运行环境：jax 0.10.2 · jaxlib 0.10.2 · Python 3.11.7 · cpu ×8 · x64 关闭 · x86_64，用了 2 个 CPU 核心中的 1 个 · 2026-11-28 13:45 UTC'
    >>> print(env)
    python           : 3.11.7
    jax              : 0.10.2
    jaxlib           : 0.10.2
    numpy            : 2.4.6
    sphinx_book_theme: 1.4.0
    backend          : cpu
    device_kinds     : cpu
    device_count     : 8
    x64              : off
    machine          : x86_64, 1 of 2 CPU cores
    executed_at      : 2026-11-28T13:45+00:00
    """

    python: str
    jax: str
    jaxlib: str
    numpy: str
    sphinx_book_theme: str
    backend: str
    device_kinds: tuple[str, ...]
    device_count: int
    x64: bool
    machine: str
    cores: tuple[int, int]
    executed_at: datetime

    def _x64(self, language: str) -> str:
        if language == "zh":
            return "开启" if self.x64 else "关闭"
        return "on" if self.x64 else "off"

    def _machine(self, language: str) -> str:
        used, total = self.cores
        if language == "zh":
            return f"{self.machine}，用了 {total} 个 CPU 核心中的 {used} 个"
        return f"{self.machine}, {used} of {total} CPU cores"

    def as_dict(self, language: str = "en") -> dict[str, str]:
        """Every field formatted as text, in field order (``language``: ``"en"`` or ``"zh"``)."""
        values: dict[str, object] = {
            field.name: getattr(self, field.name) for field in fields(self) if field.name != "cores"
        }
        values["device_kinds"] = ", ".join(self.device_kinds)
        values["x64"] = self._x64(language)
        values["machine"] = self._machine(language)
        values["executed_at"] = self.executed_at.isoformat(timespec="minutes")
        return {key: str(value) for key, value in values.items()}

    def short_line(self, language: str = "en") -> str:
        """One line for the top of a page: versions, devices, x64, machine and the time."""
        opening = "运行环境：" if language == "zh" else "Executed with "
        return " \u00b7 ".join(
            [
                f"{opening}jax {self.jax}",
                f"jaxlib {self.jaxlib}",
                f"Python {self.python}",
                f"{self.backend} \u00d7{self.device_count}",
                f"x64 {self._x64(language)}",
                self._machine(language),
                self.executed_at.strftime("%Y-%m-%d %H:%M UTC"),
            ]
        )

    def __str__(self) -> str:
        values = self.as_dict()
        width = max(map(len, values))
        return "\n".join(f"{key:<{width}}: {value}" for key, value in values.items())

    def _repr_html_(self) -> str:
        english, chinese = self.as_dict("en"), self.as_dict("zh")
        rows = "".join(
            f"<tr><th>{html.escape(key)}</th>"
            f"<td>{Bilingual(value, chinese[key]).html() if value != chinese[key] else html.escape(value)}"
            "</td></tr>"
            for key, value in english.items()
        )
        return f'<table class="jaxguide-environment"><tbody>{rows}</tbody></table>'


def _usable_cores() -> int:
    # The build pins each page's kernel to one core, and timings should say so.
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover  (platforms without affinity)


def environment(now: datetime | None = None) -> Environment:
    """Collect the :class:`Environment` of this process (and start JAX's backend).

    ``now`` replaces the current time, for tests; a naive ``now`` is taken as UTC.
    Introduced on the page :doc:`/index`.

    Examples
    --------
    >>> from datetime import datetime
    >>> from jaxguide import environment
    >>> env = environment(now=datetime(2026, 11, 28, 13, 45, 59))
    >>> env.backend, env.device_count >= 1, env.executed_at.isoformat()
    ('cpu', True, '2026-11-28T13:45:00+00:00')
    """
    when = datetime.now(UTC) if now is None else now
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    devices = jax.devices()
    return Environment(
        python=platform.python_version(),
        jax=_version("jax"),
        jaxlib=_version("jaxlib"),
        numpy=_version("numpy"),
        sphinx_book_theme=_version("sphinx-book-theme"),
        backend=jax.default_backend(),
        device_kinds=tuple(dict.fromkeys(d.device_kind for d in devices)),
        device_count=len(devices),
        x64=bool(jax.config.read("jax_enable_x64")),  # type: ignore[no-untyped-call]
        machine=platform.machine(),
        cores=(_usable_cores(), os.cpu_count() or _usable_cores()),
        executed_at=when.replace(second=0, microsecond=0),
    )


@dataclass(frozen=True)
class ExecutedWith:
    """The "executed with …" line that opens every executed page, in both languages.

    Introduced on the page :doc:`/index`.

    Examples
    --------
    >>> from jaxguide import ExecutedWith
    >>> line = ExecutedWith("Executed with jax 0.10.2 · cpu ×1", "运行环境：jax 0.10.2 · cpu ×1")
    >>> line
    Executed with jax 0.10.2 · cpu ×1
    >>> line._repr_html_()
    '<p class="jaxguide-executed-with"><span class="jaxguide-l10n" lang="en">Executed with jax 0.10.2 · cpu ×1</span><span class="jaxguide-l10n" lang="zh-CN" hidden>运行环境：jax 0.10.2 · cpu ×1</span></p>'
    """

    line: str
    line_zh: str

    def __str__(self) -> str:
        return self.line

    def __repr__(self) -> str:
        return self.line

    def _repr_html_(self) -> str:
        text = Bilingual(self.line, self.line_zh).html()
        return f'<p class="jaxguide-executed-with">{text}</p>'


def executed_with(now: datetime | None = None) -> ExecutedWith:
    """The short "executed with …" line for this process, for a page's first cell.

    Introduced on the page :doc:`/index`.

    Examples
    --------
    >>> from jaxguide import executed_with
    >>> executed_with()
    Executed with jax ... · jaxlib ... · Python ... · cpu ×... · x64 ... CPU cores · ... UTC
    """
    env = environment(now)
    return ExecutedWith(env.short_line(), env.short_line("zh"))
