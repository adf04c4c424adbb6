"""Create the demo users with fixed passwords and authenticator secrets (development machines only)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_NETWORK, DEMO_PASSWORD, base32_secret, current_code, require_demo_mode, seed_demo
from municipalities.models import Network


class Command(BaseCommand):
    help = "Create demo users for Köping, Sala and Arboga, county staff and an administrator (demo mode only)."

    def handle(self, *args, **options) -> None:
        require_demo_mode()
        if not Network.objects.filter(slug=DEMO_NETWORK).exists():
            call_command("load_network", DEMO_NETWORK, stdout=self.stdout)
        users = seed_demo()
        self.stdout.write(f"Demo users (password for all: {DEMO_PASSWORD})\n")
        for user, device in users:
            self.stdout.write(
                f"{user.username:<22} {user.get_role_display()}, {user.organisation_name}"
                f"{' (' + user.get_unit_display() + ')' if user.unit else ''}"
                f"{', kontaktperson' if user.is_contact_person else ''}\n"
                f"    password: {DEMO_PASSWORD}\n"
                f"    secret:   {base32_secret(device)}\n"
                f"    otpauth:  {device.config_url}\n"
                f"    code now: {current_code(device)}\n"
            )
        self.stdout.write(
            "Add a secret (or the otpauth:// URI) to an authenticator app, or print a user's current code with:\n"
            "    python manage.py demo_code USER\n"
        )
