"""`make run`'s first step: is its address free? One line and status 1 if not.

    python ops/port_free.py 127.0.0.1:8000

Without it the site would load the demo content first and then fail with a
traceback from runserver (and leave its job worker running).
"""

import socket
import sys


def main(address):
    host, _, port = address.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As runserver binds: a port left in TIME_WAIT is free, a listening one is not.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, int(port)))
        except (OSError, ValueError) as error:
            print(
                f"make run: cannot serve on {address} ({error.strerror or error}): stop what"
                " runs there, or choose another address: make run ADDR=127.0.0.1:8001",
                file=sys.stderr,
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"))
