"""Helpers behind the jaxguide pages: timing, checked claims, devices, environment report, plots."""

from __future__ import annotations

from jaxguide.claims import Claim, ClaimError, claim
from jaxguide.devices import DeviceInfo, describe_devices, use_cpu_devices
from jaxguide.environment import Environment, ExecutedWith, environment, executed_with
from jaxguide.files import OfferedFile, offer_file
from jaxguide.l10n import Bilingual, Said, Table, say, table
from jaxguide.multiprocess import (
    ProcessGroupError,
    ProcessResult,
    free_port,
    init_from_env,
    run_processes,
)
from jaxguide.plotting import PALETTE, cjk_font, new_figure, use_style
from jaxguide.timing import Comparison, Timing, block, compare, format_seconds, time_fn

__version__ = "0.1.0"

__all__ = [
    "PALETTE",
    "Bilingual",
    "Claim",
    "ClaimError",
    "Comparison",
    "DeviceInfo",
    "Environment",
    "ExecutedWith",
    "OfferedFile",
    "ProcessGroupError",
    "ProcessResult",
    "Said",
    "Table",
    "Timing",
    "__version__",
    "block",
    "cjk_font",
    "claim",
    "compare",
    "describe_devices",
    "environment",
    "executed_with",
    "format_seconds",
    "free_port",
    "init_from_env",
    "new_figure",
    "offer_file",
    "run_processes",
    "say",
    "table",
    "time_fn",
    "use_cpu_devices",
    "use_style",
]
