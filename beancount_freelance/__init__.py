"""beancount-freelance: who pays a freelancer, how much, and for how long."""

from __future__ import annotations

__version__ = "0.1.0"
