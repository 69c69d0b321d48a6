#!/usr/bin/python3
"""Peers of the Redfish sweep benchmark (tests/bench/redfish_sweep.sh).

The resources every client reads for "every GPU of every host": the
Systems collection, each System, its Processors collection, each
Processor (to learn which are GPUs), and for every GPU its
ProcessorMetrics, EnvironmentMetrics and MemorySummary/MemoryMetrics.

  sweep_peers.py urls PORTS CREDS SCHEME [CA]
      walks the first host with urllib and prints those URLs for every
      port of PORTS (the simulator's hosts are alike; bench_fetch fails
      on any URL that is not there)
  sweep_peers.py sushy PORTS CREDS SCHEME WORKERS [CA]
      reads them with python3-sushy, one Sushy client a host (a Redfish
      session, as racktop) on a ThreadPoolExecutor of WORKERS threads;
      prints "seconds hosts gpus failed"

CREDS is a 0600 JSON file {"user": ..., "password": ...} (redfishtool's
-c format): no credential on a command line. Not a test.
"""
import base64
import json
import os
import ssl
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def creds(path):
    with open(path) as f:
        c = json.load(f)
    return c["user"], c["password"]


def ports(path):
    with open(path) as f:
        return [int(x) for x in f.read().split()]


def walk(get):
    """The resource paths of one BMC, given GET(path) -> JSON."""
    paths = ["/redfish/v1/Systems"]
    systems = [m["@odata.id"] for m in get(paths[0])["Members"]]
    for s in systems:
        paths.append(s)
        procs = get(s).get("Processors", {}).get("@odata.id")
        if not procs:
            continue
        paths.append(procs)
        for m in get(procs)["Members"]:
            p = m["@odata.id"]
            paths.append(p)
            proc = get(p)
            if proc.get("ProcessorType") != "GPU":
                continue
            for link in (proc.get("Metrics"), proc.get("EnvironmentMetrics"),
                         proc.get("MemorySummary", {}).get("Metrics")):
                if link:
                    paths.append(link["@odata.id"])
    return paths


def cmd_urls(argv):
    plist, (user, pw), scheme = ports(argv[0]), creds(argv[1]), argv[2]
    ctx = ssl.create_default_context(cafile=argv[3]) if len(argv) > 3 else None
    auth = "Basic " + base64.b64encode(f"{user}:{pw}".encode()).decode()
    base = f"{scheme}://127.0.0.1:{plist[0]}"

    def get(path):
        req = urllib.request.Request(base + path, headers={"Authorization": auth})
        with urllib.request.urlopen(req, context=ctx) as r:
            return json.load(r)

    paths = walk(get)
    for p in plist:
        for path in paths:
            print(f"{scheme}://127.0.0.1:{p}{path}")


def cmd_sushy(argv):
    import sushy
    from sushy.resources.system.processor import ProcessorCollection

    plist, (user, pw), scheme = ports(argv[0]), creds(argv[1]), argv[2]
    workers = int(argv[3])
    verify = argv[4] if len(argv) > 4 else True
    # requests lets these override a Session's own CA file: drop them.
    for v in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        os.environ.pop(v, None)

    def one(port):
        s = sushy.Sushy(f"{scheme}://127.0.0.1:{port}/redfish/v1/", username=user,
                        password=pw, verify=verify)
        gpus = 0
        try:
            for path in s.get_system_collection().members_identities:
                try:
                    procs = s.get_system(path).processors
                except sushy.exceptions.MissingAttributeError:
                    # sushy refuses a System without Actions (an HGX
                    # baseboard): its Processors through sushy all the same.
                    link = s._conn.get(path).json().get("Processors")
                    if not link:
                        continue
                    procs = ProcessorCollection(s._conn, link["@odata.id"],
                                                redfish_version=s.redfish_version)
                for proc in procs.get_members():
                    if proc.processor_type != sushy.PROCESSOR_TYPE_GPU:
                        continue
                    raw = proc.json
                    # sushy models no GPU metrics: read the links with its
                    # own connection (same session, same pool).
                    for link in (raw.get("Metrics"), raw.get("EnvironmentMetrics"),
                                 raw.get("MemorySummary", {}).get("Metrics")):
                        if link:
                            s._conn.get(link["@odata.id"]).json()
                    gpus += 1
        finally:
            try:
                s._conn._auth.close()   # log out: end the session
            except Exception:
                pass
        return gpus

    t0 = time.monotonic()
    failed = 0
    total = 0
    with ThreadPoolExecutor(max_workers=workers) as ex:
        for f in [ex.submit(one, p) for p in plist]:
            try:
                total += f.result()
            except Exception as e:
                if failed < 3:
                    print(f"sushy: {e}", file=sys.stderr)
                failed += 1
    print(f"{time.monotonic() - t0:.3f} {len(plist)} {total} {failed}")


if __name__ == "__main__":
    {"urls": cmd_urls, "sushy": cmd_sushy}[sys.argv[1]](sys.argv[2:])
