"""Language choice and the shop's formats for money and time."""
from babel.numbers import format_currency
from flask import current_app, request, session
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user


def select_locale() -> str:
    """Pick the language: the visitor's own choice, then the browser's, then Vietnamese."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "vi"


def format_vnd(amount: int | None, locale: str | None = None) -> str:
    """Format whole đồng: ``150.000 ₫`` in Vietnamese, ``₫150,000`` in English."""
    if amount is None:
        return ""
    language = locale or current_language()
    text = format_currency(amount, "VND", locale="vi_VN" if language == "vi" else "en_US",
                           currency_digits=True)
    return text.replace("\xa0", " ")


def register_template_helpers(app) -> None:
    app.jinja_env.filters["vnd"] = format_vnd
    app.jinja_env.filters["datetime"] = lambda value, fmt="short": format_datetime(value, fmt) if value else ""
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    app.jinja_env.globals["current_language"] = current_language
