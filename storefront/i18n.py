"""Language choice and the shop's formats for money and time."""
import functools

from babel.numbers import format_currency, format_decimal
from flask import current_app, g, has_app_context, has_request_context, request, session
from flask_babel import format_date, format_time, get_locale, get_translations, refresh
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup, escape


def select_locale() -> str:
    """Pick the language: the visitor's own choice, then the browser's, then Vietnamese."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and jobs speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return browser_language(languages)


def browser_language(languages) -> str:
    """Pick from Accept-Language; a browser that asks only for other languages gets English.

    A visitor whose browser wants Korean or French reads English more easily than
    Vietnamese; no header at all (crawlers, scripts) gets the default.
    """
    best = request.accept_languages.best_match(languages)
    if best:
        return best
    if request.accept_languages and "en" in languages:
        return "en"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """Return the two-letter code of the language this request speaks."""
    locale = current_locale()
    return locale.language if locale is not None else "vi"


# A catalogue page asks for its language ~100 times and for ~45 translated strings; through
# Flask-Babel each ask walks several context-local proxies (~15 % of the page's time). These two
# read the language Flask-Babel has already chosen for this context (``g._flask_babel``,
# which ``force_locale`` changes and ``refresh`` clears), and ask Flask-Babel when it has not.

def _babel_state():
    """Return Flask-Babel's state for this context and the locale it has chosen (or None)."""
    state = g.get("_flask_babel") if has_app_context() else None
    return state, getattr(state, "babel_locale", None)


def current_locale():
    """Return the request's ``babel.Locale`` as ``flask_babel.get_locale`` does, faster."""
    locale = _babel_state()[1]
    return locale if locale is not None else get_locale()


def translations():
    """Return the translations of the current language as ``flask_babel.get_translations`` does."""
    state, locale = _babel_state()
    if locale is None:
        return get_translations()
    kept = getattr(state, "storefront_translations", None)
    if kept is None or kept[0] is not locale:  # another language since (force_locale)
        kept = state.storefront_translations = (locale, get_translations())
    return kept[1]


def format_vnd(amount: int | None, locale: str | None = None) -> str:
    """Format whole đồng: ``150.000 ₫`` in Vietnamese, ``₫150,000`` in English."""
    if amount is None:
        return ""
    return _vnd(amount, locale or current_language())


@functools.lru_cache(maxsize=4096)
def _vnd(amount: int, language: str) -> str:
    # Babel takes ~50 µs a call; a catalogue page shows 24 prices, asked for again and again.
    text = format_currency(amount, "VND", locale="vi_VN" if language == "vi" else "en_US",
                           currency_digits=True)
    return text.replace("\xa0", " ")


# One way to write a day, a time and a month per language (CLDR patterns): Vietnamese pages
# read 01/10/2026 and 08:30, English pages 1 Oct 2026 and 8:30 AM (no 10/1 vs 1/10 doubt).
DAY_PATTERNS = {"vi": "dd/MM/yyyy", "en": "d MMM yyyy"}
TIME_PATTERNS = {"vi": "HH:mm", "en": "h:mm a"}
MONTH_PATTERNS = {"vi": "MM/yyyy", "en": "MMM yyyy"}


def _pattern(patterns: dict, language: str | None) -> str:
    return patterns.get(language or current_language(), patterns["vi"])


def format_day(value, language: str | None = None) -> str:
    """Format a date (or the Hanoi day of a UTC datetime): ``01/10/2026`` or ``1 Oct 2026``."""
    if value is None:
        return ""
    return format_date(value, _pattern(DAY_PATTERNS, language))


def format_clock(value, language: str | None = None) -> str:
    """Format the Hanoi time of a UTC datetime: ``08:30`` or ``8:30 AM``."""
    if value is None:
        return ""
    return format_time(value, _pattern(TIME_PATTERNS, language)).replace("\u202f", " ")


def format_moment(value, language: str | None = None) -> str:
    """Format a UTC datetime in Hanoi time: ``01/10/2026 08:30`` or ``1 Oct 2026, 8:30 AM``."""
    if value is None:
        return ""
    language = language or current_language()
    separator = ", " if language == "en" else " "
    return format_day(value, language) + separator + format_clock(value, language)


def format_month(value, language: str | None = None) -> str:
    """Format a month: ``10/2026`` or ``Oct 2026``."""
    if value is None:
        return ""
    return format_date(value, _pattern(MONTH_PATTERNS, language))


def format_number(value, language: str | None = None) -> str:
    """Format a count: ``1.234`` in Vietnamese, ``1,234`` in English."""
    if value is None:
        return ""
    language = language or current_language()
    return format_decimal(value, locale="vi_VN" if language == "vi" else "en_US")


def _date_filter(value, fmt=None):
    # ``|date`` is the day; a template that really needs another CLDR pattern may still pass one.
    return format_day(value) if fmt in (None, "medium", "short") else (
        format_date(value, fmt) if value else "")


# An amount, a date or a code is never broken across lines (the body's `overflow-wrap: anywhere`
# would split "650.000 ₫" or "OC-2026-000001"): in HTML, the filters wrap it in a span that
# site.css keeps on one line. Mail (plain text) gets the bare text.
WHOLE = {"money": "money", "day": "day", "ref": "ref"}


def whole(text: str, kind: str = "ref"):
    """Return ``text`` wrapped so a line never breaks inside it (``kind``: money, day or ref)."""
    return Markup('<span class="%s">%s</span>') % (WHOLE[kind], escape(text)) if text else text


def _whole_filter(formatter, kind: str):
    @pass_eval_context
    def apply(eval_ctx, value, *args):
        text = formatter(value, *args)
        return whole(text, kind) if eval_ctx.autoescape else text
    return apply


def register_template_helpers(app) -> None:
    # Whitespace inside {% trans %} blocks is collapsed, as `pybabel extract` (babel.cfg) does.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    # Flask-Babel caches the language on `g`; a request that shares an app context with an
    # earlier one (the test client inside `app.app_context()`) must choose its own again.
    app.before_request(refresh)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True)
    app.jinja_env.filters["vnd"] = _whole_filter(format_vnd, "money")
    app.jinja_env.filters["datetime"] = _whole_filter(lambda value, fmt=None: format_moment(value), "day")
    app.jinja_env.filters["date"] = _whole_filter(_date_filter, "day")
    app.jinja_env.filters["ref"] = _whole_filter(lambda value: "" if value is None else str(value), "ref")
    app.jinja_env.filters["time"] = format_clock
    app.jinja_env.filters["month"] = format_month
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.globals["current_language"] = current_language
