"""Personal data (Law 91/2025, Decree 356/2025): consents per purpose, the data-subject's requests
(download, delete, correct) with their legal due dates, erasure, the incident register, and the
sweep that forgets guests' contact details."""
