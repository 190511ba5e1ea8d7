import time

from django.core.management.base import BaseCommand

from articles.stories.periodic import run_periodic_jobs


class Command(BaseCommand):
    help = (
        "Do the every-minute work: announce scheduled stories that went live, withdraw wire "
        "stories past their licence expiry. Run it from a timer every minute, or with --every."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="Keep running, once every SECONDS (e.g. beside runserver); without it, run once.",
        )

    def handle(self, *args, every=None, **options):
        while True:
            done = run_periodic_jobs()
            if done and options["verbosity"] > 1:
                self.stdout.write(", ".join(f"{name}: {count}" for name, count in done.items()))
            if not every:
                return
            time.sleep(every)
