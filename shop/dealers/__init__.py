"""Dealers (代理商): accounts, the dealer price, bulk entry and API tokens."""
