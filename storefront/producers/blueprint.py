"""The producer dashboard's blueprint: every page under /producer, for producer accounts only.

Products, photos and certificates add their routes in ``views.py``; orders to bring and sales
in ``fulfilment.py``.
"""
from flask import Blueprint

from ..accounts.decorators import role_required
from ..accounts.models import Role
from ..catalog.models import (
    GROUP_LABELS, ISSUING_LEVEL_LABELS, PRODUCT_STATUS_LABELS, REVIEW_LABELS,
)

bp = Blueprint("producer_dashboard", __name__, url_prefix="/producer")


@bp.before_request
@role_required(Role.PRODUCER)
def _only_producers():
    """Let only producer accounts in (others: sign in, then 403)."""


@bp.context_processor
def _labels():
    return {"GROUP_LABELS": GROUP_LABELS, "PRODUCT_STATUS_LABELS": PRODUCT_STATUS_LABELS,
            "REVIEW_LABELS": REVIEW_LABELS, "ISSUING_LEVEL_LABELS": ISSUING_LEVEL_LABELS}
