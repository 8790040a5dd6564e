"""The benchmark behind `make bench`: accuracy against baselines, latency, throughput, resources.

Everything runs on a temporary SQLite database, a temporary models folder and
free ports; the report goes to docs/benchmarks.md with a chart beside it.
"""
