"""What monitoring counts of quality assurance (activity 7). Loaded from QualityConfig.ready()."""

from __future__ import annotations
