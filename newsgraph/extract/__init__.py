"""newsgraph.extract: see docs/DESIGN.md for its place in the pipeline."""
