from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from billing.readings import parse_csv, record_readings


class Command(BaseCommand):
    help = "Import meter readings from a field readers' CSV (account_number, period, reading, read_on[, source])."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        inputs, errors = parse_csv(data)
        result = record_readings(inputs)
        for line, reason in sorted(errors + result.errors):
            self.stderr.write(f"line {line}: {reason}")
        self.stdout.write(
            f"Imported {result.imported} readings ({result.created} new, {result.updated} corrected), "
            f"{result.unchanged} unchanged, {result.flagged} flagged for review, "
            f"{result.recomputed} following months recomputed, "
            f"{result.warned} high-usage warnings, {len(errors) + len(result.errors)} rows refused."
        )
