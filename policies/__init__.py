"""Council policies: pure-Python rules for who decides, what is checked and by when.

``get_policy(council_slug)`` (in ``policies.registry``) returns a council's policy; the
snapshot types it takes live in ``policies.base``.
"""
