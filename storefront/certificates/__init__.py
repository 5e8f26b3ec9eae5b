"""The public side of OCOP certificates: the check page, labels with QR codes, expiry reminders."""
