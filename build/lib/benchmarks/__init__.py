"""Speed measurements the project ships (`python -m benchmarks`)."""
