"""The shop: the public pages, the cart, checkout, orders, accounts and the certificate check."""
from flask import Blueprint

bp = Blueprint("shop", __name__)
