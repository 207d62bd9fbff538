from django.core.management.base import BaseCommand, CommandError

from portalwerk.graphql.core.sdl import printed_schemas, stale_files


class Command(BaseCommand):
    help = "Write the GraphQL schemas' SDL to graphql/tenant.graphql and graphql/platform.graphql."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="write nothing; fail if a file is out of date"
        )

    def handle(self, *args, check: bool = False, **options):
        if check:
            stale = stale_files()
            if stale:
                names = ", ".join(path.name for path in stale)
                raise CommandError(f"{names} out of date; run `make sdl`")
            self.stdout.write("SDL files are up to date.")
            return
        for path, text in printed_schemas().items():
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {path}")
