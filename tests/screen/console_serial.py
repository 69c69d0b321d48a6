#!/usr/bin/env python3
"""The far side of the console tests: sshd runs this as its ForceCommand,
so it behaves like a host's serial console behind a console server.

    console_serial.py SENT_FILE

Every byte it writes to the console also goes to SENT_FILE, so a test can
compare racktop's log with exactly what was sent. The pty is put in raw
mode first, so the bytes on the wire are the bytes written. What it does
depends on the command the client asked for (SSH_ORIGINAL_COMMAND, set
from racktop/console-command):
  serial NAME   boot lines, then a prompt that echoes input; the line
                "menu" draws a full-screen menu (alternate screen,
                colours, cursor movement, line drawing) until a key;
                "size" prints the pty's size as "size ROWSxCOLS";
                "bye" hangs up
  burst MB      MB megabytes of coloured lines with cursor movement,
                then a line "BURST-END", then echoes keys until "bye"
"""
import os
import fcntl
import struct
import sys
import termios
import time
import tty

WORDS = os.environ.get("SSH_ORIGINAL_COMMAND", "serial host").split()
# One file per console name: two panes may talk to two copies at once.
sent = open("%s-%s" % (sys.argv[1], "burst" if WORDS[0] == "burst" else
                        WORDS[1] if len(WORDS) > 1 else "host"), "ab", buffering=0)
out = sys.stdout.buffer.raw if hasattr(sys.stdout.buffer, "raw") else sys.stdout.buffer


def send(data):
    if isinstance(data, str):
        data = data.encode()
    sent.write(data)
    view = memoryview(data)
    while view:
        n = os.write(1, view)
        view = view[n:]


def getch():
    b = os.read(0, 1)
    if not b:
        sys.exit(0)
    return b


def menu():
    s = "\033[?1049h\033[H\033[2J"
    s += "\033[44;37m" + "\033[1;1H" + " " * 20 + "SETUP UTILITY" + " " * 20 + "\033[0m"
    # A box drawn with DEC line drawing characters.
    s += "\033[4;10H\033(0lqqqqqqqqqqqqqqqqqqqqqqk\033(B"
    for r in range(5, 9):
        s += "\033[%d;10H\033(0x\033(B%s\033(0x\033(B" % (r, " " * 22)
    s += "\033[9;10H\033(0mqqqqqqqqqqqqqqqqqqqqqqj\033(B"
    s += "\033[5;12H\033[1;33mBoot Menu\033[0m"
    s += "\033[6;12H\033[7m> 1. Network (PXE) \033[0m"
    s += "\033[7;12H  2. Disk"
    s += "\033[8;12H\033[31m  3. BIOS Setup\033[0m"
    s += "\033[12;3HPress any key to leave"
    send(s)
    getch()
    send("\033[?1049l")


def serial(name):
    for i, line in enumerate([
            "BIOS version 2.4.1 (racktop test console)",
            "Memory test: 524288 MB OK",
            "Booting %s from disk..." % name,
            "[    0.000000] Linux version 6.1.0-test",
            "[    1.234567] console [ttyS1] enabled"]):
        send(line + "\r\n")
    send("%s login: " % name)
    line = b""
    while True:
        c = getch()
        if c in (b"\r", b"\n"):
            send("\r\n")
            cmd = line.decode(errors="replace").strip()
            line = b""
            if cmd == "bye":
                send("Goodbye\r\n")
                return
            if cmd == "menu":
                menu()
            elif cmd == "size":
                rows, cols = struct.unpack("hh", fcntl.ioctl(0, termios.TIOCGWINSZ, b"0000"))
                send("size %dx%d\r\n" % (rows, cols))
            elif cmd:
                send("you typed: %s\r\n" % cmd)
            send("%s$ " % name)
        elif c == b"\x03":
            line = b""
            send("^C\r\n%s$ " % name)
        elif c in (b"\x7f", b"\b"):
            if line:
                line = line[:-1]
                send("\b \b")
        else:
            line += c
            send(c)


def burst(mb):
    total = int(float(mb) * 1024 * 1024)
    # When the first byte leaves, for the benchmark's MB/s.
    with open(sent.name + ".start", "w") as f:
        f.write("%.6f\n" % time.time())
    n = 0
    i = 0
    chunk = []
    size = 0
    while n < total:
        line = ("\033[%dm%08d\033[0m \033[1mline\033[0m of the burst \033[32m[ OK ]\033[0m "
                "\033[K%s\r\n" % (31 + i % 7, i, "x" * (i % 40)))
        if i % 50 == 0:
            line += "\033[s\033[1;60H\033[7m%8d\033[0m\033[u" % i
        chunk.append(line)
        size += len(line)
        n += len(line)
        i += 1
        if size > 65536:
            send("".join(chunk))
            chunk = []
            size = 0
    if chunk:
        send("".join(chunk))
    send("BURST-END\r\n")
    while True:
        c = getch()
        if c == b"q":
            send("Goodbye\r\n")
            return
        # Each key is answered at once, with a marker the test can time.
        send("[key %s]\r\n" % c.decode(errors="replace"))


def main():
    try:
        tty.setraw(0)
        attrs = termios.tcgetattr(1)
        attrs[1] &= ~termios.OPOST
        termios.tcsetattr(1, termios.TCSANOW, attrs)
    except termios.error:
        pass
    if WORDS and WORDS[0] == "burst":
        burst(WORDS[1] if len(WORDS) > 1 else "1")
    else:
        serial(WORDS[1] if len(WORDS) > 1 else "host")


main()
