"""A stand-in for systemd's notify socket: binds a datagram socket at PATH and
appends every message it receives to OUT, one message per line (newlines inside a
message become ';'). Runs until killed.  Usage: notify_listener.py PATH OUT"""
import os
import socket
import sys

path, out = sys.argv[1], sys.argv[2]
if os.path.exists(path):
    os.unlink(path)
listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
listener.bind(path)
with open(out, "a", buffering=1) as log:
    log.write("listening\n")
    while True:
        message = listener.recv(65536).decode("utf-8", "replace")
        log.write(message.replace("\n", ";") + "\n")
