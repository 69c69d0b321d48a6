#!/usr/bin/env python3
"""Loads a kube-apiserver with N Hardware and N Workflows (each with a
status: one task of three actions, as Tinkerbell's controller writes it),
for tests/bench/kube_watch.sh. Plain HTTPS POSTs and status PATCHes on a
few keep-alive connections, with the admin token from the environment
(KUBE_SERVER, KUBE_TOKEN, KUBE_STATEDIR/ca.crt: kube_lib.sh's kube_start).

    python3 kube_load.py N [THREADS]
    python3 kube_load.py --list       # time listing them all, for comparison
"""
import http.client
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse

N = int(sys.argv[1]) if sys.argv[1] != "--list" else 0
THREADS = int(sys.argv[2]) if len(sys.argv) > 2 else 8
server = urllib.parse.urlsplit(os.environ["KUBE_SERVER"])
token = os.environ["KUBE_TOKEN"]
ctx = ssl.create_default_context(cafile=os.environ["KUBE_STATEDIR"] + "/ca.crt")
TB = "/apis/tinkerbell.org/v1alpha1/namespaces/default"


def hardware(i):
    mac = "3c:ec:%02x:%02x:%02x:%02x" % (i >> 24 & 255, i >> 16 & 255, i >> 8 & 255, i & 255)
    return mac, {"apiVersion": "tinkerbell.org/v1alpha1", "kind": "Hardware",
                 "metadata": {"name": "node-%05d" % i},
                 "spec": {"interfaces": [{"dhcp": {"mac": mac}}]}}


def workflow(i):
    return {"apiVersion": "tinkerbell.org/v1alpha1", "kind": "Workflow",
            "metadata": {"name": "wf-%05d" % i},
            "spec": {"templateRef": "debian", "hardwareRef": "node-%05d" % i}}


def status(i, mac):
    done = i % 3
    acts = []
    for j, name in enumerate(("stream-image", "write-netplan", "kexec")):
        st = "STATE_SUCCESS" if j < done else "STATE_RUNNING" if j == done else "STATE_PENDING"
        a = {"id": "a%d" % j, "name": name, "image": "quay.io/tinkerbell/actions/%s:v1" % name,
             "state": st}
        if j <= done:
            a["executionStart"] = "2026-01-01T10:%02d:00Z" % j
        if j < done:
            a["executionDuration"] = "%ds" % (30 + j)
        acts.append(a)
    return {"status": {"state": "STATE_RUNNING",
                       "currentState": {"taskName": "os", "actionName": acts[done]["name"]},
                       "tasks": [{"id": "t1", "name": "os", "agentID": mac, "actions": acts}]}}


def worker(lo, hi, errors):
    conn = http.client.HTTPSConnection(server.hostname, server.port, context=ctx, timeout=60)

    def call(method, path, body, ctype):
        for attempt in range(5):
            try:
                conn.request(method, path, json.dumps(body),
                             {"Authorization": "Bearer " + token, "Content-Type": ctype})
                r = conn.getresponse()
                data = r.read()
                if r.status < 300 or r.status == 409:
                    return
                if r.status != 429 and r.status < 500:
                    errors.append("%s %s: %d %s" % (method, path, r.status, data[:200]))
                    return
            except (OSError, http.client.HTTPException):
                conn.close()
            time.sleep(0.2 * (attempt + 1))
        errors.append("%s %s: no answer after 5 tries" % (method, path))

    for i in range(lo, hi):
        mac, hw = hardware(i)
        call("POST", TB + "/hardware", hw, "application/json")
        call("POST", TB + "/workflows", workflow(i), "application/json")
        call("PATCH", TB + "/workflows/wf-%05d/status" % i, status(i, mac),
             "application/merge-patch+json")
    conn.close()


def list_all():
    """The baseline: every Hardware and Workflow listed in pages of 500
    (racktop's page size), one resource after the other, parsed."""
    conn = http.client.HTTPSConnection(server.hostname, server.port, context=ctx, timeout=120)
    t0 = time.monotonic()
    n = 0
    for plural in ("hardware", "workflows"):
        cont = ""
        while True:
            q = "?limit=500" + ("&continue=" + urllib.parse.quote(cont) if cont else "")
            conn.request("GET", "/apis/tinkerbell.org/v1alpha1/" + plural + q,
                         headers={"Authorization": "Bearer " + token})
            j = json.loads(conn.getresponse().read())
            n += len(j["items"])
            cont = j["metadata"].get("continue", "")
            if not cont:
                break
    print("baseline: the API server lists %d objects (python3, pages of 500) in %d ms"
          % (n, (time.monotonic() - t0) * 1000))
    return 0


def main():
    if sys.argv[1] == "--list":
        return list_all()
    errors = []
    t0 = time.monotonic()
    step = (N + THREADS - 1) // THREADS
    ts = [threading.Thread(target=worker, args=(k, min(N, k + step), errors))
          for k in range(0, N, step)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    dt = time.monotonic() - t0
    for e in errors[:5]:
        print("kube_load: " + e, file=sys.stderr)
    print("loaded %d Hardware and %d Workflows (with status) in %.1f s (%d requests/s)"
          % (N, N, dt, 3 * N / dt if dt else 0))
    return 1 if errors else 0


sys.exit(main())
