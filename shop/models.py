"""Every model, imported in one place for migrations and the shell."""

from shop.catalog.models import Base, CatalogState, Category, Grade, QuoteRequest, Stock, Variety
from shop.credit.models import AccountPayment
from shop.customers.models import CallScript, Contact, Customer
from shop.dealers.models import ApiToken, Dealer, IdempotencyKey
from shop.desk.models import AuditEntry, LoginAttempt, User
from shop.orders.models import Allocation, Order, OrderLine, Payment, PaymentMismatch, Refund, StripeEvent
from shop.quarantine.models import QuarantineCertificate

__all__ = [
    "AccountPayment", "Allocation", "ApiToken", "AuditEntry", "Base", "CallScript", "CatalogState", "Category",
    "Contact", "Customer", "Dealer", "Grade", "IdempotencyKey", "LoginAttempt", "Order", "OrderLine", "Payment",
    "PaymentMismatch", "QuarantineCertificate", "QuoteRequest", "Refund", "Stock", "StripeEvent", "User", "Variety",
]
