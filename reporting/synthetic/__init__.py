"""Synthetic data at council and national scale for the benchmarks (issue 11).

``generate(size, seed=..., today=...)`` writes staff and teams, children in care (periods of
care, SSDA903 episodes, reviews with decisions), child protection cases (s47 enquiries,
conferences, plans, core groups), allocations, timeline events and challenges at every stage,
streamed in batches with COPY. Due dates come from the pure clock engine; every
history-tracked row gets its creation history row. Not for production databases: the rows
are made up.
"""

from reporting.synthetic.generator import PRESETS, Size, generate

__all__ = ["PRESETS", "Size", "generate"]
