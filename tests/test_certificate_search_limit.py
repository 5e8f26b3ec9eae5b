"""The certificate search shares the unknown-code budget and lists only whole decision numbers (both backends).

Protects the README's rule: unknown codes share one limit (30 a minute) across the page, the search and the
API, so a guesser gains nothing by asking the search; and a fragment of a number cannot list the codes of
every certificate that contains it.
"""
import datetime as dt

import pytest

from storefront.certificates.verdict import SEARCH_LIMIT, search_by_decision_number
from tests.support.factories import CertificateFactory, ProductFactory


def _certificate(number: str):
    return CertificateFactory(product=ProductFactory(certified=False), decision_number=number,
                              decision_date=dt.date(2025, 1, 10))


@pytest.fixture
def numbered(app):
    """51 certificates under decisions 1200/QĐ-UBND … 1250/QĐ-UBND, and one 1234/QĐ-BNNMT."""
    certificates = [_certificate(f"{1200 + n}/QĐ-UBND") for n in range(51)]
    return certificates + [_certificate("1234/QĐ-BNNMT")]


def test_a_search_that_finds_nothing_is_404_and_counted_with_the_page_and_the_api(client, numbered):
    searches = [client.get("/certificates", query_string={"q": f"99{n:02d}/QĐ-XYZ"}).status_code
                for n in range(20)]
    pages = [client.get(f"/certificates/{'2' * 9}{c}").status_code for c in "3456789ABC"]

    assert set(searches) == {404} and set(pages) == {404}
    assert client.get("/api/certificates/ZZZZZZZZZZ").status_code == 429
    assert client.get("/certificates", query_string={"q": "9999/QĐ-XYZ"}).status_code == 429


def test_random_codes_typed_into_the_search_are_limited_like_the_page(client, numbered):
    statuses = [client.get("/certificates", query_string={"q": f"{'2' * 9}{c}"}).status_code
                for c in "3456789ABCDEFGHJKMNPQRSTUVWXYZ"]

    assert set(statuses) == {404}
    assert client.get("/certificates", query_string={"q": "2222222222"}).status_code == 429


def test_a_search_that_finds_a_certificate_is_not_counted(client, numbered):
    statuses = [client.get("/certificates", query_string={"q": "1234/qd-ubnd"}).status_code
                for _ in range(35)]

    assert set(statuses) == {200}


@pytest.mark.parametrize("fragment", ["1", "12", "123", "qd", "QĐ-UBND", "ubnd", "/", "%", "_", "2%"])
def test_a_fragment_of_a_number_lists_nothing(client, numbered, fragment):
    response = client.get("/certificates", query_string={"q": fragment})

    assert response.status_code == 404
    assert not any(c.code in response.get_data(as_text=True) for c in numbered)


def test_a_whole_number_finds_its_decisions_alone_or_with_the_issuer(app, numbered):
    by_number = {c.decision_number for c in search_by_decision_number("1234")}
    written = [c.decision_number for c in search_by_decision_number(" 1234 / qd - ubnd ")]

    assert by_number == {"1234/QĐ-UBND", "1234/QĐ-BNNMT"}
    assert written == ["1234/QĐ-UBND"]
    assert search_by_decision_number("12345") == []


def test_one_decision_shared_by_many_certificates_lists_at_most_the_limit(client, app):
    shared = [_certificate("77/QĐ-UBND") for _ in range(SEARCH_LIMIT + 5)]

    page = client.get("/certificates", query_string={"q": "77/QĐ-UBND"}).get_data(as_text=True)

    assert sum(c.code in page for c in shared) == SEARCH_LIMIT
