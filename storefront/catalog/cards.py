"""Product cards rendered once for what they show, then reused by every page that lists them.

A catalogue page shows 24 cards, and rendering them costs more than finding the products. The
HTML of a card is a function of the values it shows (and the language), so it is kept in a
per-process dictionary under exactly those values: a new price, name, photo, star level or stock
state makes a new key, and a stale card can never be served. The dictionary is emptied when it
reaches ``CARD_CACHE_SIZE`` entries (a few MB), so memory stays bounded.
"""
from flask import current_app
from markupsafe import Markup

from ..i18n import current_locale

CARD_CACHE_SIZE = 20_000
_CARDS = "product_cards"


def product_card(item, heading: str = "h3", star_label: str | None = None, lazy: bool = True) -> Markup:
    """Return the card of a listed product (``services.Listed``), as ``macros/product_card.html`` draws it."""
    product, photo = item.product, item.first_photo
    producer = product.producer
    key = (str(current_locale()), product.slug, product.name, product.price, product.unit,
           producer.name, producer.village.display_name,
           photo.small_key if photo else None, photo.alt if photo else None,
           item.stars, item.sold_out, item.dated, star_label, heading, lazy)
    cards = current_app.extensions.setdefault(_CARDS, {})
    html = cards.get(key)
    if html is None:
        if len(cards) >= CARD_CACHE_SIZE:
            cards.clear()
        macro = current_app.jinja_env.get_template("macros/product_card.html").module.product_card
        html = cards[key] = macro(item, heading, star_label, lazy)
    return html
