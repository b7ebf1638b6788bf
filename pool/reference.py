"""Reference-data commands: members, population figures, budgets, reported counts and users."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from argon2.exceptions import InvalidHashError, VerificationError

from pool.actors import Actor, Role
from pool.base import BaseApplication, Saved, as_date, as_money
from pool.domain.budget import Budget
from pool.domain.member import Member
from pool.domain.user import User
from pool.errors import InvalidInputError, NotFoundError, RuleViolationError
from pool.passwords import check_password, password_hasher
from pool.values import check_kommunkod, check_text, parse_enum

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")
HASHER = password_hasher()  # argon2id, RFC 9106 low-memory profile (pool/passwords.py)
MAX_PLACED = 100_000  # placed children of one municipality: far above any real figure


def check_year(year: object) -> int:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidInputError("value.year_out_of_range", field="year", first=2000, last=2100)
    return year


class ReferenceCommands(BaseApplication):
    def put_member(self, actor: Actor, kommunkod: str, *, name: str, joined_on: date | str) -> Saved | None:
        """Register a member, or update its name and joining date; None when nothing changed."""
        actor.require(Role.ADMIN)
        check_kommunkod(kommunkod, "kommunkod")
        name = check_text(name, "name", max_length=100)
        joined = as_date(joined_on, "joined_on")
        member_id = Member.create_id(kommunkod)
        if not self.exists(member_id):
            return self.commit(Member(actor=actor.as_event_data(), kommunkod=kommunkod, name=name, joined_on=joined))
        member = self.load(Member, member_id)
        if not member.update(actor.as_event_data(), name, joined):
            return None
        return self.commit(member)

    def member_leaves(self, actor: Actor, kommunkod: str, *, left_on: date | str) -> Saved:
        actor.require(Role.ADMIN)
        member = self.member(check_kommunkod(kommunkod, "kommunkod"))
        member.leave(actor.as_event_data(), as_date(left_on, "left_on"))
        return self.commit(member)

    def record_child_population(self, actor: Actor, kommunkod: str, year: int, *, children: int,
                                source: str = "") -> Saved:
        """Children aged 0-17 living at home in the member on 1 November of `year`."""
        actor.require(Role.ADMIN)
        check_year(year)
        if not isinstance(children, int) or isinstance(children, bool) or not 0 <= children <= 2_000_000:
            raise InvalidInputError("member.children_out_of_range", field="children", maximum=2_000_000)
        member = self.member(check_kommunkod(kommunkod, "kommunkod"))
        member.record_child_population(actor.as_event_data(), year, children,
                                       check_text(source, "source", required=False, max_length=300))
        return self.commit(member)

    def record_placed_children(self, actor: Actor, kommunkod: str, year: int, *, children: int,
                               source: str = "") -> Saved:
        """All the member's children 0-17 placed outside the home on 1 November of `year`, as it reports them."""
        actor.require(Role.ADMIN, Role.STEERING)
        check_year(year)
        if not isinstance(children, int) or isinstance(children, bool) or not 0 <= children <= MAX_PLACED:
            raise InvalidInputError("member.placed_children_out_of_range", field="children", maximum=MAX_PLACED)
        member = self.member(check_kommunkod(kommunkod, "kommunkod"))
        member.record_placed_children(actor.as_event_data(), year, children,
                                      check_text(source, "source", required=False, max_length=300))
        return self.commit(member)

    def set_budget(self, actor: Actor, year: int, *, amount_sek: Decimal | str) -> Saved | None:
        actor.require(Role.ADMIN, Role.STEERING)
        check_year(year)
        amount = as_money(amount_sek, "amount_sek")
        budget_id = Budget.create_id(year)
        if not self.exists(budget_id):
            return self.commit(Budget(actor=actor.as_event_data(), year=year, amount_sek=amount))
        budget = self.load(Budget, budget_id)
        return self.commit(budget) if budget.change(actor.as_event_data(), amount) else None

    def budget(self, year: int) -> Budget:
        return self.load(Budget, Budget.create_id(year))

    # Users ---------------------------------------------------------------------------------

    def add_user(self, actor: Actor, username: str, *, role: str, password: str,
                 municipality: str | None = None) -> Saved:
        actor.require(Role.ADMIN)
        username = (username or "").strip().lower()
        if not USERNAME.match(username):
            raise InvalidInputError("user.invalid_username", field="username")
        parsed_role = parse_enum(Role, role, "role")
        if parsed_role is Role.SYSTEM:
            raise InvalidInputError("user.system_role", field="role")
        if parsed_role is Role.MUNICIPALITY:
            if not municipality:
                raise InvalidInputError("user.municipality_required", field="municipality")
            self.check_active_member(check_kommunkod(municipality))
        elif municipality:
            raise InvalidInputError("user.municipality_not_allowed", field="municipality", role=parsed_role.value)
        if self.exists(User.create_id(username)):
            raise RuleViolationError("user.exists", field="username")
        password_hash = HASHER.hash(check_password(password, username))
        return self.commit(User(actor=actor.as_event_data(), username=username, role=parsed_role.value,
                                municipality=municipality, password_hash=password_hash))

    def user(self, username: str) -> User:
        return self.load(User, User.create_id((username or "").strip().lower()))

    def set_password(self, actor: Actor, username: str, *, password: str) -> Saved:
        if actor.role is not Role.SYSTEM and actor.username != username:
            actor.require(Role.ADMIN)
        user = self.user(username)
        user.change_password(actor=actor.as_event_data(),
                             password_hash=HASHER.hash(check_password(password, user.username)))
        saved = self.commit(user)
        self.end_sessions(user.id)
        return saved

    def disable_user(self, actor: Actor, username: str) -> Saved:
        actor.require(Role.ADMIN)
        user = self.user(username)
        user.disable(actor.as_event_data())
        saved = self.commit(user)
        self.end_sessions(user.id)
        return saved

    def enable_user(self, actor: Actor, username: str) -> Saved:
        actor.require(Role.ADMIN)
        user = self.user(username)
        user.enable(actor.as_event_data())
        saved = self.commit(user)
        self.end_sessions(user.id)  # re-enabling must not revive sessions from before
        return saved

    def authenticate(self, username: str, password: str) -> Actor | None:
        """The actor for valid credentials of an enabled user, else None (never says which was wrong)."""
        try:
            user = self.user(username)
        except NotFoundError:
            HASHER.hash("timing-equaliser")  # cost about as much as a real check
            return None
        try:
            HASHER.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        if user.disabled:
            return None
        return Actor(user_id=user.id, username=user.username, role=Role(user.role), municipality=user.municipality)
