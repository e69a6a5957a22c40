"""Use cases. The only layer that opens a unit of work; returns plain values and Changes."""
