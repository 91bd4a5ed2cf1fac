"""What a document lost or changed of a golden one (documents may only add keys)."""

from __future__ import annotations

from typing import Any


def lost_or_changed(golden: Any, now: Any, where: str = "$") -> list[str]:
    """Where `now` lost or changed a key or value of `golden` (added keys are fine)."""
    if isinstance(golden, dict):
        if not isinstance(now, dict):
            return [f"{where}: was an object"]
        return [
            problem
            for key, value in golden.items()
            for problem in (
                lost_or_changed(value, now[key], f"{where}.{key}")
                if key in now
                else [f"{where}.{key}: missing"]
            )
        ]
    if isinstance(golden, list):
        if not isinstance(now, list) or len(now) != len(golden):
            return [f"{where}: list changed length"]
        return [
            problem
            for index, (old, new) in enumerate(zip(golden, now, strict=True))
            for problem in lost_or_changed(old, new, f"{where}[{index}]")
        ]
    return [] if golden == now else [f"{where}: {golden!r} -> {now!r}"]
