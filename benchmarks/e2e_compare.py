#!/usr/bin/env python3
"""The Java service against the Python baseline, from one benchmarks/e2e.sh result file.

Pairs each Java run with the baseline's run of the same kind (drain: same cores; latency: at-least-once, same
cores and the same rate) and prints the ratios of issue 12's targets:

* results per CPU-second of the service (drains): Java / Python, target >= 2;
* p99 latency at the same rate (at-least-once): Java's must be lower (Python / Java > 1).

Also results/s (drains) and results per CPU-second at the same rate (latency runs). With --write, stores them in
the file as "comparison". Standard library only.

    python3 benchmarks/e2e_compare.py benchmarks/results/e2e-<date-time>.json [--write]
"""

from __future__ import annotations

import argparse
import json
from typing import Any

Run = dict[str, Any]
PER_CPU_TARGET = 2.0


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def service(run: Run) -> str:
    return run.get("service", "java")  # runs of e2e.sh before the baseline existed are the Java service's


def rate(run: Run) -> float:
    return round(run["base_rate_per_s"] * run["load_fraction"])


def complete(run: Run) -> bool:
    summary = run.get("summary") or {}
    return run.get("exit_code") == 0 and summary.get("missing") == 0


def results_per_cpu_s(run: Run) -> float | None:
    """Results in the measured window per CPU-second the service used in it."""
    if run.get("results_per_service_cpu_s") is not None:
        return run["results_per_service_cpu_s"]
    summary = run.get("summary") or {}
    cpu = run.get("service_cpu_s_in_window")
    if not cpu or summary.get("throughput_per_s") is None or run.get("window_s") is None:
        return None
    return summary["throughput_per_s"] * run["window_s"] / cpu


def compare(result: dict[str, Any]) -> dict[str, Any]:
    runs = result["runs"]
    drains = []
    for java in (r for r in runs if r["kind"] == "drain" and service(r) == "java" and r["name"].startswith("drain-")):
        python = next(
            (r for r in runs if r["kind"] == "drain" and service(r) == "python" and r["cores"] == java["cores"]), None
        )
        if python is None:
            continue
        java_cpu, python_cpu = results_per_cpu_s(java), results_per_cpu_s(python)
        per_cpu = ratio(java_cpu, python_cpu)
        drains.append(
            {
                "cores": java["cores"],
                "java_run": java["name"],
                "python_run": python["name"],
                "java_results_per_s": (java.get("summary") or {}).get("throughput_per_s"),
                "python_results_per_s": (python.get("summary") or {}).get("throughput_per_s"),
                "results_per_s_java_over_python": ratio(
                    (java.get("summary") or {}).get("throughput_per_s"),
                    (python.get("summary") or {}).get("throughput_per_s"),
                ),
                "java_results_per_cpu_s": java_cpu,
                "python_results_per_cpu_s": python_cpu,
                "results_per_cpu_s_java_over_python": per_cpu,
                "target_per_cpu_s_met": None if per_cpu is None else per_cpu >= PER_CPU_TARGET,
                "both_complete": complete(java) and complete(python),
            }
        )
    latencies = []
    for java in (
        r for r in runs if r["kind"] == "latency" and service(r) == "java" and r["guarantee"] == "at_least_once"
    ):
        python = next(
            (
                r
                for r in runs
                if r["kind"] == "latency"
                and service(r) == "python"
                and r["guarantee"] == "at_least_once"
                and r["cores"] == java["cores"]
                and rate(r) == rate(java)
            ),
            None,
        )
        if python is None:
            continue
        java_p99 = ((java.get("summary") or {}).get("latency_ms") or {}).get("p99")
        python_p99 = ((python.get("summary") or {}).get("latency_ms") or {}).get("p99")
        latencies.append(
            {
                "cores": java["cores"],
                "rate_per_s": rate(java),
                "load_fraction": java["load_fraction"],
                "java_run": java["name"],
                "python_run": python["name"],
                "java_p50_ms": ((java.get("summary") or {}).get("latency_ms") or {}).get("p50"),
                "python_p50_ms": ((python.get("summary") or {}).get("latency_ms") or {}).get("p50"),
                "java_p99_ms": java_p99,
                "python_p99_ms": python_p99,
                "p99_python_over_java": ratio(python_p99, java_p99),
                "target_lower_p99_met": None if java_p99 is None or python_p99 is None else java_p99 < python_p99,
                "java_results_per_cpu_s": results_per_cpu_s(java),
                "python_results_per_cpu_s": results_per_cpu_s(python),
                "results_per_cpu_s_java_over_python": ratio(results_per_cpu_s(java), results_per_cpu_s(python)),
                "both_complete": complete(java) and complete(python),
            }
        )
    return {
        "targets": {
            "results_per_cpu_s_java_over_python": f">= {PER_CPU_TARGET}",
            "p99_at_the_same_rate": "Java lower than Python (p99_python_over_java > 1)",
        },
        "drains": drains,
        "latency_at_least_once": latencies,
    }


def fmt(value: float | None, spec: str) -> str:
    return "n/a" if value is None else format(value, spec)


def yes_no(value: bool | None) -> str:
    return "n/a" if value is None else ("yes" if value else "**no**")


def print_tables(comparison: dict[str, Any]) -> None:
    print()
    print("Java service vs Python baseline, drains (target: results per CPU-second Java / Python >= 2)")
    print()
    print(
        "| cores | Java results/s | Python results/s | Java / Python | Java results per CPU-s "
        "| Python results per CPU-s | **Java / Python per CPU-s** | met? | complete |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for row in comparison["drains"]:
        print(
            f"| {row['cores']} | {fmt(row['java_results_per_s'], ',.0f')} | {fmt(row['python_results_per_s'], ',.0f')} "
            f"| {fmt(row['results_per_s_java_over_python'], '.2f')} | {fmt(row['java_results_per_cpu_s'], ',.0f')} "
            f"| {fmt(row['python_results_per_cpu_s'], ',.0f')} | {fmt(row['results_per_cpu_s_java_over_python'], '.2f')} "
            f"| {yes_no(row['target_per_cpu_s_met'])} | {yes_no(row['both_complete'])} |"
        )
    print()
    print("Latency at the same rate, at-least-once (target: Java's p99 lower)")
    print()
    print(
        "| cores | rate/s | Java p50 ms | Python p50 ms | Java p99 ms | Python p99 ms | **Python / Java p99** "
        "| met? | Java / Python per CPU-s | complete |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |")
    for row in comparison["latency_at_least_once"]:
        print(
            f"| {row['cores']} | {row['rate_per_s']:,} | {fmt(row['java_p50_ms'], '.0f')} | {fmt(row['python_p50_ms'], '.0f')} "
            f"| {fmt(row['java_p99_ms'], '.0f')} | {fmt(row['python_p99_ms'], '.0f')} "
            f"| {fmt(row['p99_python_over_java'], '.2f')} | {yes_no(row['target_lower_p99_met'])} "
            f"| {fmt(row['results_per_cpu_s_java_over_python'], '.2f')} | {yes_no(row['both_complete'])} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("result", help="an e2e-<date-time>.json file of benchmarks/e2e.sh")
    parser.add_argument("--write", action="store_true", help='store the ratios in the file as "comparison"')
    args = parser.parse_args()
    with open(args.result, encoding="utf-8") as f:
        result = json.load(f)
    comparison = compare(result)
    print_tables(comparison)
    if args.write:
        result["comparison"] = comparison
        with open(args.result, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
