"""Login."""

from __future__ import annotations

from pydantic import BaseModel, Field


class TokenPublic(BaseModel):
    access_token: str
    token_type: str = Field("bearer", examples=["bearer"])
    expires_in: int = Field(examples=[28800], description="seconds until the token expires at the latest; "
                            "it ends sooner after FAMILJEPOOL_SESSION_IDLE_TIMEOUT seconds unused, or at logout")


class MePublic(BaseModel):
    username: str
    role: str
    municipality: str | None = None
