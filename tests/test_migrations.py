"""The migrations build exactly the schema the models describe, and can be undone and redone."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

CATALOG = Path(__file__).resolve().parent.parent / "catalog.csv"


def schema_differences(app) -> list:
    """What autogenerate would put in a new migration for this database: nothing, if models and migrations agree."""
    import shop.models  # noqa: F401  (every model registered on the metadata)
    from shop.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "compare_server_default": True, "render_as_batch": True})
        return compare_metadata(context, db.metadata)


def tables(app) -> set[str]:
    from shop.extensions import db

    with app.app_context():
        names = set(sa.inspect(db.engine).get_table_names())
        db.engine.dispose()
        return names


def model_tables() -> set[str]:
    import shop.models  # noqa: F401
    from shop.extensions import db

    return set(db.metadata.tables)


def flask_db(app, *args: str):
    """`flask --app wsgi db ARGS…`."""
    result = app.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, result.output
    assert result.exception is None, repr(result.exception)
    return result


def test_the_migrated_database_matches_the_models(empty_app):
    assert tables(empty_app) == model_tables() | {"alembic_version"}
    assert schema_differences(empty_app) == []


def test_downgrade_to_base_and_upgrade_again(empty_app):
    flask_db(empty_app, "downgrade", "base")
    assert tables(empty_app) <= {"alembic_version"}
    flask_db(empty_app, "upgrade")
    assert tables(empty_app) == model_tables() | {"alembic_version"}
    assert schema_differences(empty_app) == []
    from shop.extensions import db

    with empty_app.app_context():
        bases = db.session.execute(sa.text("SELECT name FROM base ORDER BY position")).scalars().all()
        assert bases == ["平邑", "临沭"]
        assert db.session.execute(sa.text("SELECT version FROM catalog_state")).scalar() == 1
        heads = db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
        assert len(heads) == 1


def test_the_catalog_loads_into_a_database_rebuilt_by_the_migrations(empty_app):
    flask_db(empty_app, "downgrade", "base")
    flask_db(empty_app, "upgrade")
    result = empty_app.test_cli_runner().invoke(args=["catalog", "import", str(CATALOG)])
    assert result.exit_code == 0, result.output
    assert "changed 0, removed 0" in result.output
    assert empty_app.test_client().get("/c/walnut").status_code == 200


def test_the_life_cycle_migration_moves_existing_orders_to_both_statuses(app):
    """0001 kept one status; 0002 splits it: paid → awaiting_dispatch + paid, dispatched → + paid, and so on."""
    from tests.actions import KYOHO_C2, buy, database, dispatch, pay_by_transfer, staff_client

    client, desk = app.test_client(), staff_client(app)
    orders = [buy(client, (KYOHO_C2, 500)) for _ in range(4)]
    for order in orders[1:]:
        assert pay_by_transfer(desk, order).status_code == 303
    dispatch(desk, orders[2])
    waiting, paid, sent, refunded = (order["number"] for order in orders)
    total = int(orders[0]["total"].replace(".", ""))

    flask_db(app, "downgrade", "0001")
    with database(app) as db:
        old = dict(db.session.execute(sa.text("SELECT number, status FROM orders")).all())
        assert old == {waiting: "pending_payment", paid: "paid", sent: "dispatched", refunded: "paid"}
        db.session.execute(sa.text("UPDATE orders SET status = 'refunded' WHERE number = :n"), {"n": refunded})
        db.session.commit()
    flask_db(app, "upgrade")

    with database(app) as db:
        now = {n: (s, p, f, r) for n, s, p, f, r in db.session.execute(sa.text(
            "SELECT number, status, payment_status, paid_fen, refunded_fen FROM orders")).all()}
    assert now == {waiting: ("pending_payment", "unpaid", 0, 0), paid: ("awaiting_dispatch", "paid", total, 0),
                   sent: ("dispatched", "paid", total, 0), refunded: ("cancelled", "refunded", total, total)}
    assert schema_differences(app) == []


def test_the_customers_migration_makes_a_customer_per_phone_and_per_dealer_and_links_every_order(app):
    """0006: one retail customer per phone among the orders without a dealer (named after its latest order), one
    dealer customer per dealer, every order linked; downgrading drops them, upgrading makes the same again."""
    from tests.actions import KYOHO_C2, buy, credit_dealer, database, order_on_account

    client = app.test_client()
    first = buy(client, (KYOHO_C2, 500), phone="13800000001", name="张一")
    again = buy(client, (KYOHO_C2, 500), phone="13800000001", name="张一（改名）")
    other = buy(client, (KYOHO_C2, 500), phone="13800000002", name="李二")
    token = credit_dealer(app, "13900000088", limit="5000.00", company="临沂示例果苗经销部")
    on_account = order_on_account(client, token).get_json()
    credit_dealer(app, "13900000089", company="尚未下单经销部")  # a dealer without orders gets a customer too
    numbers = [first["number"], again["number"], other["number"], on_account["number"]]
    linked = ("SELECT orders.number, customer.key, customer.kind, customer.name FROM orders "
              "JOIN customer ON customer.id = orders.customer_id")

    with database(app) as db:
        before = {n: (k, kind) for n, k, kind, _ in db.session.execute(sa.text(linked)).all()}
        dealer_id = db.session.execute(sa.text("SELECT id FROM dealer WHERE phone = '13900000088'")).scalar()
    assert before == {first["number"]: ("retail:13800000001", "retail"),
                      again["number"]: ("retail:13800000001", "retail"),
                      other["number"]: ("retail:13800000002", "retail"),
                      on_account["number"]: (f"dealer:{dealer_id}", "dealer")}

    flask_db(app, "downgrade", "0004")
    assert "customer" not in tables(app)
    with database(app) as db:
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("orders")}
    assert "customer_id" not in columns
    flask_db(app, "upgrade")

    with database(app) as db:
        after = {n: (k, kind) for n, k, kind, _ in db.session.execute(sa.text(linked)).all()}
        names = dict(db.session.execute(sa.text("SELECT key, name FROM customer")).all())
        unlinked = db.session.execute(sa.text("SELECT COUNT(*) FROM orders WHERE customer_id IS NULL")).scalar()
    assert after == before and set(after) == set(numbers) and unlinked == 0
    assert names["retail:13800000001"] == "张一（改名）" and names["retail:13800000002"] == "李二"
    assert names[f"dealer:{dealer_id}"] == "临沂示例果苗经销部" and "尚未下单经销部" in names.values()
    assert len(names) == 4
    assert schema_differences(app) == []
