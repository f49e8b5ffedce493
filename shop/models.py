"""Every model, imported in one place for migrations and the shell."""

from shop.catalog.models import Base, CatalogState, Category, Grade, QuoteRequest, Stock, Variety
from shop.desk.models import AuditEntry, LoginAttempt, User
from shop.orders.models import Allocation, Order, OrderLine, Payment, PaymentMismatch, StripeEvent

__all__ = [
    "Allocation", "AuditEntry", "Base", "CatalogState", "Category", "Grade", "LoginAttempt", "Order",
    "OrderLine", "Payment", "PaymentMismatch", "QuoteRequest", "Stock", "StripeEvent", "User", "Variety",
]
