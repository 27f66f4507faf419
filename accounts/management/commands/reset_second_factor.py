from django.core.management.base import BaseCommand, CommandError

from accounts import second_factor
from accounts.models import User


class Command(BaseCommand):
    help = "Remove a staff member's authenticator (a lost phone); they set up a new one at their next sign-in."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="the staff member's e-mail address")

    def handle(self, *args, email: str, **options) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {email}.")
        removed = second_factor.reset(user, actor=None)
        self.stdout.write(f"Removed {removed} authenticator(s) of {user.email}; a new one is set up at next sign-in.")
