"""Views of the notifications app."""
