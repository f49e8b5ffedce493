"""Dealer credit (账期, 授信额度, 外欠款预警): limits and terms, credit orders, payments on account, statements."""
