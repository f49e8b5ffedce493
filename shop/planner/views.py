"""/planner: choose a variety, type the field, see the plan priced, and put it all in the cart in one tap."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from shop import i18n
from shop.cart import store
from shop.catalog import tree
from shop.dealers import current
from shop.orders import service
from shop.planner import bp, plan
from shop.planner import service as planner
from shop.planner.data import PlantingData
from shop.planner.forms import PlanForm


def planting() -> PlantingData:
    """The planting data loaded at start-up (planting.csv)."""
    return current_app.extensions["planting"]


@bp.app_template_global()
def planner_link(catalog: tree.Catalog, variety) -> str:
    """The planner for a variety page: with the variety chosen when it can be planned, else the empty planner.

    It takes the page's catalog: asking for tree.current() again would cost the page another version query.
    """
    category = catalog.category(variety.category_slug)
    if category is not None and planner.is_plannable(category, variety, planting()):
        return url_for("planner.page", variety=variety.slug)
    return url_for("planner.page")


def _shown(form: PlanForm) -> str:
    return f"{form.variety.data or ''}|{form.rootstock.data or ''}"


def _fill_defaults(form: PlanForm, catalog: tree.Catalog, data: PlantingData) -> None:
    """Spacing fields show the defaults for the variety and rootstock chosen (and are reset when either changes)."""
    variety = planner.find_variety(catalog, form.variety.data or "")
    if variety is None:
        return
    category = catalog.category(variety.category_slug)
    previous = (form.shown.data or "").split("|")[0]
    if form.shown.data is not None and form.shown.data != _shown(form):
        if previous != (form.variety.data or ""):  # another variety: its own rootstocks, pollinizers, grades
            for field in (form.rootstock, form.pollinizer, form.main_sku, form.pollinizer_sku):
                field.data = ""
        for field in (form.row_spacing_m, form.plant_spacing_m):  # what was typed was for the other choice
            field.data, field.raw, field.process_errors = None, "", []
    spacing = data.spacing(category.name, form.rootstock.data or "") or data.spacing(category.name)
    if spacing is None:
        return
    if not form.row_spacing_m.raw:
        form.row_spacing_m.data = spacing.row_m
    if not form.plant_spacing_m.raw:
        form.plant_spacing_m.data = spacing.plant_m
    if not form.buffer_percent.raw:
        form.buffer_percent.data = plan.DEFAULT_BUFFER_PERCENT
    form.shown.data = _shown(form)


def _request(form: PlanForm, catalog: tree.Catalog) -> planner.PlanRequest:
    pollinizer_sku = form.pollinizer_sku.data or ""
    owner = catalog.grade(pollinizer_sku)
    partner = planner.find_variety(catalog, form.pollinizer.data or "")
    if owner is not None and partner is not None and owner[0].slug != partner.slug:
        pollinizer_sku = ""  # another pollinizer was just chosen: its own default grade
    return planner.PlanRequest(
        variety=form.variety.data, area=form.area.data, unit=form.unit.data or "mu",
        row_spacing_m=form.row_spacing_m.data, plant_spacing_m=form.plant_spacing_m.data,
        buffer_percent=form.buffer_percent.data, rootstock=form.rootstock.data or "",
        pollinizer=form.pollinizer.data or "", main_sku=form.main_sku.data or "",
        pollinizer_sku=pollinizer_sku)


def _plan(form: PlanForm, catalog: tree.Catalog, data: PlantingData) -> planner.Plan | None:
    """The plan for a valid form; None with the domain's message on its field otherwise."""
    if not form.validate():
        return None
    try:
        return planner.make(_request(form, catalog), catalog, data)
    except plan.PlanError as err:
        field = getattr(form, err.field, None)
        (field.errors if field is not None else form.form_errors).append(err.message(i18n.current()))
        return None


def _carried(made: planner.Plan) -> dict[str, str]:
    """The plan shown, as the hidden fields of 一键加入购物车 (the server works it out again from them)."""
    partner = made.pollinizers[0] if made.pollinizers else None
    return {"variety": made.variety.slug, "area": plan.decimal_text(made.area), "unit": made.unit,
            "rootstock": made.spacing.rootstock, "row_spacing_m": plan.decimal_text(made.row_m),
            "plant_spacing_m": plan.decimal_text(made.plant_m), "buffer_percent": plan.decimal_text(made.buffer_percent),
            "pollinizer": partner.variety.slug if partner else "", "main_sku": made.main.grade.sku,
            "pollinizer_sku": partner.grade.sku if partner else ""}


def _render(form: PlanForm, catalog: tree.Catalog, data: PlantingData, made: planner.Plan | None, status: int = 200):
    method, province = store.shipping_choice()
    quoted = service.quote(made.items, method, province or None, context=current.context()) if made else None
    variety = planner.find_variety(catalog, form.variety.data or "")
    category = catalog.category(variety.category_slug) if variety else None
    spacing = None
    if category is not None:
        spacing = data.spacing(category.name, form.rootstock.data or "") or data.spacing(category.name)
    return render_template(
        "planner/planner.html", catalog=catalog, form=form, groups=planner.plannable(catalog, data), made=made,
        quote=quoted, carried=_carried(made) if made else {}, spacings=data.spacings(category.name) if category else [], chosen=variety,
        spacing=spacing, shipping_known=method == "pickup" or bool(province), plan_text=plan, priced=planner.priced,
    ), status


@bp.get("/planner")
def page():
    """The planner: the form, and the plan with its prices once a variety and an area are given."""
    catalog, data = tree.current(), planting()
    form = PlanForm(request.args, meta={"csrf": False})
    made = None
    if request.args.get("variety"):
        _fill_defaults(form, catalog, data)
        if "area" in request.args:
            made = _plan(form, catalog, data)
    return _render(form, catalog, data, made, 200 if made or "area" not in request.args else 422)


@bp.post("/planner/cart")
def add_to_cart():
    """Put every line of the plan in the cart at once (worked out again here, never taken from the page)."""
    catalog, data = tree.current(), planting()
    form = PlanForm()
    made = _plan(form, catalog, data)
    if made is None:
        return _render(form, catalog, data, None, 422)
    in_cart = dict(store.items())
    for line in made.lines:
        if in_cart.get(line.grade.sku, 0) + line.quantity > line.grade.stock:
            flash(_("%(name)s %(grade)s 库存不足：规划需要 %(n)s 株，购物车已有 %(in_cart)s 株，现有 %(stock)s 株。",
                    name=i18n.pick(line.variety), grade=i18n.pick(line.grade), n=line.quantity,
                    in_cart=in_cart.get(line.grade.sku, 0), stock=line.grade.stock), "error")
            return _render(form, catalog, data, made, 409)
    new = [sku for sku, _n in made.items if sku not in in_cart]
    if len(in_cart) + len(new) > store.MAX_LINES:
        flash(_("购物车最多 %(n)s 个规格。", n=store.MAX_LINES), "error")
        return _render(form, catalog, data, made, 409)
    for sku, quantity in made.items:
        store.put(sku, quantity, add=True)
    flash(_("已把种植规划的 %(n)s 株苗木加入购物车。", n=made.counts.trees), "success")
    return redirect(url_for("cart.show"))
