"""Who buys, where the plants go, and the grades the tests order (all from catalog.csv)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

CATALOG = Path(__file__).resolve().parents[2] / "catalog.csv"
PHONE = "13812345678"
NAME = "王先生"
# A real nested place from shop/data/regions.json.
PLACE = {"province": "山东省", "city": "临沂市", "district": "平邑县", "address": "仲村镇示例路8号"}
STAFF_PASSWORD = "correct horse 9"
WHSEC = "whsec_x"  # the webhook secret the payments tests configure
SHANGHAI = ZoneInfo("Asia/Shanghai")

MM_C2 = "GRP-MRZ-C2"  # 美人指 二级扦插苗, ¥1.00, 30 g
JMG_C2 = "GRP-JMG-C2"  # 巨玫瑰 二级扦插苗, ¥1.00, 30 g
KYOHO_C2 = "GRP-KYOHO-C2"  # 巨峰 二级扦插苗, ¥0.60, 30 g
SHINE_C1 = "GRP-SHINE-C1"  # 阳光玫瑰 一级扦插苗
