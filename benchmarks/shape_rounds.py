#!/usr/bin/env python3
"""Summarises benchmarks/shape-rounds.sh: per input shape, results per service CPU-second of each round, their
median and spread (max - min, as % of the median), the median against avro's, each round's run against avro's
run of the same round (paired), and the load averages (1-minute
figure before and after each run). Standard library only. Usage: shape_rounds.py OUT_DIR"""

import json
import pathlib
import statistics
import sys

ORDER = ["avro", "text", "json", "enriched-avro"]


def main(folder):
    rows = {}
    loads = []
    for path in sorted(pathlib.Path(folder).glob("round*-*.json")):
        run = json.loads(path.read_text())
        drain = run["runs"][0]
        rate = drain.get("results_per_service_cpu_s")
        rows.setdefault(run["shape"], []).append((run["round"], rate, drain.get("service_cpu_share")))
        loads += [float(run["load_average_run_before"].split()[0]), float(run["load_average_run_after"].split()[0])]
    avro = statistics.median(r for _, r, _ in rows.get("avro", []) if r) if rows.get("avro") else None
    print("| shape | results per service CPU-second, by round | median | spread (max-min) | median vs avro "
          "| service CPU share, by round |")
    print("| --- | --- | ---: | ---: | ---: | --- |")
    for shape in sorted(rows, key=lambda s: ORDER.index(s) if s in ORDER else len(ORDER)):
        runs = sorted(rows[shape])
        rates = [r for _, r, _ in runs if r]
        median = statistics.median(rates)
        spread = max(rates) - min(rates)
        versus = f"{100 * (median / avro - 1):+.1f}%" if avro else "-"
        print(f"| {shape} | {', '.join(f'{r:,.0f}' if r else '-' for _, r, _ in runs)} | {median:,.0f} "
              f"| {spread:,.0f} ({100 * spread / median:.0f}%) | {versus} "
              f"| {', '.join(f'{100 * s:.0f}%' if s else '-' for _, _, s in runs)} |")
    # Paired: each shape against avro's run of the same round (minutes apart, under similar load).
    avro_by_round = {rnd: r for rnd, r, _ in rows.get("avro", []) if r}
    print("\n| shape | against avro of the same round, by round | median |")
    print("| --- | --- | ---: |")
    for shape in sorted(rows, key=lambda s: ORDER.index(s) if s in ORDER else len(ORDER)):
        if shape == "avro":
            continue
        ratios = [(rnd, r / avro_by_round[rnd] - 1) for rnd, r, _ in sorted(rows[shape]) if r and rnd in avro_by_round]
        if ratios:
            print(f"| {shape} | {', '.join(f'{100 * x:+.0f}%' for _, x in ratios)} "
                  f"| {100 * statistics.median(x for _, x in ratios):+.1f}% |")
    if loads:
        print(f"\n1-minute load average at the runs' starts and ends: min {min(loads):.1f}, "
              f"median {statistics.median(loads):.1f}, max {max(loads):.1f} ({len(loads)} readings)")


if __name__ == "__main__":
    main(sys.argv[1])
