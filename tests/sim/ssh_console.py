#!/usr/bin/env python3
"""Drives OpenSSH's client on a pty against a racktop-sim serial console.

ssh_console.py PORT KNOWN_HOSTS ASKPASS STEP...

The client checks the host key against KNOWN_HOSTS only (strictly) and
logs in as admin with the password ASKPASS prints. Steps, in order:
  wait:TEXT     until TEXT shows after the previous match (10 s at most)
  send:TEXT     types TEXT (\\r, \\x03 and the like are unescaped)
  sleep:SECONDS
  eof           until the client exits (the server hung up)
Prints what the console showed; exits 1 naming the first wait that failed.
"""
import os
import pty
import select
import signal
import sys
import time

port, known, askpass = sys.argv[1:4]
env = dict(os.environ, SSH_ASKPASS=askpass, SSH_ASKPASS_REQUIRE="force", DISPLAY=":0")
pid, fd = pty.fork()
if pid == 0:
    os.execvpe("ssh", ["ssh", "-tt", "-F", "/dev/null", "-p", port,
                       "-o", "UserKnownHostsFile=" + known,
                       "-o", "GlobalKnownHostsFile=/dev/null",
                       "-o", "StrictHostKeyChecking=yes",
                       "-o", "PubkeyAuthentication=no",
                       "-o", "PreferredAuthentications=password",
                       "-o", "NumberOfPasswordPrompts=1",
                       "-o", "LogLevel=ERROR", "admin@127.0.0.1"], env)

out = b""
pos = 0
closed = False


def pump(timeout):
    """Reads what there is for up to TIMEOUT s; False once the client is gone."""
    global out, closed
    if closed:
        return False
    r, _, _ = select.select([fd], [], [], timeout)
    if r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            closed = True
            return False
        out += data
    return True


def wait(text, limit=10.0):
    global pos
    want = text.encode()
    end = time.time() + limit
    while True:
        i = out.find(want, pos)
        if i >= 0:
            pos = i + len(want)
            return True
        if time.time() > end or not pump(0.1):
            return out.find(want, pos) >= 0


failed = None
for step in sys.argv[4:]:
    if step.startswith("wait:"):
        if not wait(step[5:]):
            failed = "timed out waiting for %r" % step[5:]
            break
    elif step.startswith("send:"):
        os.write(fd, step[5:].encode().decode("unicode_escape").encode("latin-1"))
    elif step.startswith("sleep:"):
        end = time.time() + float(step[6:])
        while time.time() < end and pump(0.05):
            pass
    elif step == "eof":
        end = time.time() + 10
        while time.time() < end and pump(0.1):
            pass
        if not closed:
            failed = "the session did not end"
            break
    else:
        sys.exit("bad step %r" % step)

end = time.time() + 0.3
while time.time() < end and pump(0.05):
    pass
if not closed:
    os.kill(pid, signal.SIGTERM)
os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
if failed:
    sys.stdout.write("\n[ssh_console.py: %s]\n" % failed)
    sys.exit(1)
