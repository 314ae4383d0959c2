from typing import Any

from django.core.management.base import BaseCommand, CommandError

from simpul.accounts.models import User
from simpul.api.tokens import issue_token


class Command(BaseCommand):
    help = "Issue an API token for a user (printed once; only its hash is stored)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="integration")
        parser.add_argument("--days", type=int, default=365)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError("No such user.")
        self.stdout.write(issue_token(user, options["name"], days=options["days"]))
