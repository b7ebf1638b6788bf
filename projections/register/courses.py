"""The course register's queries: course occasions and their attendance lists (families by id, no names)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from projections.contract import Page
from projections.core.queries import ViewQueries


class CourseQueries(ViewQueries):
    """Mixed into ReadModelsImpl beside RegisterQueries; the tables are the register view's."""

    @staticmethod
    def _course_item(r: dict[str, Any]) -> dict[str, Any]:
        return {"course_id": r["course_id"], "course": r["course"], "held_on": r["held_on"], "place": r["place"],
                "attendees": int(r["attendees"])}

    def courses(self, limit: int = 50, offset: int = 0) -> Page:
        """The newest course first."""
        rows, total = self._page("register", "SELECT c.* FROM {s}reg_courses c", [], [],
                                 "c.held_on DESC, c.course_id", limit, offset, "{s}reg_courses c")
        return Page(items=[self._course_item(r) for r in rows], total=total)

    def course(self, course_id: UUID) -> dict[str, Any] | None:
        """One course with its attendance list, in the order recorded, with each family's status and home type."""
        view = self.views["register"]
        rows = view.query("SELECT c.* FROM {s}reg_courses c WHERE c.course_id = ?", [str(course_id)])
        if not rows:
            return None
        attendance = view.query(
            "SELECT a.family_id, a.attended_on, f.status, f.home_type FROM {s}reg_attendance a "
            "LEFT JOIN {s}reg_families f ON f.family_id = a.family_id WHERE a.course_id = ? ORDER BY a.arrival",
            [str(course_id)])
        return {**self._course_item(rows[0]),
                "attendance": [{"family_id": a["family_id"], "attended_on": a["attended_on"], "status": a["status"],
                                "home_type": a["home_type"]} for a in attendance]}
