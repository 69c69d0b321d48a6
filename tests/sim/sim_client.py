"""A Redfish client for the racktop-sim tests: sys.argv[1:4] are the base
URL, the CA file to verify against and the password file (user admin)."""
import sys, json, ssl, base64, urllib.request

base, ca, pwfile = sys.argv[1:4]
pw = open(pwfile).readline().strip()
ctx = ssl.create_default_context(cafile=ca)
auth = "Basic " + base64.b64encode(("admin:" + pw).encode()).decode()


def get(path):
    req = urllib.request.Request(base + path, headers={"Authorization": auth})
    with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
        return json.load(r)
