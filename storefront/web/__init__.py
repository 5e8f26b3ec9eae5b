"""The web areas: one blueprint per role, each with its guard, created here and nowhere else.

=========  ===================  ==========================  ==========================================
area       blueprint            URLs                        guard (``bp.before_request``)
=========  ===================  ==========================  ==========================================
shop       ``web.shop.bp``      ``/``, ``/products``,       none: shoppers and guests (pages that need an
                                ``/cart``, ``/checkout``,   account ask for it with ``login_required``;
                                ``/orders``, ``/auth``,     an order shows only to its owner or token)
                                ``/certificates`` ...
producer   ``web.producer.bp``  ``/producer/...``           producer accounts only
outlet     ``web.outlet.bp``    ``/outlet/...``             outlet staff only
admin      ``web.admin.bp``     ``/admin/...``              admins only
API        ``web.api.bp``       ``/api/...``                none (public, read-only JSON; errors as JSON)
webhooks   ``web.webhooks.bp``  ``/stripe/webhook``,        no CSRF token: each checks its sender's
                                ``/payments/bank/webhook``  signature or key instead
=========  ===================  ==========================  ==========================================

The domains keep their pages beside their services and add routes to an area's blueprint: a module
with routes is named ``views.py`` (the package's own pages) or ``<area>_views.py``
(``admin_views.py``, ``outlet_views.py``, ``api_views.py``, ``webhook_views.py``, ...). This package
imports no domain, so every domain may import it. Helpers an area's views share are public and live
in the domain they read (``cart.current``, ``orders.viewing``, ``outlets.pages``). ``create_app`` imports
every view module, then registers these six blueprints (``storefront/__init__.py``).
"""
from flask import abort
from flask_login import current_user

from ..extensions import login_manager


def guard(*roles):
    """Return a ``before_request`` check letting in only signed-in users with one of ``roles``.

    Anonymous visitors are sent to sign in (then back); signed-in users with another role get 403.
    """
    allowed = {str(role) for role in roles}

    def check():
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.role not in allowed:
            abort(403)
        return None

    return check
