"""pdfium is not thread-safe, even across documents: every call into it holds this lock."""

import threading

PDFIUM_LOCK = threading.RLock()
