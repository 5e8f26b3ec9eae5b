"""Checkout: contact, pickup outlets, payment, review, place."""
from flask import Blueprint

bp = Blueprint("checkout", __name__, url_prefix="/checkout")
