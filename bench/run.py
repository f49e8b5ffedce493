"""`make bench`: the storefront's requests per second against a bare endpoint, at the catalog's size and at 10×.

For each size it prepares a fresh SQLite database in a temporary directory, starts the shop under gunicorn
exactly as `make run` does (`gunicorn --config gunicorn.conf.py wsgi:app`, on a free port of 127.0.0.1),
loads GET /_bare (a constant string: the ceiling of this app and server), the home page, a category page and
/api/v1/catalog in turn, and prints each page's rate as a ratio to /_bare (target ≥ 0.6). Then it runs
bench/contract_bench.py. Every process it starts is stopped on the way out, Ctrl-C and errors included.
A missed target is reported, not a failure: the command exits 0 unless the benchmark itself could not run.
Load generator: wrk when /usr/bin/wrk exists, else (or with BENCH_GENERATOR=python) a thread pool of
http.client connections. Every request sends Accept-Encoding: gzip, as browsers and phones do.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
TARGET = 0.6
WARMUP_S = 1  # wrk's shortest duration
SECONDS = 3  # per URL, in ROUNDS interleaved rounds
ROUNDS = 3
CONNECTIONS = 16
THREADS = 2
FACTOR = 10
BARE = "/_bare"
PAGES = {"home": "/", "category": "/c/grape", "api": "/api/v1/catalog"}
# What each page must show before its speed means anything (a 404 or error page is fast too).
PAGE_CHECKS = {"/": "8518", "/c/grape": "阳光玫瑰", "/api/v1/catalog": '"currency": "CNY"'}
# Every request (the bare one too) says what a browser or phone says: it takes gzip.
HEADERS = {"Accept-Encoding": "gzip"}
HEADER_ARGS = [arg for name, value in HEADERS.items() for arg in ("-H", f"{name}: {value}")]
WRK = shutil.which("wrk") or ("/usr/bin/wrk" if Path("/usr/bin/wrk").exists() else None)
if os.environ.get("BENCH_GENERATOR") == "python":  # force the fallback, e.g. to compare the two
    WRK = None


class BenchError(RuntimeError):
    """The benchmark could not run (not a missed target)."""


def tool(name: str) -> list[str]:
    """A console script of this venv, or the module through this interpreter."""
    script = BIN / name
    return [str(script)] if script.exists() else [sys.executable, "-m", name]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def flask(env: dict, *args: str) -> str:
    """Run `flask --app wsgi ARGS` in the project root; its output, or BenchError with it."""
    done = subprocess.run([*tool("flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    if done.returncode:
        raise BenchError(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def get(port: int, path: str, timeout: float = 5, headers: dict | None = None, decode: bool = True) -> tuple[int, str]:
    """One request on a new connection: the status and (decode=True) the body as text."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        if not decode:  # the load loop: a browser would unzip it, but that is the client's time, not the server's
            return response.status, ""
        if response.getheader("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return response.status, body.decode("utf-8", "replace")
    finally:
        conn.close()


class Server:
    """gunicorn as `make run` starts it, in its own session so a Ctrl-C reaches us first; stopped by its pid."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log_path = env, log
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.log = open(self.log_path, "wb")  # noqa: SIM115 (closed in __exit__)
        self.proc = subprocess.Popen([*tool("gunicorn"), "--config", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                                     env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def wait_ready(self, port: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                status, _ = get(port, BARE, timeout=2)
            except OSError:
                time.sleep(0.1)
                continue
            if status == 404:
                raise BenchError("GET /_bare answers 404: register shop.bench's blueprint in shop/__init__.py")
            if status == 200:
                return
            time.sleep(0.1)
        raise BenchError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def __exit__(self, *exc) -> None:
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # the master stops its workers gracefully
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # its own session: only what it started
                proc.wait(timeout=5)
        self.log.close()


def wrk(url: str, seconds: int) -> tuple[int, int]:
    """Requests answered and the count of non-2xx/3xx answers and socket errors."""
    done = subprocess.run([WRK, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", *HEADER_ARGS, url],
                          capture_output=True, text=True, timeout=seconds + 30)
    found = re.search(r"(\d+) requests in", done.stdout)
    if done.returncode or not found:
        raise BenchError(f"wrk failed on {url}:\n{done.stdout}{done.stderr}")
    bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s*(\d+)", done.stdout))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", done.stdout)
    if errors:
        bad += int(errors[1]) + int(errors[3]) + int(errors[4])  # reads fail routinely when sync workers close
    return int(found[1]), bad


def pool(port: int, path: str, seconds: float) -> tuple[int, int]:
    """The fallback generator: CONNECTIONS threads, one connection per request (as gunicorn's sync workers).

    Python's own cost per request is close to the server's, so its ratios are flatter and noisier than wrk's.
    """
    stop = time.monotonic() + seconds
    counts = [0] * CONNECTIONS
    bad = [0] * CONNECTIONS
    lock = threading.Lock()

    def client(i: int) -> None:
        while time.monotonic() < stop:
            try:
                status, _ = get(port, path, headers=HEADERS, decode=False)
            except OSError:
                status = 0
            with lock:
                if 200 <= status < 400:
                    counts[i] += 1
                else:
                    bad[i] += 1

    with ThreadPoolExecutor(CONNECTIONS) as ex:
        list(ex.map(client, range(CONNECTIONS)))
    return sum(counts), sum(bad)


def server_cpu(pid: int) -> float:
    """CPU seconds used so far by gunicorn's master and its workers (from /proc; 0 where there is none)."""
    total = 0
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0.0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == pid or int(fields[1]) == pid:  # fields: state, ppid, …, utime (11), stime (12)
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


@dataclass
class Tally:
    """Requests answered on one URL, the wall seconds it took and the server's CPU seconds for them."""

    requests: int = 0
    seconds: float = 0.0
    cpu: float = 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def per_cpu(self) -> float:
        """Requests per second of one busy core: the rate that does not depend on what else the machine runs."""
        return self.requests / self.cpu if self.cpu else 0.0


def load(server_pid: int, port: int, path: str, seconds: int, tally: Tally | None = None) -> None:
    """Load one URL for the given seconds, adding to the tally; any failed request stops the benchmark."""
    cpu, start = server_cpu(server_pid), time.monotonic()
    if WRK:
        requests, bad = wrk(f"http://{HOST}:{port}{path}", seconds)
    else:
        requests, bad = pool(port, path, seconds)
    if bad:
        raise BenchError(f"{bad} failed requests on {path}")
    if tally is not None:
        tally.seconds += time.monotonic() - start
        tally.cpu += server_cpu(server_pid) - cpu
        tally.requests += requests


def measure(server_pid: int, port: int, paths: list[str]) -> dict[str, Tally]:
    """Each URL's tally over ROUNDS interleaved rounds, after a warm-up of each.

    Interleaving (bare, home, category, api, bare, …) means a burst of other work on the machine slows
    the ceiling and the pages alike instead of skewing one ratio.
    """
    for path in paths:
        load(server_pid, port, path, WARMUP_S)
    tallies = {path: Tally() for path in paths}
    for _ in range(ROUNDS):
        for path in paths:
            load(server_pid, port, path, SECONDS // ROUNDS, tallies[path])
    return tallies


def check_pages(port: int) -> None:
    """Each measured URL answers 200 with its real content."""
    for path, needle in PAGE_CHECKS.items():
        for headers in ({}, HEADERS):
            status, body = get(port, path, timeout=30, headers=headers)
            if status != 200 or needle not in body:
                raise BenchError(f"GET {path} answered {status} without {needle!r}: {body[:300]}")


def run_size(label: str, csv_path: Path, work: Path) -> dict[str, Tally]:
    """A fresh database loaded from csv_path, served by gunicorn, measured; the rps per page and /_bare."""
    db_file = work / f"{label}.sqlite3"
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_file}", "PORT": str(port)}
    env.pop("BIND", None)  # gunicorn.conf.py would prefer it to PORT
    env.pop("ACCESS_LOG", None)
    flask(env, "db", "upgrade")
    flask(env, "catalog", "import", str(csv_path))
    rows = sum(1 for _ in csv_path.open(encoding="utf-8")) - 1
    print(f"\n== {label}: {rows} catalog rows, gunicorn on {HOST}:{port} "
          f"({'wrk' if WRK else 'http.client pool'}, {CONNECTIONS} connections, {SECONDS} s per URL "
          f"in {ROUNDS} interleaved rounds) ==", flush=True)
    with Server(env, work / f"gunicorn-{label}.log") as server:
        server.wait_ready(port)
        check_pages(port)
        tallies = measure(server.proc.pid, port, [BARE, *PAGES.values()])
    bare = tallies[BARE]
    print(f"  {'GET ' + BARE:<20} {bare.rps:7.0f} rps            {bare.per_cpu:7.0f} per server CPU-s   (ceiling)")
    for name, path in PAGES.items():
        page = tallies[path]
        ratio, cpu_ratio = page.rps / bare.rps, ratios(page, bare)[1]
        print(f"  {'GET ' + path:<20} {page.rps:7.0f} rps  ratio {ratio:.2f}  {page.per_cpu:7.0f} per server CPU-s  "
              f"ratio {cpu_ratio:.2f}   {name}: target ≥ {TARGET}: {verdict(ratio)}")
    return tallies


def ratios(page: Tally, bare: Tally) -> tuple[float, float]:
    """The page's rate over the bare endpoint's: by wall clock, and by the server's CPU time."""
    return page.rps / bare.rps, (page.per_cpu / bare.per_cpu if bare.per_cpu else 0.0)


def verdict(ratio: float) -> str:
    return "met" if ratio >= TARGET else "NOT met"


def contract_bench() -> list[str]:
    """bench/contract_bench.py's output and verdicts; it failing to run is reported, not fatal to the rest."""
    print("\n== contract PDF (bench/contract_bench.py) ==", flush=True)
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "contract_bench.py")], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    print(done.stdout, end="")
    ratio = re.search(r"ratio:\s*([\d.]+)", done.stdout)
    batch = re.search(r"render_batch of (\d+):\s*([\d.]+) s", done.stdout)
    if not (ratio and batch):  # its exit code 1 only means a missed target; no figures means it broke
        print(done.stderr[-2000:], end="", file=sys.stderr)
        return [f"contract benchmark could not run (exit {done.returncode}); see above"]
    lines = []
    ok = "met" if float(ratio[1]) <= 1.5 else "NOT met"
    lines.append(f"contract / bare document   ratio {float(ratio[1]):.2f}   target ≤ 1.5: {ok}")
    ok = "met" if float(batch[2]) <= 30 else "NOT met"
    lines.append(f"batch of {batch[1]} contracts   {float(batch[2]):.1f} s   target ≤ 30 s: {ok}")
    return lines


def bulk_bench() -> list[str]:
    """bench/bulk_bench.py: a dealer's 200-line parse + quote as a ratio to a one-line quote."""
    print("\n== dealer bulk entry (bench/bulk_bench.py) ==", flush=True)
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "bulk_bench.py")], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    print(done.stdout, end="")
    ratio = re.search(r"ratio:\s*([\d.]+)", done.stdout)
    whole = re.search(r"(\d+)-line parse \+ quote: ([\d.]+) ms", done.stdout)
    if not (ratio and whole):
        print(done.stderr[-2000:], end="", file=sys.stderr)
        return [f"bulk-entry benchmark could not run (exit {done.returncode}); see above"]
    return [f"{whole[1]}-line parse + quote   {float(whole[2]):.0f} ms   ratio {float(ratio[1]):.1f} to a one-line quote"]


def customers_bench() -> list[str]:
    """bench/customers_bench.py: the customer archive at 10,000 customers and 100,000 orders, to the dealer page."""
    print("\n== customer archive (bench/customers_bench.py) ==", flush=True)
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "customers_bench.py")], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    print(done.stdout, end="")
    found = re.search(r"GET /desk/customers: (\d+) ms \((\d+) SQL", done.stdout)
    ratio = re.search(r"ratio:\s*([\d.]+)", done.stdout)
    if not (found and ratio):
        print(done.stderr[-2000:], end="", file=sys.stderr)
        return [f"customer-archive benchmark could not run (exit {done.returncode}); see above"]
    return [f"customer archive (10k/100k)   {found[1]} ms, {found[2]} queries   ratio {float(ratio[1]):.1f} to /desk/dealers"]


def main() -> int:
    started = time.monotonic()
    results: dict[str, dict[str, Tally]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="shop-bench-") as tmp:
            work = Path(tmp)
            results["catalog.csv"] = run_size("catalog", ROOT / "catalog.csv", work)
            big = work / "BIG.csv"
            flask({**os.environ, "DATABASE_URL": f"sqlite:///{work / 'synth.sqlite3'}"},
                  "catalog", "synth", str(ROOT / "catalog.csv"), str(big), "--factor", str(FACTOR))
            results[f"{FACTOR}× catalog"] = run_size(f"{FACTOR}x", big, work)
        contract_lines = contract_bench() + bulk_bench() + customers_bench()
    except BenchError as err:
        print(f"\nbenchmark could not run: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted; every process started was stopped", file=sys.stderr)
        return 130

    print(f"\n== summary (target: every page ≥ {TARGET} of GET {BARE}; wall-clock ratio, server-CPU ratio) ==")
    for size, tallies in results.items():
        for name, path in PAGES.items():
            ratio, cpu_ratio = ratios(tallies[path], tallies[BARE])
            print(f"  {size:<12} {name:<9} ratio {ratio:.2f}  (CPU {cpu_ratio:.2f})   target ≥ {TARGET}: {verdict(ratio)}")
    for line in contract_lines:
        print(f"  {line}")
    print(f"  ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop gunicorn on `kill` too (finally blocks run)
    raise SystemExit(main())
