"""Both languages: every string marked and translated, the switch, the first-visit guess, formats."""
import datetime as dt
import re

import pytest
from babel.messages.checkers import python_format
from flask_babel import force_locale

from storefront.i18n import format_vnd
from tests.support.factories import ProductFactory, UserFactory
from tools import catalogs, i18n_lint


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogs():
    """Compile the English catalogue the app reads, as `make translations` does."""
    catalogs.compile_catalogs()


def _lines(findings) -> str:
    return "\n".join(str(finding) for finding in findings)


def _html_lang(response) -> str:
    return re.search(r'<html lang="([^"]*)"', response.get_data(as_text=True)).group(1)


# --- every string is marked for translation ---------------------------------------------------

def test_every_user_facing_string_in_templates_is_marked_for_translation():
    findings = i18n_lint.lint_templates()
    assert not findings, (
        "Wrap these in {{ _(\"...\") }} or {% trans %}...{% endtrans %} "
        "(or allow-list them in tools/i18n_lint.py if they read the same in every language):\n"
        + _lines(findings))


def test_form_labels_choices_and_messages_are_lazy_translations():
    findings = i18n_lint.lint_forms()
    assert not findings, (
        "Give these as lazy_gettext (_l) strings in the form class:\n" + _lines(findings))


def test_the_linter_catches_plain_text_attributes_buttons_and_literals():
    source = """<p>Xin chào</p><img src="a.png" alt="Ảnh">
    <input type="submit" value="Gửi"><nav aria-label="Main"></nav>
    <span>{{ count }} items</span>{{ "Chọn" if x else "" }}"""
    found = [finding.text for finding in i18n_lint.lint_source(source)]
    assert found[0] == "Chọn"  # the string literal
    assert set(found[1:]) == {"Xin chào", "Ảnh", "Gửi", "Main", i18n_lint.PLACEHOLDER + " items"}


def test_the_linter_accepts_marked_text_brand_codes_and_markup_only():
    source = """<a class="navbar-brand">OCOP Hà Nội</a>
    <p title="{{ _('Sao') }}">{{ _("Xin chào %(name)s", name="Hà") }}</p>
    <p>{% trans n=2 %}Có {{ n }} sản phẩm{% endtrans %}</p>
    <span class="stars">★★★★</span> · 150.000 ₫ <input placeholder="ABCD-EFGH">
    <input type="hidden" value="abc"><script>var text = "hello";</script>
    <button lang="en">{{ "English" if other == "en" else "Tiếng Việt" }}</button>"""
    assert i18n_lint.lint_source(source) == []


def test_mail_templates_are_checked_as_plain_text():
    source = 'Subject: {{ _("Đơn hàng") }}\n\nHello {{ name }}\n{% trans %}Cảm ơn{% endtrans %}\n'
    assert [f.text for f in i18n_lint.lint_source(source, markup=False)] == ["Hello \ue000"]


# --- the English catalogue ------------------------------------------------------------------

def _real_entries(catalog):
    return [message for message in catalog if message.id]


def test_english_catalogue_has_every_entry_translated_and_none_fuzzy():
    catalog = catalogs.read_catalog(catalogs.ENGLISH_PO)
    empty = [m.id for m in _real_entries(catalog)
             if (not all(m.string) if isinstance(m.string, (tuple, list)) else not m.string)]
    fuzzy = [m.id for m in _real_entries(catalog) if m.fuzzy]
    assert not empty, f"{len(empty)} untranslated entries in {catalogs.ENGLISH_PO.name}:\n" + \
        "\n".join(map(str, empty))
    assert not fuzzy, "fuzzy entries (check and clear the flag):\n" + "\n".join(map(str, fuzzy))


def test_english_catalogue_is_up_to_date_with_the_sources(tmp_path):
    template = catalogs.read_catalog(catalogs.extract(tmp_path / "messages.pot"))
    catalog = catalogs.read_catalog(catalogs.ENGLISH_PO)
    known = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in _real_entries(catalog)}
    missing = [m.id for m in _real_entries(template)
               if (m.context, m.id if isinstance(m.id, str) else m.id[0]) not in known]
    assert not missing, ("strings marked in the sources but missing from the English catalogue "
                         "(run `make messages` and translate them):\n" + "\n".join(map(str, missing)))


def test_english_translations_keep_every_placeholder():
    catalog = catalogs.read_catalog(catalogs.ENGLISH_PO)
    problems = []
    for message in _real_entries(catalog):
        if not message.string or message.fuzzy:
            continue
        try:
            python_format(catalog, message)
        except Exception as error:  # noqa: BLE001 — TranslationError: report them all
            problems.append(f"{message.id!r}: {error}")
    assert not problems, "\n".join(problems)


def test_vietnamese_needs_no_catalogue_and_is_the_default(client):
    assert not (catalogs.TRANSLATIONS / "vi").exists()
    response = client.get("/no-such-page")
    assert _html_lang(response) == "vi"
    assert "Không tìm thấy trang" in response.get_data(as_text=True)


# --- choosing the language ------------------------------------------------------------------

@pytest.mark.parametrize("header, expected", [
    ("en-US,en;q=0.9", "en"),
    ("vi-VN,vi;q=0.9,en;q=0.5", "vi"),
    ("fr-FR,fr;q=0.9,en;q=0.4", "en"),
    ("ko-KR,ko;q=0.9", "en"),  # a tourist whose browser asks for neither reads English
    (None, "vi"),
])
def test_first_visit_speaks_the_browsers_language(client, header, expected):
    headers = {"Accept-Language": header} if header else {}
    response = client.get("/no-such-page", headers=headers)
    assert _html_lang(response) == expected


def test_switching_language_returns_to_the_same_page_with_its_query(client):
    page = "/products?village=bat-trang&stars=4&stars=5"
    response = client.post("/lang/en", data={"next": page})
    assert response.headers["Location"] == page
    english = client.get("/no-such-page", headers={"Accept-Language": "vi"})
    assert _html_lang(english) == "en", "the choice outranks the browser's language"
    assert "Page not found" in english.get_data(as_text=True)
    client.post("/lang/vi", data={"next": "/"})
    assert _html_lang(client.get("/no-such-page", headers={"Accept-Language": "en"})) == "vi"


def test_switching_language_without_next_goes_back_to_the_referring_page(client):
    response = client.post("/lang/en", headers={"Referer": "http://localhost/outlets?type=market"})
    assert response.headers["Location"] == "/outlets?type=market"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_switching_language_never_leaves_the_site(client, target):
    response = client.post("/lang/en", data={"next": target})
    assert response.headers["Location"] == "/"


def test_switching_to_an_unknown_language_is_not_found(client):
    response = client.post("/lang/fr", data={"next": "/"})
    assert response.status_code == 404
    assert _html_lang(response) == "vi"


def test_a_signed_in_choice_follows_the_account_to_another_device(app, client, login):
    user = UserFactory()
    login(user)
    client.post("/lang/en", data={"next": "/"})
    assert user.locale == "en"
    other_device = app.test_client()
    login(user, test_client=other_device)
    page = other_device.get("/no-such-page", headers={"Accept-Language": "vi"})
    assert _html_lang(page) == "en"


def test_a_visitor_reading_english_who_registers_keeps_reading_english(client, db):
    from storefront.models import User

    response = client.post("/auth/register", headers={"Accept-Language": "en"}, data={
        "name": "Jane Tourist", "email": "jane@example.com",
        "password": "a long enough password", "confirm": "a long enough password"})
    assert response.status_code == 302, "registration failed"
    user = db.session.scalar(db.select(User).filter_by(email="jane@example.com"))
    assert user.locale == "en", "the account should remember the language it was created in"
    page = client.get("/no-such-page", headers={"Accept-Language": "en"})
    assert _html_lang(page) == "en"


# --- money and time -------------------------------------------------------------------------

def test_money_is_written_the_vietnamese_or_the_english_way():
    assert format_vnd(150000, "vi") == "150.000 ₫"
    assert format_vnd(150000, "en") == "₫150,000"
    assert format_vnd(0, "vi") == "0 ₫"
    assert format_vnd(None, "vi") == ""


def test_a_product_page_shows_its_price_in_the_readers_format(client):
    product = ProductFactory(price=1250000)
    url = f"/products/{product.slug}"
    assert "1.250.000 ₫" in client.get(url, headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert "₫1,250,000" in client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_times_are_shown_in_hanoi_time_in_the_readers_language(app):
    moment = dt.datetime(2026, 1, 1, 17, 30)  # stored as UTC: 00:30 on 2 January in Hà Nội
    show = app.jinja_env.from_string("{% autoescape false %}{{ moment|datetime }}{% endautoescape %}")  # mail
    with app.test_request_context():
        with force_locale("vi"):
            assert show.render(moment=moment) == "02/01/2026 00:30"
        with force_locale("en"):
            assert show.render(moment=moment) == "2 Jan 2026, 12:30 AM"


def test_on_a_page_an_amount_a_date_and_a_code_are_each_kept_on_one_line(app):
    page = app.jinja_env.from_string(
        "{% autoescape true %}{{ 650000|vnd }} {{ moment|datetime }} {{ number|ref }} {{ day|date }}"
        "{% endautoescape %}")
    with app.test_request_context(), force_locale("vi"):
        html = page.render(moment=dt.datetime(2026, 1, 1, 17, 30), number="OC-2026-000001<",
                           day=dt.date(2026, 10, 1))
    assert html == ('<span class="money">650.000 ₫</span> <span class="day">02/01/2026 00:30</span> '
                    '<span class="ref">OC-2026-000001&lt;</span> <span class="day">01/10/2026</span>')


def test_days_and_counts_read_the_same_on_every_page_of_a_language(app):
    from storefront.i18n import format_clock, format_day, format_number

    with app.test_request_context():
        with force_locale("vi"):
            assert format_day(dt.date(2026, 10, 1)) == "01/10/2026"
            assert format_clock(dt.datetime(2026, 10, 1, 1, 30)) == "08:30"
            assert format_number(12345) == "12.345"
        with force_locale("en"):
            assert format_day(dt.date(2026, 10, 1)) == "1 Oct 2026"
            assert format_clock(dt.datetime(2026, 10, 1, 1, 30)) == "8:30 AM"
            assert format_number(12345) == "12,345"
