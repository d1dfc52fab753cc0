"""A small HTTP load driver: N client threads, each with its own session cookie and its own connection.

Stdlib only (http.client), so what it measures is the server, not a client library. Each client keeps its
connection alive while the server allows it (gunicorn's sync workers close after every response, so the client
reconnects; that is the production stack). Latency is measured per request, from sending the request line to
reading the last byte of the body. Every run is bounded by a request count and by a wall-clock limit.
"""

import http.client
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    name: str
    path: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    bytes: int = 0

    @property
    def count(self) -> int:
        return len(self.latencies)

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile in milliseconds (the value at or below which p% of requests fall)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100), at least 1
        return ordered[int(rank) - 1] * 1000

    def summary(self) -> dict:
        return {
            "name": self.name,
            "path": self.path,
            "concurrency": self.concurrency,
            "requests": self.count,
            "errors": len(self.errors),
            "error_samples": self.errors[:5],
            "p50_ms": round(self.percentile(50), 1),
            "p95_ms": round(self.percentile(95), 1),
            "max_ms": round(max(self.latencies) * 1000, 1) if self.latencies else None,
            "mean_ms": round(statistics.fmean(self.latencies) * 1000, 1) if self.latencies else None,
            "throughput_rps": round(self.count / self.seconds, 1) if self.seconds else None,
            "mean_bytes": int(self.bytes / self.count) if self.count else 0,
        }


class Client:
    """One simulated person: a session cookie and a keep-alive connection, reopened when the server closes it."""

    def __init__(self, host: str, port: int, cookie: str | None, timeout: float):
        self.host, self.port, self.cookie, self.timeout = host, port, cookie, timeout
        self.conn: http.client.HTTPConnection | None = None

    def get(self, path: str) -> tuple[int, int, str]:
        """GET path; returns (status, body length, location header)."""
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            headers = {"Host": f"{self.host}:{self.port}", "Accept": "text/html", "Connection": "keep-alive"}
            if self.cookie:
                headers["Cookie"] = self.cookie
            try:
                self.conn.request("GET", path, headers=headers)
                response = self.conn.getresponse()
                body = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the server had already closed: reconnect once and retry.
                self.close()
                if attempt == 2:
                    raise
                continue
            except Exception:
                self.close()
                raise
            if response.getheader("Connection", "").lower() == "close" or response.will_close:
                self.close()
            return response.status, len(body), response.getheader("Location", "")
        raise RuntimeError("unreachable")

    def fetch(self, method: str, path: str, body: str | None = None, referer: str = "") -> tuple[int, str]:
        """One request on a fresh connection, keeping the cookies the server sets (the CSRF cookie), for writes.
        Returns (status, body text)."""
        self.close()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        headers = {"Host": f"{self.host}:{self.port}", "Accept": "text/html"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if referer:
            headers["Referer"] = referer
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        jar = dict(part.split("=", 1) for part in (self.cookie or "").split("; ") if "=" in part)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                jar[key] = rest.split(";", 1)[0]
        self.cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        return response.status, text

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def run(*, name: str, host: str, port: int, path: str, cookies: list[str | None], concurrency: int,
        requests: int, warmup: int, max_seconds: float, timeout: float = 30.0, expect: int = 200,
        writer: Callable[[], None] | None = None, write_every: int = 10) -> Result:
    """Drive ``path`` with ``concurrency`` clients until ``requests`` have completed or ``max_seconds`` pass.

    ``cookies`` gives each client its own session (reused round-robin if fewer than clients). The first
    ``warmup`` requests (spread over the clients) are not counted. With ``writer``, every ``write_every``-th
    measured request is a write instead (the writer keeps its own figures): the reads are measured under writes.
    """
    result = Result(name=name, path=path, concurrency=concurrency)
    clients = [Client(host, port, cookies[i % len(cookies)] if cookies else None, timeout) for i in range(concurrency)]
    lock = threading.Lock()
    issued = [0]
    total = warmup + requests
    deadline = [0.0]
    started = [0.0]
    warm_done = threading.Event()
    warm_count = [0]

    # No request starts after the hard deadline, whatever happens: a page slower than expected cannot keep
    # threads running into the next measurement.
    hard_deadline = time.perf_counter() + 2 * max_seconds

    def take() -> int | None:
        with lock:
            now = time.perf_counter()
            if issued[0] >= total or now > hard_deadline:
                return None
            if warm_done.is_set() and now > deadline[0]:
                return None
            if not warm_done.is_set() and issued[0] >= warmup and now > hard_deadline - max_seconds:
                return None  # the warm-up alone took longer than the measurement may
            issued[0] += 1
            return issued[0]

    def worker(client: Client) -> None:
        while (n := take()) is not None:
            if n > warmup and not warm_done.wait(max(0.0, hard_deadline - time.perf_counter())):
                break
            if writer is not None and n > warmup and (n - warmup) % write_every == 0:
                writer()
                continue
            start = time.perf_counter()
            try:
                status, size, location = client.get(path)
            except Exception as exc:  # noqa: BLE001 - a failed request is counted, not fatal
                status, size, location = -1, 0, repr(exc)
            elapsed = time.perf_counter() - start
            with lock:
                if n <= warmup:
                    warm_count[0] += 1
                    if warm_count[0] == warmup:
                        # Measurement starts once every warm-up request has come back.
                        started[0] = time.perf_counter()
                        deadline[0] = started[0] + max_seconds
                        warm_done.set()
                    continue
                if status != expect:
                    result.errors.append(f"{status} {location}"[:200])
                    continue
                result.latencies.append(elapsed)
                result.bytes += size
        client.close()

    if warmup == 0:
        started[0] = time.perf_counter()
        deadline[0] = started[0] + max_seconds
        warm_done.set()
    threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()  # bounded: no request starts after hard_deadline, and each is bounded by ``timeout``
    result.seconds = time.perf_counter() - started[0] if started[0] else 0.0
    if not result.latencies and not result.errors:
        result.errors.append(f"no request finished inside the time limit ({2 * max_seconds:g} s)")
    return result
