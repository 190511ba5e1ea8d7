import signal
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.stories.periodic import run_periodic_jobs


class Command(BaseCommand):
    help = (
        "The newsroom's clock: every --interval seconds, run the periodic jobs (purge scheduled "
        "stories that went live, photos whose rights ran out). Run one beside the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=30, help="Seconds between runs (default 30; at most 60)."
        )
        parser.add_argument("--once", action="store_true", help="Run the jobs once and exit.")

    def handle(self, *args, interval=30, once=False, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        while True:
            run_periodic_jobs(now=timezone.now())
            if once:
                return
            deadline = time.monotonic() + interval
            while time.monotonic() < deadline and not stopping:
                time.sleep(min(1.0, interval))
            if stopping:
                return
