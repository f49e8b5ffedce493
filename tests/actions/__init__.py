"""What buyers, Stripe and the nursery's staff do, as one set of actions every test folder uses.

Each reads like the person's action: `buy(client, (SKU, 300))`, `pay_by_transfer(desk, order)`,
`dispatch(desk, order)`, `confirm_receipt(client, order)`, `refund(desk, order, "100.00")`.
Sorted by who acts: pages and forms (`pages`), the buyer's API calls (`buyer`), the cart and checkout in a
browser (`cart`), Stripe (`stripe_payment`), staff (`staff`), and what the database holds (`records`).
"""

from .buyer import (
    buy,
    codes,
    confirm_receipt,
    lines,
    order_body,
    order_json,
    order_page_url,
    place,
    press_received,
    quote,
    stand_in_regions,
)
from .cart import (
    add_to_cart,
    amount,
    cart,
    cart_lines,
    check_out_in_browser,
    checkout,
    fill_cart,
    hints,
    update_cart,
    variety_page,
)
from .constants import (
    CATALOG,
    JMG_C2,
    KYOHO_C2,
    MM_C2,
    NAME,
    PHONE,
    PLACE,
    SHANGHAI,
    SHINE_C1,
    STAFF_PASSWORD,
    WHSEC,
)
from .credit import *  # noqa: F403  (credit_dealer, grant_credit, order_on_account, pay_on_account, …)
from .customers import *  # noqa: F403  (ordered_on, customers_json, log_contact, …)
from .dealers import *  # noqa: F403  (apply_as_dealer, dealer_client, order_from_list, …)
from .pages import (
    TOKEN,
    csrf_token,
    errors,
    fen,
    page_count,
    page_text,
    pdf_text,
    query,
    relative,
    submit,
)
from .planner import HONGYANG, HONGYANG_G1, MOSHAN_MALE, add_plan_to_cart, plan, planner_html, planner_page
from .records import database, orders_stored, rows, set_grade, set_order, stock_of, stored
from .staff import (
    cancel,
    dispatch,
    dispatch_together,
    flashes,
    log_in,
    make_user,
    pay_by_transfer,
    refund,
    run,
    staff_client,
)
from .stripe_payment import (
    go_pay,
    last_checkout,
    open_session,
    pay_by_stripe,
    session_for,
    signed,
    stripe_sends,
)

__all__ = [
    # constants
    "CATALOG", "JMG_C2", "KYOHO_C2", "MM_C2", "NAME", "PHONE", "PLACE", "SHANGHAI", "SHINE_C1", "STAFF_PASSWORD",
    "TOKEN", "WHSEC",
    # pages and forms
    "csrf_token", "errors", "fen", "page_count", "page_text", "pdf_text", "query", "relative", "submit",
    # the buyer
    "buy", "codes", "confirm_receipt", "lines", "order_body", "order_json", "order_page_url", "place",
    "press_received", "quote", "stand_in_regions",
    # the cart
    "add_to_cart", "amount", "cart", "cart_lines", "check_out_in_browser", "checkout", "fill_cart", "hints",
    "update_cart", "variety_page",
    # Stripe
    "go_pay", "last_checkout", "open_session", "pay_by_stripe", "session_for", "signed", "stripe_sends",
    # staff
    "cancel", "dispatch", "dispatch_together", "flashes", "log_in", "make_user", "pay_by_transfer", "refund", "run",
    "staff_client",
    # the planner
    "HONGYANG", "HONGYANG_G1", "MOSHAN_MALE", "add_plan_to_cart", "plan", "planner_html", "planner_page",
    # the database
    "database", "orders_stored", "rows", "set_grade", "set_order", "stock_of", "stored",
]
