"""Compare two pages under the same load, interleaved: A B A B A B, so that whatever else
the machine does falls on both alike. Typically A is the portal's thread page and B the
same thread in another forum, both served on this machine from the same data.

    python bench/compare.py http://127.0.0.1:8000/forums/t/42 http://127.0.0.1:8080/topic/42
    python bench/compare.py A B --connections 16 --seconds 10 --rounds 5 \\
        --cookie-a "session=..." --cookie-b "flaskbb_session=..."

Each round drives one page with wrk (``-c`` connections, two threads, gzip accepted) for
``--seconds``; the figures printed are each round's requests per second and latencies,
then the median of each side and the ratio A / B. It asserts nothing: it prints figures.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import Load, wrk_url  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", help="the first page's URL (the portal's)")
    parser.add_argument("b", help="the second page's URL (the other forum's)")
    parser.add_argument("--connections", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cookie-a", default="", help="a Cookie header for A (to be signed in)")
    parser.add_argument("--cookie-b", default="", help="a Cookie header for B")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: make install-test installs it (Debian's wrk)")
    results: dict[str, list[Load]] = {"A": [], "B": []}
    for round_ in range(1, options.rounds + 1):
        for side, url, cookie in (("A", options.a, options.cookie_a), ("B", options.b, options.cookie_b)):
            load = wrk_url(url, options.connections, options.seconds, cookie)
            results[side].append(load)
            print(f"round {round_} {side}: {load.rps:8,.1f} req/s  p50 {load.p50:6.1f} ms  p95 {load.p95:6.1f} ms  "
                  f"p99 {load.p99:6.1f} ms", flush=True)
    a, b = (statistics.median(load.rps for load in results[side]) for side in ("A", "B"))
    if not b:
        sys.exit(f"B answered no requests in {options.seconds} s; no ratio to give")
    print(f"\nmedian A {a:,.1f} req/s, B {b:,.1f} req/s: A serves {a / b:.2f} times B's requests per second "
          f"at {options.connections} connection{'s' if options.connections != 1 else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
