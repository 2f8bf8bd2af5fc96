"""Runs a command in a pseudo-terminal of a given size and relays bytes: our stdin to the terminal,
the terminal's output to our stdout. Exits with the command's exit code. Used by the shell tests, so
that ghsql sees a real TTY (python3 is everywhere; node-pty would need a native build).

usage: python3 pty-driver.py COLUMNS ROWS COMMAND [ARG...]
"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios

columns, rows, command = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]

pid, terminal = pty.fork()
if pid == 0:
    # The child's stdin is the terminal: size it before the program asks for the width.
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    os.execvp(command[0], command)

inputs = [terminal, sys.stdin.fileno()]
while True:
    readable, _, _ = select.select(inputs, [], [])
    if terminal in readable:
        try:
            data = os.read(terminal, 65536)
        except OSError:  # EIO: the program has exited and closed the terminal
            data = b""
        if not data:
            break
        os.write(sys.stdout.fileno(), data)
    if sys.stdin.fileno() in readable:
        data = os.read(sys.stdin.fileno(), 65536)
        if data:
            os.write(terminal, data)
        else:
            inputs.remove(sys.stdin.fileno())

_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
