"""Print a demo user's current authenticator code (development machines only)."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_DEVICE_NAME, current_code, require_demo_mode


class Command(BaseCommand):
    help = "Print the current six-digit code of a demo user (demo mode only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        require_demo_mode()
        # Only the devices seed_demo made: even on a development machine no other user's code is printed.
        device = TOTPDevice.objects.filter(user__username=username, name=DEMO_DEVICE_NAME, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} is not a demo user; run 'python manage.py seed_demo' first.")
        self.stdout.write(current_code(device))
