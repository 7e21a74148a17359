"""What users change in the app, checked and then written through the runner (all or nothing,
audited). Each function returns the Danish messages that stopped it; an empty list means saved."""

from __future__ import annotations

from data.validation import LEAPS_COMPETENCES, validate_assessment, validate_course, validate_milestone, validate_target
from queries.runner import QueryError, Runner, Scope

COURSE_FIELDS = (
    "title",
    "subjects",
    "weeks",
    "start_date",
    "end_date",
    "mandatory",
    "description_shared",
    "evaluation_done",
    "company_partner",
    "pupil_involvement",
    "competences",
    "year_group",
)


def save_targets(runner: Runner, scope: Scope, username: str, school: str, targets: dict[str, float]) -> list[str]:
    errors = [e for indicator, value in targets.items() for e in validate_target(indicator, value)]
    if errors:
        return errors
    rows = [{"school": school, "indicator": k, "target": float(v), "username": username} for k, v in targets.items()]
    return _write(runner, "set_participation_target", scope, username, rows)


def save_courses(
    runner: Runner, scope: Scope, username: str, school: str, school_year: str, courses: list[dict]
) -> list[str]:
    """Courses with a course_id are updated, the others added to `school_year`."""
    subjects = set(runner.run("leaps_reference_lists", scope)["subject"].to_list())
    errors = [e for c in courses for e in validate_course(c, subjects, set(LEAPS_COMPETENCES))]
    if errors:
        return errors
    updates, inserts = [], []
    for course in courses:
        params = {k: course.get(k) for k in COURSE_FIELDS} | {"school": school, "username": username}
        for flag in ("mandatory", "description_shared", "evaluation_done"):
            params[flag] = bool(params[flag])
        for text in ("company_partner", "pupil_involvement"):  # blank is none: the LEAPS rules count non-null
            params[text] = (params[text] or "").strip() or None
        params["subjects"], params["competences"] = list(params["subjects"] or []), list(params["competences"] or [])
        if course.get("course_id"):
            updates.append(params | {"course_id": course["course_id"]})
        else:
            inserts.append(params | {"school_year": school_year})
    return _write_many(runner, scope, username, [("update_leaps_course", updates), ("insert_leaps_course", inserts)])


def save_milestones(runner: Runner, scope: Scope, username: str, school: str, milestones: list[dict]) -> list[str]:
    errors = [e for m in milestones for e in validate_milestone(m)]
    if errors:
        return errors
    rows = [
        {
            "school": school,
            "criterion_id": m["criterion_id"],
            "done": bool(m.get("done")),
            "due_date": m.get("due_date"),
            "evidence": m.get("evidence"),
            "username": username,
        }
        for m in milestones
    ]
    return _write(runner, "update_project_milestone", scope, username, rows)


def save_assessments(
    runner: Runner, scope: Scope, username: str, school: str, school_year: str, grade: int, assessments: list[dict]
) -> list[str]:
    """Each item: student_key, term, area, score (1-5), for pupils of `grade` in `school_year`."""
    errors = [e for a in assessments for e in validate_assessment(a)]
    if errors:
        return errors
    rows = [
        {
            "school": school,
            "school_year": school_year,
            "grade": grade,
            "student_key": a["student_key"],
            "term": a["term"],
            "area": a["area"],
            "score": int(a["score"]),
            "username": username,
        }
        for a in assessments
    ]
    return _write(runner, "upsert_pupil_assessment", scope, username, rows)


def _write(runner: Runner, name: str, scope: Scope, username: str, rows: list[dict]) -> list[str]:
    return _write_many(runner, scope, username, [(name, rows)])


def _write_many(runner: Runner, scope: Scope, username: str, batches: list[tuple[str, list[dict]]]) -> list[str]:
    try:
        runner.write_many(scope, username, batches)
    except QueryError as refusal:
        return [str(refusal)]
    return []
