"""The desk's dealer accounts: staff approve or reject with a reason; only admins suspend and reactivate."""

from __future__ import annotations

import pytest

from tests.actions import database, page_text, run, staff_client, submit


def apply(app, phone: str = "13900000011"):
    from shop.dealers import accounts

    with database(app) as db:
        dealer = accounts.create(company="沂南示例苗木合作社", name="钱社长", phone=phone, region="山东沂南",
                                 password="nursery-pass-1", actor="site")
        db.session.commit()
        return dealer.id


def status_of(app, dealer_id: int) -> str:
    from shop.dealers.models import Dealer

    with database(app) as db:
        return db.session.get(Dealer, dealer_id).status


def decide(desk, dealer_id: int, action: str, reason: str = ""):
    return submit(desk, f"/desk/dealers/{dealer_id}/{action}", {"reason": reason}, page="/desk/dealers")


@pytest.fixture
def desk(app):
    return staff_client(app)


def test_staff_see_applications_first_and_approve_one(app, desk):
    dealer_id = apply(app)
    page = page_text(desk.get("/desk/dealers"))
    assert "沂南示例苗木合作社" in page and "待审核" in page and "通过" in page
    assert decide(desk, dealer_id, "approve").status_code == 303
    assert status_of(app, dealer_id) == "approved"
    assert "已通过" in page_text(desk.get("/desk/dealers?status=approved"))


def test_rejecting_needs_a_reason_and_is_audited(app, desk):
    import sqlalchemy as sa

    from shop.desk.models import AuditEntry

    dealer_id = apply(app)
    decide(desk, dealer_id, "reject")
    assert status_of(app, dealer_id) == "pending"
    decide(desk, dealer_id, "reject", "资料不全")
    assert status_of(app, dealer_id) == "rejected"
    with database(app) as db:
        [entry] = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "dealer_rejected")).scalars()
        assert (entry.actor, entry.before, entry.after["reason"]) == ("小李", {"status": "pending"}, "资料不全")


def test_only_admins_suspend_and_reactivate(app, desk):
    dealer_id = apply(app)
    decide(desk, dealer_id, "approve")
    assert decide(desk, dealer_id, "suspend", "逾期未付").status_code == 403
    assert status_of(app, dealer_id) == "approved"
    admin = staff_client(app, "王会计", role="admin")
    assert decide(admin, dealer_id, "suspend", "逾期未付").status_code == 303
    assert status_of(app, dealer_id) == "suspended"
    assert decide(admin, dealer_id, "reactivate").status_code == 303
    assert status_of(app, dealer_id) == "approved"


def test_a_decision_the_status_does_not_allow_is_refused(app, desk):
    dealer_id = apply(app)
    admin = staff_client(app, "王会计", role="admin")
    decide(admin, dealer_id, "suspend", "x")  # a pending dealer cannot be suspended
    assert status_of(app, dealer_id) == "pending"
    assert desk.post(f"/desk/dealers/{dealer_id}/approve", data={}).status_code == 400  # no CSRF token
    assert status_of(app, dealer_id) == "pending"
    assert decide(desk, 2**40, "approve").status_code == 404


def test_strangers_and_dealers_cannot_open_the_desk_pages(app, client):
    dealer_id = apply(app)
    assert client.get("/desk/dealers").status_code in (302, 303)
    assert client.post(f"/desk/dealers/{dealer_id}/approve", data={}).status_code in (302, 303, 400)
    assert status_of(app, dealer_id) == "pending"


def test_the_operator_suspends_from_the_command_line(app):
    dealer_id = apply(app)
    assert run(app, "dealers", "suspend", "13900000011").exit_code != 0  # pending: nothing to suspend
    assert run(app, "dealers", "reactivate", "13900000011").exit_code != 0
    staff = staff_client(app)
    decide(staff, dealer_id, "approve")
    assert run(app, "dealers", "suspend", "13900000011", "--reason", "合同到期").exit_code == 0
    assert status_of(app, dealer_id) == "suspended"
