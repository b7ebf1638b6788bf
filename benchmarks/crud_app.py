"""The write-path baseline: what a team might build instead of event sourcing, a plain CRUD insert.

    uvicorn --factory benchmarks.crud_app:create_app   (BENCH_CRUD_DATABASE_URL = sqlite:///… or postgresql://…?schema=…)

POST /api/referrals validates the same fields as familjepool's route and INSERTs one row
(psycopg with a connection pool on PostgreSQL, sqlite3 in WAL mode on SQLite). No sealing, no
audit, no read side, no token check: the cheapest honest alternative.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from datetime import date
from typing import Literal

from fastapi import FastAPI
from pydantic import BaseModel, Field

COLUMNS = "id, municipality, kind, legal_basis, decision_date, child_birth_month, needs, wishes"
DDL = ("CREATE TABLE IF NOT EXISTS crud_referrals (id TEXT PRIMARY KEY, municipality TEXT NOT NULL, kind TEXT NOT NULL,"
       " legal_basis TEXT NOT NULL, decision_date TEXT NOT NULL, child_birth_month TEXT NOT NULL, needs TEXT NOT NULL,"
       " wishes TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'open')")


class ReferralIn(BaseModel):
    kind: Literal["familjehem", "jourhem", "kontaktfamilj", "kontaktperson", "korttidsfamilj"]
    legal_basis: Literal["SoL", "LVU"]
    decision_date: date
    child_birth_month: str = Field(pattern=r"^\d{4}-\d{2}$")
    needs: str = Field(max_length=3000)
    wishes: str = Field("", max_length=3000)


def create_app() -> FastAPI:
    url = os.environ["BENCH_CRUD_DATABASE_URL"]
    app = FastAPI()
    if url.startswith("sqlite:///"):
        path, local = url[len("sqlite:///"):], threading.local()

        def insert(values: tuple) -> None:
            conn = getattr(local, "conn", None)
            if conn is None:
                conn = local.conn = sqlite3.connect(path, timeout=30, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"INSERT INTO crud_referrals ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?)", values)

        with sqlite3.connect(path) as conn:
            conn.execute(DDL)
    else:
        from psycopg_pool import ConnectionPool

        conninfo, _, query = url.partition("?")
        schema = query.split("schema=")[1] if "schema=" in query else "public"
        pool = ConnectionPool(conninfo, min_size=4, max_size=16, kwargs={"options": f"-c search_path={schema}"},
                              open=True)

        def insert(values: tuple) -> None:
            with pool.connection() as conn:
                conn.execute(f"INSERT INTO crud_referrals ({COLUMNS}) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)", values)

        with pool.connection() as conn:
            conn.execute(DDL)

    @app.post("/api/referrals", status_code=201)
    def register(body: ReferralIn) -> dict:
        referral_id = str(uuid.uuid4())
        insert((referral_id, "0184", body.kind, body.legal_basis, body.decision_date.isoformat(),
                body.child_birth_month, body.needs, body.wishes))
        return {"id": referral_id, "version": 1, "status": "open"}

    @app.get("/api/health")
    def health() -> dict:
        return {"status": "ok"}

    return app
