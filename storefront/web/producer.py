"""The producer area: every page under ``/producer``, for producer accounts only."""
from flask import Blueprint

from ..roles import Role
from . import guard

bp = Blueprint("producer", __name__, url_prefix="/producer")
bp.before_request(guard(Role.PRODUCER))
