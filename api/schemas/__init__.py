"""Pydantic v2 models of every request (`…Create`, `…Put`) and response (`…Public`)."""
