"""Notifications from payment services: no CSRF token, each checks its sender's signature or key."""
from flask import Blueprint

from ..extensions import csrf

bp = Blueprint("webhooks", __name__)
csrf.exempt(bp)
