"""The archive's codes in words, in the page's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from shop.customers import segments as s

SEGMENTS = {s.VIP: _l("VIP客户"), s.KEY: _l("重点客户"), s.ORDINARY: _l("普通客户"), s.DORMANT: _l("休眠客户")}
WARNINGS = {s.CHURN: _l("流失预警"), s.SALES_PROGRESS: _l("销售进度预警"), s.ARREARS: _l("外欠款预警"),
            s.MAJOR_CHANGE: _l("重大变故")}
KINDS = {s.RETAIL: _l("零售客户"), s.DEALER: _l("代理商")}
CHANNELS = {"phone": _l("电话"), "wechat": _l("微信"), "visit": _l("上门拜访"), "sms": _l("短信")}
