"""Hostile queries against a SPARQL endpoint on loopback, and what the server did.

    attack.py shapes URL PID LIMIT_SECONDS [--only NAME] [--kill-above-mib N] [--wait SECONDS]
                                             each pathological shape in turn, then a normal query
    attack.py flood URL SECONDS              32 attackers (one address each) while a client asks views

`shapes` prints one JSON object per shape: the status (or "timeout"/"down"), seconds taken, the
server's peak resident memory above what it had before (VmRSS, polled every 20 ms), and the
status and seconds of an ordinary query right after. `flood` prints one JSON object: the view
client's latencies (p50, p99, max), its errors, and what the attackers got. The Rust test
(`governance`) and `bench/run.sh` (against `oxigraph serve` as well) read the reports.

Standard library only: the attackers bind source addresses 127.0.0.2 … 127.0.0.33, so that a
server that holds each client (address) to a share of its slots sees 32 clients.
"""

import http.client
import json
import sys
import threading
import time
import urllib.parse

PRODUCT3 = "?a ?b ?c . ?d ?e ?f . ?g ?h ?i"
P = "<http://example.com/p>"

# (name, query): every one would run for minutes or take gigabytes without limits.
SHAPES = [
    ("order-by-product", f"SELECT ?c WHERE {{ {PRODUCT3} }} ORDER BY ?c LIMIT 1"),
    ("count-product-4", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"),
    ("count-product-3", f"SELECT (COUNT(*) AS ?n) WHERE {{ {PRODUCT3} }}"),
    ("group-by-product", f"SELECT ?c (COUNT(*) AS ?n) WHERE {{ {PRODUCT3} }} GROUP BY ?c"),
    ("distinct-product", f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?c ?f ?i WHERE {{ {PRODUCT3} }} }}"),
    ("reduced-product", f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT REDUCED ?c ?f ?i WHERE {{ {PRODUCT3} }} }}"),
    ("max-product", f"SELECT (MAX(STR(?c)) AS ?m) WHERE {{ {PRODUCT3} }}"),
    ("group-concat-product", "SELECT (GROUP_CONCAT(STR(?c)) AS ?x) WHERE { ?a ?b ?c . ?d ?e ?f }"),
    ("path-alternative-closure", f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ({P}|!{P})* ?o . ?x ?y ?z }}"),
    ("negated-inverse-closure", f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s (^!{P})* ?o . ?x ?y ?z }}"),
    ("negated-plus-product", f"SELECT ?s ?o WHERE {{ ?s (!{P})+ ?o . ?x ?y ?z }} ORDER BY ?o"),
    ("nested-optionals", "SELECT * WHERE { ?a ?b ?c OPTIONAL { ?d ?e ?f OPTIONAL { ?g ?h ?i } } } ORDER BY ?c ?f ?i"),
    ("minus-product", "SELECT (COUNT(*) AS ?n) WHERE { ?x ?y ?z MINUS { ?x ?e ?f . ?g ?h ?i FILTER(STR(?f) = CONCAT(STR(?i), 'x')) } }"),
    ("values-product-order", "SELECT * WHERE { VALUES ?v { " + " ".join(str(i) for i in range(200))
     + " } ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f ?v"),
    ("huge-values-count", "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?v { " + " ".join(str(i) for i in range(5000))
     + " } ?a ?b ?c . ?d ?e ?f }"),
    ("concat-doubling", "SELECT ?x WHERE { BIND('ab' AS ?a0) "
     + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(27))
     + " BIND(STRLEN(?a27) AS ?x) ?s ?p ?o }"),
    ("regex-in-product", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(REGEX(CONCAT(STR(?c), STR(?f)), '(a|e|i)+x$')) }"),
    ("string-functions-in-product", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STRLEN(REPLACE(CONCAT(STR(?c), STR(?f)), 'e', 'ee')) > 100000) }"),
    ("subquery-product", "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?c ?f WHERE { ?a ?b ?c . ?d ?e ?f } } ?g ?h ?i }"),
    ("unions-of-products", "SELECT ?c WHERE { " + " UNION ".join("{ ?a ?b ?c . ?d ?e ?f }" for _ in range(10)) + " } ORDER BY ?c"),
    ("not-exists-product", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c FILTER NOT EXISTS { ?d ?e ?f . ?g ?h ?i FILTER(?i = ?c && ?f = 'none') } }"),
    ("exists-product", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c FILTER EXISTS { ?d ?e ?f . ?g ?h ?i FILTER(?i = 'none') } }"),
    ("construct-product", "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?f"),
    ("order-by-expression", "SELECT ?c ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY DESC(CONCAT(STR(?c), STR(?f)))"),
    ("sum-group-expression", f"SELECT (SUM(STRLEN(STR(?c))) AS ?n) WHERE {{ {PRODUCT3} }} GROUP BY (STRLEN(STR(?i)))"),
    ("braces-600", "SELECT * WHERE " + "{" * 600 + " ?s ?p ?o " + "}" * 600),
    ("parentheses-800", "ASK { ?s ?p ?o FILTER(" + "(" * 800 + "?o" + ")" * 800 + ") }"),
    ("path-parentheses-2600", "ASK { ?s " + "(" * 2600 + P + ")" * 2600 + " ?o }"),
    ("optionals-999", "SELECT ?s WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 999 + "} LIMIT 1"),
]

NORMAL = "ASK { ?s ?p ?o }"


def exchange(url, method, path, body, headers, timeout, source=None):
    """One HTTP request to the server at `url`; (status or 'timeout'/'down', seconds)."""
    parts = urllib.parse.urlsplit(url)
    started = time.monotonic()
    try:
        connection = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=timeout,
            source_address=(source, 0) if source else None)
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        response.read()
        status = response.status
        connection.close()
    except TimeoutError:
        status = "timeout"
    except OSError:
        status = "down"
    return status, time.monotonic() - started


def request(url, query, timeout, source=None):
    """POSTs a query to the endpoint `url`."""
    body = urllib.parse.urlencode({"query": query})
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Accept": "application/sparql-results+json"}
    return exchange(url, "POST", urllib.parse.urlsplit(url).path, body, headers, timeout, source)


def get(url, path, timeout):
    """GETs `path` of the server at `url`."""
    return exchange(url, "GET", path, None, {"Accept": "application/json"}, timeout)


def resident_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def shapes(url, pid, limit, only=None, kill_above_mib=None, wait=None):
    """`wait`: how long to wait for an answer (default the limit plus a minute). A server whose
    resident memory passes `kill_above_mib` is killed (SIGKILL), to keep the machine up: that
    shape's status is then "killed for memory"."""
    import os
    import signal
    for name, query in SHAPES:
        if only and name != only:
            continue
        killed = []
        base = resident_kib(pid) or 0
        peak = [base]
        done = threading.Event()

        def poll():
            while not done.is_set():
                now = resident_kib(pid)
                if now is not None:
                    peak[0] = max(peak[0], now)
                    if kill_above_mib and now > kill_above_mib * 1024 and not killed:
                        os.kill(pid, signal.SIGKILL)
                        killed.append(True)
                time.sleep(0.02)

        poller = threading.Thread(target=poll)
        poller.start()
        status, seconds = request(url, query, timeout=wait or limit + 60)
        done.set()
        poller.join()
        if killed:
            status = "killed for memory"
        after_status, after_seconds = request(url, NORMAL, timeout=wait or limit + 60)
        print(json.dumps({
            "shape": name, "status": status, "seconds": round(seconds, 2),
            "growth_mib": round((peak[0] - base) / 1024, 1), "base_mib": round(base / 1024, 1),
            "then": after_status, "then_seconds": round(after_seconds, 2),
        }), flush=True)


def flood(url, duration):
    stop = time.monotonic() + duration
    attacks = {}
    lock = threading.Lock()

    def attacker(n):
        source = f"127.0.0.{n + 2}"
        shape = SHAPES[n % 8][1]
        while time.monotonic() < stop:
            status, _ = request(url, shape, timeout=duration + 60, source=source)
            with lock:
                attacks[str(status)] = attacks.get(str(status), 0) + 1
            if status == "down":
                time.sleep(0.2)

    threads = [threading.Thread(target=attacker, args=(n,)) for n in range(32)]
    for thread in threads:
        thread.start()
    time.sleep(1)  # the attackers hold the SPARQL slots
    latencies, errors = [], []
    views = ["/views/participation?format=json", "/views/members?format=json",
             "/views/events?format=json", "/health"]
    n = 0
    while time.monotonic() < stop - 1:
        status, seconds = get(url.rsplit("/", 1)[0] + "/", views[n % len(views)], timeout=30)
        n += 1
        latencies.append(seconds)
        if status != 200:
            errors.append(status)
    for thread in threads:
        thread.join()
    latencies.sort()
    pick = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 3) if latencies else None
    print(json.dumps({"requests": len(latencies), "p50": pick(0.5), "p99": pick(0.99),
                      "max": round(max(latencies), 3) if latencies else None,
                      "errors": [str(e) for e in errors], "attacks": attacks}), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "shapes":
        options = dict(zip(sys.argv[5::2], sys.argv[6::2]))
        shapes(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), only=options.get("--only"),
               kill_above_mib=float(options["--kill-above-mib"]) if "--kill-above-mib" in options else None,
               wait=float(options["--wait"]) if "--wait" in options else None)
    elif sys.argv[1] == "flood":
        flood(sys.argv[2], float(sys.argv[3]))
    else:
        sys.exit(f"unknown mode {sys.argv[1]!r}")
