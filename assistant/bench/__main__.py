"""`python -m assistant.bench`: run the benchmark and write docs/benchmarks.md."""

from assistant.cli import bench_command

if __name__ == "__main__":
    bench_command()
