"""Audit templates, audits, answers and recommendations (DOMAIN.md section 8)."""
