"""Benchmarks (issue 11): run ``bench/run``; see bench/README.md."""
