#!/usr/bin/env python3
"""Cost of a small write with --state, before and after a 50 MB image is stored, for two
emulator binaries in one run: one that keeps a JSON state file (commit 66f5b54 and earlier) and
one with the SQLite store. See README.md ("state_file.py").

usage: python3 benches/state_file.py OLD_BINARY NEW_BINARY [writes]
"""
import base64, json, os, statistics, subprocess, sys, tempfile, time, urllib.request, threading

KEY = "measurekey"


def req(url, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    r = urllib.request.Request(url + path, data=data, method=method,
                               headers={"Authorization": "Key " + KEY,
                                        "Content-Type": "application/json"})
    with urllib.request.urlopen(r, timeout=600) as resp:
        return json.loads(resp.read())


def small_writes(url, tag, n):
    times = []
    for i in range(n):
        t = time.perf_counter()
        b = req(url, "POST", "/v2/concepts", {"concepts": [{"id": f"{tag}-{i}"}]})
        times.append(time.perf_counter() - t)
        assert b["status"]["code"] == 10000, b
    return times


def reads_during(url, seconds):
    """GET latency while the 50 MB input is being written."""
    times, stop = [], time.perf_counter() + seconds
    while time.perf_counter() < stop:
        t = time.perf_counter()
        req(url, "GET", "/v2/concepts?per_page=1")
        times.append(time.perf_counter() - t)
    return times


def run(binary, state, big_b64, n):
    p = subprocess.Popen([binary, "--listen", "127.0.0.1:0", "--key", KEY + "=All",
                          "--state", state], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True)
    url = p.stdout.readline().strip().rsplit(" ", 1)[-1]
    try:
        small_writes(url, "warm", 3)
        before = small_writes(url, "empty", n)
        t = time.perf_counter()
        req(url, "POST", "/v2/inputs",
            {"inputs": [{"id": "big", "data": {"image": {"base64": big_b64}}}]})
        add_big = time.perf_counter() - t
        while req(url, "GET", "/v2/inputs/big")["input"]["status"]["code"] == 30001:
            time.sleep(0.05)
        time.sleep(0.5)
        after = small_writes(url, "full", n)
        # A read racing a small write: does it wait for the write's disk work?
        result = {}
        th = threading.Thread(target=lambda: result.update(r=reads_during(url, 2.0)))
        th.start()
        during = small_writes(url, "race", n)
        th.join()
        return before, after, add_big, result["r"], during
    finally:
        p.kill()
        p.wait()


def ms(v):
    return f"{statistics.median(v) * 1000:8.1f} ms"


def main():
    old, new = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    big = base64.b64encode(os.urandom(50 * 1024 * 1024)).decode()
    with tempfile.TemporaryDirectory() as d:
        rows = {}
        for name, binary, file in [("JSON file (before)", old, "state.json"),
                                   ("SQLite (after)", new, "state.db")]:
            rows[name] = run(binary, os.path.join(d, file), big, n)
    print(f"median of {n} sequential small writes (POST /v2/concepts, one concept)")
    print(f"{'':20} {'empty state':>12} {'50 MB stored':>12} {'grows x':>8} {'read p50 during writes':>24}")
    for name, (before, after, add_big, reads, during) in rows.items():
        print(f"{name:20} {ms(before)} {ms(after)} {statistics.median(after) / statistics.median(before):8.1f}"
              f" {ms(reads):>16} (max {max(reads) * 1000:.0f} ms)   adding the 50 MB input: {add_big:.1f} s")
    old_after = statistics.median(rows["JSON file (before)"][1])
    new_after = statistics.median(rows["SQLite (after)"][1])
    print(f"small write with 50 MB stored: JSON / SQLite = {old_after / new_after:.0f}x")


main()
