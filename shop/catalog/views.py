"""Storefront pages; everything they show comes from the cached catalog tree."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from shop import i18n
from shop.catalog import bp, tree
from shop.catalog.forms import QuoteRequestForm
from shop.catalog.models import QuoteRequest
from shop.extensions import db


def _shared_page(catalog: tree.Catalog, template: str, key: tuple, **context) -> str | bytes:
    """A page that shows only the catalog, rendered once per catalog version, language and cart size.

    Those are all the page depends on (its links are the same for everyone), so every other visitor gets the
    same HTML without rendering it again. A pending flash message is shown, and so taken, only by rendering.
    """
    if "_flashes" in session:
        return render_template(template, catalog=catalog, **context)
    lang = i18n.select_locale()  # what get_locale() would parse, without parsing it (and ?lang= is remembered)
    cart = session.get("cart")  # templating.context's cart_count
    cart_count = len(cart) if isinstance(cart, dict) else 0
    key = (template, *key, lang, cart_count, request.script_root)
    return catalog.page(key, lambda: render_template(template, catalog=catalog, **context).encode())


@bp.get("/")
def home():
    """Featured walnut, every category with its price range, and the nursery's terms."""
    catalog = tree.current()
    return _shared_page(catalog, "catalog/home.html", ())


@bp.get("/c/<slug>")
def category(slug: str):
    """A category's varieties with their price ranges."""
    catalog = tree.current()
    found = catalog.category(slug) or abort(404)
    return _shared_page(catalog, "catalog/category.html", (slug,), category=found)


@bp.get("/v/<slug>")
def variety(slug: str):
    """A variety's grades: spec, price and stock by base."""
    catalog = tree.current()
    found = catalog.variety(slug) or abort(404)
    return render_template(
        "catalog/variety.html", catalog=catalog, variety=found, category=catalog.category(found.category_slug),
        form=QuoteRequestForm() if found.quote_only or not all(g.price_fen for g in found.grades) else None,
    )


@bp.get("/search")
def search():
    """Varieties by name, in Chinese or English."""
    text = request.args.get("q", "")[:50]
    catalog = tree.current()
    return render_template("catalog/search.html", catalog=catalog, q=text, results=catalog.search(text))


@bp.route("/v/<slug>/quote", methods=["GET", "POST"])
def quote_request(slug: str):
    """Ask for a price on a 询价 item; staff read and answer it at the desk."""
    catalog = tree.current()
    found = catalog.variety(slug) or abort(404)
    form = QuoteRequestForm()
    if form.validate_on_submit():
        db.session.add(QuoteRequest(
            variety_id=found.id, item=f"{found.name} / {found.name_en}", name=form.name.data.strip(),
            phone=form.phone.data, quantity=form.quantity.data, message=(form.message.data or "").strip(),
        ))
        db.session.commit()
        flash(_("已收到您的询价，我们会尽快电话联系您。"), "success")
        return redirect(url_for("catalog.variety", slug=slug))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "catalog/quote.html", catalog=catalog, variety=found, category=catalog.category(found.category_slug),
        form=form,
    ), status
