"""The list of benchmarks and what each one reports.

A benchmark is a function taking the run's Context (bench/stack.py) and returning
Figures; `@benchmark("name")` registers it under the name `--only` selects. Its
module is listed in bench/run.py's BENCHMARK_MODULES.
"""

from dataclasses import dataclass

BENCHMARKS = {}


def benchmark(name):
    """Register the decorated function as the benchmark `name` (names are unique)."""

    def register(function):
        if name in BENCHMARKS:
            raise ValueError(f"two benchmarks are called {name!r}")
        BENCHMARKS[name] = function
        return function

    return register


@dataclass
class Figure:
    """One line of the results table.

    `value` and `baseline` are numbers in `unit` (or a short text for checks);
    `passed` is None for a figure shown for information, without a target. `note`
    says in a few words how it was measured, when the name alone does not.
    """

    benchmark: str
    name: str
    value: float | str | None
    unit: str = ""
    baseline: float | str | None = None
    target: str = ""
    passed: bool | None = None
    note: str = ""

    @property
    def ratio(self):
        """value / baseline when both are numbers, else None."""
        numbers = (int, float)
        if isinstance(self.value, numbers) and isinstance(self.baseline, numbers) and self.baseline:
            return self.value / self.baseline
        return None

    @property
    def result(self):
        if self.passed is None:
            return "info"
        return "PASS" if self.passed else "FAIL"


# Above this share of the machine's busy CPU going to no process measured, other work
# competed for the machine and the figures are low (on a quiet machine Redis and the
# kernel's loopback work stay under 5 %).
MAX_NOISE = 0.1


def noise_figure(benchmark, share, note):
    """The run checking itself: the share of busy CPU that went to no process measured."""
    return Figure(
        benchmark,
        "CPU not attributed (others, Redis, kernel)",
        share * 100,
        "%",
        target=f"< {MAX_NOISE:.0%}",
        passed=share < MAX_NOISE,
        note=note,
    )


def show(value, unit=""):
    """A number as the table prints it: three significant figures, then the unit."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if abs(value) >= 100:
        text = f"{value:,.0f}".replace(",", " ")
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".strip()
