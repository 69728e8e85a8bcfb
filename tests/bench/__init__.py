"""Benchmarks: `make bench`. Each row is a figure and a baseline measured in the same run."""
