"""python -m deploy [--processes N] [--port 8080] [--first-port 8501]: see deploy/__init__.py."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from deploy import FIRST_PORT, serving


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy", description="Datablik som flere processer bag nginx.")
    parser.add_argument("--processes", type=int, default=1, help="antal app-processer (standard 1: ingen proxy)")
    parser.add_argument("--port", type=int, default=8080, help="nginx' port (127.0.0.1)")
    parser.add_argument("--first-port", type=int, default=FIRST_PORT, help="den første app-proces' port")
    args = parser.parse_args(argv)
    if args.processes < 1:
        print("Fejl: --processes skal være mindst 1.", file=sys.stderr)
        return 2
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        with serving(args.processes, args.port, args.first_port) as (url, apps):
            print(
                f"Datablik kører på {url} ({len(apps)} proces{'ser' if len(apps) > 1 else ''}: "
                f"{', '.join(apps)}). Stop med Ctrl-C.",
                flush=True,
            )
            stop.wait()
    except KeyboardInterrupt:
        pass
    except RuntimeError as problem:
        print(f"Fejl: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
