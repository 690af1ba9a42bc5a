"""Run the simulated Plex Media Server until Ctrl-C.

python -m tests.plex_simulator --host 127.0.0.1 --port 32400 --token demo [--run-seconds N]
    [--evidence none|activity|debug_log|backup_folder] [--demo]

--demo: one task running, the debug log and a backup folder with backups of the last days.
"""

import argparse
import asyncio
from datetime import datetime, timedelta
import logging
import signal

from .models import EvidenceLevel
from .server import PlexSimulator

DEMO_TASK = "ButlerTaskGenerateCreditsMarkers"  # media work in a Butler run: it reads running
DEMO_TASK_SECONDS = 3600.0
# The demo shows all it can of the Butler, and backups of the last days (Backup Database runs
# every three days): the card tells how each last run is known.
DEMO_EVIDENCE = EvidenceLevel.BACKUP_FOLDER
DEMO_BACKUP_AGES_DAYS = (1, 4, 7)


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.plex_simulator", description="Run a simulated Plex Media Server."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=32400, help="port to listen on (0: any free)")
    parser.add_argument("--token", default="demo", help="the X-Plex-Token clients must send")
    parser.add_argument(
        "--run-seconds", type=float, default=20.0, help="how long a started task runs"
    )
    parser.add_argument(
        "--evidence",
        choices=[level.value for level in EvidenceLevel],
        help="what the server shows of the Butler (default: its activity only; with --demo, "
        f"{DEMO_EVIDENCE.value})",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help=f"start with {DEMO_TASK} already running (for {DEMO_TASK_SECONDS:.0f} s), and "
        "database backups of the last days",
    )
    return parser.parse_args()


async def _serve(args: argparse.Namespace) -> None:
    today = datetime.now().astimezone().date()
    default_evidence = DEMO_EVIDENCE if args.demo else EvidenceLevel.ACTIVITY
    simulator = PlexSimulator(
        token=args.token,
        run_seconds=args.run_seconds,
        progress_interval=1.0,
        evidence=EvidenceLevel(args.evidence or default_evidence),
        backup_dates=[today - timedelta(days=days) for days in DEMO_BACKUP_AGES_DAYS]
        if args.demo
        else (),
    )
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    url = await simulator.start(args.host, args.port)
    try:
        if args.demo:
            await simulator.butler.start_task(DEMO_TASK, run_seconds=DEMO_TASK_SECONDS)
        banner = f"Plex simulator listening on {url} (token {args.token!r}); Ctrl-C stops it"
        print(banner, flush=True)  # noqa: T201 - the command's output
        await stopping.wait()
    finally:
        await simulator.stop()


def main() -> None:
    """Run the simulator until SIGINT or SIGTERM."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    asyncio.run(_serve(_parse_args()))


if __name__ == "__main__":
    main()
