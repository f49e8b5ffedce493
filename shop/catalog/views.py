"""Storefront pages; everything they show comes from the cached catalog tree."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from shop.catalog import bp, tree
from shop.catalog.forms import QuoteRequestForm
from shop.catalog.models import QuoteRequest
from shop.extensions import db


@bp.get("/")
def home():
    """Featured walnut, every category with its price range, and the nursery's terms."""
    catalog = tree.current()
    return render_template("catalog/home.html", catalog=catalog)


@bp.get("/c/<slug>")
def category(slug: str):
    """A category's varieties with their price ranges."""
    catalog = tree.current()
    found = catalog.category(slug) or abort(404)
    return render_template("catalog/category.html", catalog=catalog, category=found)


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
