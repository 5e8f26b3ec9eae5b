"""The policies, public: ``/policies/<slug>`` (the version in force) and ``/policies/<slug>/v<n>``."""
from flask import abort, render_template

from ..web.shop import bp
from . import policies
from .markdown import render


bp.add_app_template_global(policies.title, "policy_title")


@bp.app_template_global()
def policy_links() -> list[tuple[str, str]]:
    """Return (slug, title) of every policy this shop publishes, for the footer."""
    return [(slug.value, policies.title(slug)) for slug in policies.slugs()]


@bp.get("/policies/<slug>")
def policy(slug: str):
    return _show(_slug(slug), policies.current(slug))


@bp.get("/policies/<slug>/v<int:number>")
def policy_version(slug: str, number: int):
    try:
        return _show(_slug(slug), policies.version(slug, number))
    except policies.UnknownPolicy:
        abort(404)


def _slug(slug: str):
    try:
        return policies.policy_slug(slug)
    except policies.UnknownPolicy:
        abort(404)


def _show(slug, version):
    if version is None:
        abort(404)
    text, untranslated = policies.body(version)
    current = policies.current(slug)
    return render_template("legal/policy.html", version=version, title=policies.title(version),
                           html=render(text), untranslated=untranslated, current=current,
                           versions=policies.versions(slug))


@bp.app_template_global()
def order_agreements(order) -> list:
    """Return the policy versions ``order``'s shopper agreed to (for its page and mails)."""
    return policies.agreements_of(order.id) if order is not None and order.id else []
