"""A small HTTP load generator for loopback: client processes, keep-alive, bounded.

Standard library only: the clients are forked from a fresh server process that
imports nothing but this module (never Django), so they cost the machine what a
real client would. Each client process plays one visitor after another over its
own HTTP/1.1 connection (reopened by http.client whenever the server closes it, as
gunicorn's sync workers do after every response).

A run has two parts. The warm-up lasts at least `warmup` seconds and until every
client has finished one flow (so every server process has loaded what it loads
lazily); its flows are counted but not timed. The measurement then lasts
`duration` seconds or until the jobs run out, whichever comes first; a flow
already started is finished and counted, and belongs to the part it started in.

By default each client starts its next flow as soon as the last one ends (a closed
loop: the server's pace sets the rate). With a `rate`, the run is paced open-loop
instead: flow number n is due `n / rate` seconds after the start, whoever plays it,
and a client waits for its flow's time; a flow that starts late (every client was
busy: the server is not keeping up) records how late in `LoadResult.lags`.

A *flow* is a picklable callable `flow(client, job, rng)` that plays one visit and
returns a tag (say, the respondent's side) when it succeeded, None when it failed;
the flows live in bench/flows.py.
"""

import http.client
import multiprocessing
import os
import queue
import random
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field

# Clients take a moment to start (the first run starts the fork server); more is trouble.
START_TIMEOUT = 60
# The longest a warm-up may go on past `warmup` waiting for a slow client.
MAX_WARMUP = 60
MAX_NOTES = 5


class Client:
    """One browser on one keep-alive connection: cookies of the current visit, timings."""

    def __init__(self, host, port, *, timeout=30, timeline=False):
        self.origin = f"http://{host}:{port}"
        self.connection = http.client.HTTPConnection(host, port, timeout=timeout)
        self.cookies = {}
        self.timings = defaultdict(list)
        self.statuses = defaultdict(Counter)
        self.notes = []
        self.recording = True  # False during the warm-up: statuses only, no timings
        # With `timeline`: (monotonic time the answer ended, label, status) of every
        # request, warm-up included, for runs that ask what happened when.
        self.events = [] if timeline else None

    def forget(self):
        """Start a new visitor: no cookies (the connection stays open)."""
        self.cookies.clear()

    def note(self, text):
        """Keep the first few failure descriptions for the report."""
        if len(self.notes) < MAX_NOTES:
            self.notes.append(text)

    def request(self, label, method, path, *, body=None, headers=None):
        """Send one request; return (status, headers, body bytes), or None when it broke.

        The time from sending to the last byte read is recorded under `label`, with
        the status. A request that raises (reset, timeout) counts as status "error".
        """
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (http.client.HTTPException, OSError) as error:
            self.connection.close()  # the next request opens a fresh one
            self.statuses[label]["error"] += 1
            self._event(label, "error")
            self.note(f"{method} {label}: {type(error).__name__}: {error}")
            return None
        if self.recording:
            self.timings[label].append(time.perf_counter() - started)
        self.statuses[label][response.status] += 1
        self._event(label, response.status)
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        return response.status, response.headers, data

    def _event(self, label, status):
        if self.events is not None:
            self.events.append((time.monotonic(), label, status))


# --- running clients -----------------------------------------------------------------


@dataclass
class LoadResult:
    """What a run measured, all clients merged. Times are in seconds."""

    clients: int
    duration: float  # of the measured part
    warmup: float  # how long the warm-up lasted
    flows: int = 0  # measured flows started (successful or not)
    ok: Counter = field(default_factory=Counter)  # measured successes by tag
    warmup_ok: Counter = field(default_factory=Counter)  # successes during the warm-up
    timings: dict = field(default_factory=lambda: defaultdict(list))
    statuses: dict = field(default_factory=lambda: defaultdict(Counter))
    notes: list = field(default_factory=list)
    jobs_ran_out: bool = False
    cpu: dict = field(default_factory=dict)  # CPU seconds during the measured part, by whom
    # Paced runs: how late each measured flow started against its due time (seconds).
    lags: list = field(default_factory=list)
    # Runs with `timeline`: (monotonic time, label, status) of every request, in order.
    events: list = field(default_factory=list)
    measured_from: float = 0.0  # monotonic time the measurement started

    @property
    def succeeded(self):
        return sum(self.ok.values())

    @property
    def succeeded_in_all(self):
        """Successes including the warm-up's: what the server must have stored."""
        return self.succeeded + sum(self.warmup_ok.values())

    @property
    def failed(self):
        return self.flows - self.succeeded

    @property
    def rate(self):
        """Successful flows per second over the whole run."""
        return self.succeeded / self.duration if self.duration > 0 else 0.0

    def cpu_per_flow(self):
        """CPU milliseconds per successful flow during the measurement, by whom.

        The keys are those `sample` gave run_load (say "app", "postgres"), plus
        "clients" (the load generator), "machine" (everything) and "rest": what the
        machine did besides the sampled processes and the clients — Redis, the
        kernel, and other people's processes. Empty when nothing succeeded.
        """
        if not self.succeeded:
            return {}
        split = {key: seconds * 1000 / self.succeeded for key, seconds in self.cpu.items()}
        split["rest"] = split["machine"] - sum(
            value for key, value in split.items() if key != "machine"
        )
        return split

    def unattributed_share(self):
        """Share of the machine's busy CPU that went to "rest" (0 when unknown).

        Redis and the kernel's loopback work account for a few percent; much more
        means other processes competed for the machine and the figures are low.
        """
        split = self.cpu_per_flow()
        return split["rest"] / split["machine"] if split and split["machine"] > 0 else 0.0

    def percentile(self, label, fraction):
        """The `fraction` quantile (0.95 for p95) of the `label` requests, in seconds.

        Linear interpolation between the two nearest ranks; None without samples.
        """
        values = sorted(self.timings.get(label, ()))
        if not values:
            return None
        position = (len(values) - 1) * fraction
        low = int(position)
        high = min(low + 1, len(values) - 1)
        return values[low] + (values[high] - values[low]) * (position - low)


def combine(results):
    """Several runs read as one: durations, counts, timings and CPU added up."""
    total = LoadResult(clients=results[0].clients, duration=0.0, warmup=0.0)
    for result in results:
        total.duration += result.duration
        total.warmup += result.warmup
        total.flows += result.flows
        total.ok.update(result.ok)
        total.warmup_ok.update(result.warmup_ok)
        total.notes.extend(result.notes)
        total.jobs_ran_out |= result.jobs_ran_out
        total.lags.extend(result.lags)
        total.events.extend(result.events)
        for label, values in result.timings.items():
            total.timings[label].extend(values)
        for label, counts in result.statuses.items():
            total.statuses[label].update(counts)
        for key, seconds in result.cpu.items():
            total.cpu[key] = total.cpu.get(key, 0.0) + seconds
    return total


@dataclass(frozen=True)
class _Plan:
    """What every client process of a run needs to know (picklable)."""

    flow: object
    host: str
    port: int
    clients: int
    warmup: float
    duration: float
    jobs: list | None
    limit: int
    rate: float | None = None  # flows per second, open-loop; None: closed loop
    timeline: bool = False


class _Shared:
    """State the client processes share: the job counter and the clock."""

    def __init__(self, context):
        self.taken = context.Value("q", 0)  # jobs handed out so far
        self.warm = context.Value("q", 0)  # clients done with their first flow
        self.start = context.Value("d", 0.0)  # monotonic time of the start signal
        self.measured_from = context.Value("d", 0.0)  # end of the warm-up, once known
        self.go = context.Event()
        self.ready = context.Queue()

    def next_job(self):
        with self.taken.get_lock():
            self.taken.value += 1
            return self.taken.value - 1

    def one_warm(self, plan):
        """Count a client as warm; the last one ends the warm-up (not before `warmup`)."""
        with self.warm.get_lock():
            self.warm.value += 1
            if self.warm.value == plan.clients:
                end = max(time.monotonic(), self.start.value + plan.warmup)
                self.measured_from.value = end

    def measuring_since(self, plan):
        """When the measurement started (or will), or None while the warm-up goes on."""
        if self.measured_from.value:
            return self.measured_from.value
        if time.monotonic() > self.start.value + plan.warmup + MAX_WARMUP:
            return self.start.value + plan.warmup + MAX_WARMUP  # a client is stuck
        return None


def _client_main(index, plan, shared, results):
    """Body of one client process: take the next job until time or jobs run out."""
    client = Client(plan.host, plan.port, timeline=plan.timeline)
    rng = random.Random(index)
    flows, ok, warmup_ok, ran_out, warm = 0, Counter(), Counter(), False, False
    cpu_from, lags = None, []
    try:
        shared.ready.put(index)
        shared.go.wait()
        while True:
            since = shared.measuring_since(plan)
            now = time.monotonic()
            if since is not None and now >= since + plan.duration:
                break
            taken = shared.next_job()
            if taken >= plan.limit:
                ran_out = True
                break
            if plan.rate:
                due = shared.start.value + taken / plan.rate
                if due > now:
                    time.sleep(due - now)
                    since, now = shared.measuring_since(plan), time.monotonic()
                    if since is not None and now >= since + plan.duration:
                        break  # due after the end: left unplayed
            client.recording = since is not None and now >= since
            if plan.rate and client.recording:
                lags.append(now - due)
            if client.recording and cpu_from is None:
                cpu_from = time.process_time()
            flows += client.recording
            tag = plan.flow(client, plan.jobs[taken] if plan.jobs is not None else None, rng)
            if tag is not None:
                (ok if client.recording else warmup_ok)[tag] += 1
            if not warm:
                warm = True
                shared.one_warm(plan)
    except KeyboardInterrupt:
        return  # the runner is stopping everything
    except Exception:
        client.note(traceback.format_exc(limit=3))
    if not warm:
        shared.one_warm(plan)  # never hold the others' warm-up up
    results.put(
        {
            "flows": flows,
            "ok": ok,
            "warmup_ok": warmup_ok,
            "timings": dict(client.timings),
            "statuses": {label: dict(counts) for label, counts in client.statuses.items()},
            "notes": client.notes,
            "ended": time.monotonic(),
            "ran_out": ran_out,
            "cpu": time.process_time() - cpu_from if cpu_from is not None else 0.0,
            "lags": lags,
            "events": client.events or [],
        }
    )


def _wait_ready(processes, ready):
    """Wait until every client process has started; fail fast if one died doing so."""
    deadline = time.monotonic() + START_TIMEOUT
    waiting = len(processes)
    while waiting:
        try:
            ready.get(timeout=0.5)
            waiting -= 1
        except queue.Empty:
            if any(process.exitcode is not None for process in processes):
                raise RuntimeError("a load client died while starting (see above)") from None
            if time.monotonic() > deadline:
                raise RuntimeError("load clients did not start in time") from None


def machine_cpu_seconds():
    """CPU time the whole machine has spent busy (all CPUs, all processes) since boot."""
    with open("/proc/stat") as handle:
        fields = [int(value) for value in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def run_load(
    flow,
    *,
    host,
    port,
    clients,
    duration,
    warmup=0.0,
    jobs=None,
    max_flows=None,
    sample=None,
    rate=None,
    timeline=False,
    on_measure=None,
):
    """Play `flow` from `clients` processes at once: a warm-up, then `duration` seconds.

    `jobs` (a list, one item per flow, warm-up included) bounds the run when given;
    otherwise `max_flows` does. The clock starts when the warm-up ends and stops
    when the last client has finished its last flow, so start-up never counts and
    the last flows are not cut short. `sample`, when given, returns a dict of
    cumulative CPU seconds (say, of the server): it is read when the measurement
    starts and ends, and the differences land in `result.cpu` along with the
    machine's ("machine") and the clients' own ("clients").

    `rate` paces the flows open-loop (flows per second, warm-up included; `clients`
    bounds how many run at once); `timeline` keeps every request's time and status
    in `result.events`; `on_measure(t)`, when given, is called with the monotonic
    time the measurement starts, as soon as it is known (to time events against it).
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["bench.loadgen"])
    limit = len(jobs) if jobs is not None else (max_flows or 10**9)
    plan = _Plan(flow, host, port, clients, warmup, duration, jobs, limit, rate, timeline)
    shared, results = _Shared(context), context.Queue()
    processes = [
        context.Process(target=_client_main, args=(index, plan, shared, results), daemon=True)
        for index in range(clients)
    ]

    def cpu_now():
        return {"machine": machine_cpu_seconds(), **(sample() if sample else {})}

    reports = []
    try:
        for process in processes:
            process.start()
        _wait_ready(processes, shared.ready)
        shared.start.value = time.monotonic()
        shared.go.set()
        while (since := shared.measuring_since(plan)) is None or time.monotonic() < since:
            if all(process.exitcode is not None for process in processes):
                break  # every client stopped during the warm-up (no jobs left)
            time.sleep(0.02)
        cpu_before = cpu_now()
        if on_measure is not None:
            on_measure(shared.measuring_since(plan) or time.monotonic())
        for _ in processes:
            try:
                reports.append(results.get(timeout=warmup + MAX_WARMUP + duration + 60))
            except queue.Empty:
                raise RuntimeError("a load client stopped answering") from None
        cpu_after = cpu_now()
        for process in processes:
            process.join(timeout=10)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
                process.join(timeout=5)
    since = shared.measuring_since(plan) or shared.start.value + warmup
    ended = max(report["ended"] for report in reports)
    result = LoadResult(
        clients=clients, duration=max(0.0, ended - since), warmup=since - shared.start.value
    )
    result.cpu = {key: cpu_after[key] - cpu_before[key] for key in cpu_before}
    result.cpu["clients"] = sum(report["cpu"] for report in reports)
    result.measured_from = since
    for report in reports:
        result.flows += report["flows"]
        result.ok.update(report["ok"])
        result.warmup_ok.update(report["warmup_ok"])
        result.jobs_ran_out |= report["ran_out"]
        result.notes.extend(report["notes"])
        result.lags.extend(report["lags"])
        result.events.extend(report["events"])
        for label, values in report["timings"].items():
            result.timings[label].extend(values)
        for label, counts in report["statuses"].items():
            result.statuses[label].update(counts)
    result.events.sort()
    return result
