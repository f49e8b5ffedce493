"""The customer archive (客户档案): customers, their grades, segments and warnings, the contact log, call scripts."""
