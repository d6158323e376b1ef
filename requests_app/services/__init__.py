"""One function per user action: check → transition → save → case note and audit event."""
