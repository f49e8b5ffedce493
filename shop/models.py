"""Every model, imported in one place for migrations and the shell."""

from shop.catalog.models import Base, CatalogState, Category, Grade, QuoteRequest, Stock, Variety
from shop.customers.models import CallScript, Contact, Customer
from shop.dealers.models import ApiToken, Dealer, IdempotencyKey
from shop.desk.models import AuditEntry, LoginAttempt, User
from shop.orders.models import Allocation, Order, OrderLine, Payment, PaymentMismatch, Refund, StripeEvent

__all__ = [
    "Allocation", "ApiToken", "AuditEntry", "CallScript", "Contact", "Customer", "Dealer", "IdempotencyKey", "Base", "CatalogState", "Category", "Grade", "LoginAttempt", "Order",
    "OrderLine", "Payment", "PaymentMismatch", "QuoteRequest", "Refund", "Stock", "StripeEvent", "User", "Variety",
]
