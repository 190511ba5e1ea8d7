from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.models import Section
from articles.wire.common import WireError
from articles.wire.importer import ImportResult, ImportSummary, Outcome, import_wire


class Command(BaseCommand):
    help = (
        "Import wire stories: NITF or NewsML-G2 files, folders holding them with their photos, "
        "or zips of the same. Stories arrive in review unless --publish is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--publish", action="store_true", help="Publish at once instead of review.")
        parser.add_argument(
            "--section",
            metavar="SLUG",
            help="Section for new stories no subject rule or section name places (default: the first).",
        )
        parser.add_argument("--user", metavar="USERNAME", help="Whom to record as importer.")

    def handle(self, *args, paths, publish, section, user, **options):
        section_obj = None
        if section:
            section_obj = Section.objects.filter(slug=section).first()
            if section_obj is None:
                raise CommandError(f"There is no section with the slug “{section}”.")
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"There is no user “{user}”.")
        summary = ImportSummary()
        with tqdm(total=len(paths), unit="path", disable=options["verbosity"] == 0) as progress:
            for path in paths:
                try:
                    summary.results += import_wire(
                        path, by=by, publish=publish, section=section_obj,
                        on_source=lambda label: progress.set_postfix_str(label[-40:]),
                    ).results
                except WireError as error:
                    summary.results.append(ImportResult(str(path), Outcome.FAILED, message=str(error)))
                progress.update()
        for result in summary.results:
            line = f"{result.outcome:>16}  {result.label}"
            if result.article is not None:
                line += f"  (article {result.article.pk}, {result.article.get_status_display()})"
            if result.message:
                line += f"\n{'':>18}{result.message}"
            style = self.style.ERROR if result.outcome == Outcome.FAILED else self.style.SUCCESS
            self.stdout.write(style(line))
        self.stdout.write(f"Summary: {summary}.")
        if summary.failed:
            raise CommandError(f"{summary.failed} item(s) could not be imported; see above.")
