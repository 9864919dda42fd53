#!/usr/bin/env python3
"""Summarise `swift package benchmark --format markdown` output.

    allocations.py RAW.md > SUMMARY.md

Prints one table (benchmark, mallocs, malloc bytes, wall clock: p50 and
p0-p100) followed by the raw output in a <details> block. Metrics marked *
are scaled by the benchmark's scalingFactor: for the lookups, per lookup.
"""
import re
import sys


def main(path):
    text = re.sub(r"\x1b\[[0-9;]*m", "", open(path).read())
    rows = []
    name = None
    metrics = {}
    for line in text.splitlines():
        heading = re.match(r"^### (.+)$", line)
        if heading:
            if name:
                rows.append((name, metrics))
            name, metrics = heading.group(1).strip(), {}
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if name and len(cells) == 9 and not cells[0].startswith((":", "Metric")):
            metrics[cells[0]] = cells[1:]
    if name:
        rows.append((name, metrics))

    def pick(metrics, prefix):
        for key, values in metrics.items():
            if key.startswith(prefix):
                groups = re.findall(r"\(([^)]*)\)", key)
                unit = groups[-1] if len(groups) > 1 else ""
                return f"{values[2]} {unit}".strip() + f" ({values[0]} – {values[6]})"
        return "–"

    print("| benchmark | mallocs, p50 (p0 – p100) | malloc bytes, p50 | wall clock, p50 (p0 – p100) | samples |")
    print("|---|---:|---:|---:|---:|")
    for name, metrics in sorted(rows, key=lambda r: r[0]):
        samples = next(iter(metrics.values()), ["–"] * 8)[7]
        print(f"| {name} | {pick(metrics, 'Malloc (total)')} | {pick(metrics, 'Malloc (bytes total)')} | "
              f"{pick(metrics, 'Time (wall clock)')} | {samples} |")
    print()
    print("From `swift package benchmark` (package-benchmark 1.38.1, malloc counts from its MallocInterposer "
          "backend). Lookup rows are per lookup (1,000 lookups per sample, scaled); the others are per run. "
          "The allocation count per parse is what a regression check should watch: the table is a few large buffers, "
          "so it must stay far below one malloc per entry.")
    print()
    print("<details><summary>Raw package-benchmark output</summary>\n")
    print(text.strip())
    print("\n</details>")


if __name__ == "__main__":
    main(sys.argv[1])
