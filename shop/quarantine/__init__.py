"""Plant quarantine certificates (植物检疫证书, 植物检疫条例 Art. 7 and 8): required to dispatch, fresh, and shared by
the orders that leave together in one vehicle (一车一证)."""
