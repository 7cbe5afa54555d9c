"""Directory use cases: the organisation, locations (and whether they are open),
departments, staff and their presence.

Each public function runs in one transaction and returns views. Writes are
audited by resource id; the directory holds no PHI, so reads are not.
Functions taking a `Session` (`location_exists`, `location_calendar`,
`routing_staff`, `move_presence`, `locations_in`, `staff_in`) are for other
capabilities to call inside their own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from careline.core.db import transaction
from careline.core.errors import Conflict, FieldProblem, Forbidden, NotFound, ValidationFailed
from careline.core.ids import new_id
from careline.directory.model import (
    Address,
    Calendar,
    Closure,
    ClosureView,
    DepartmentCreate,
    DepartmentKind,
    DepartmentUpdate,
    DepartmentView,
    DispatchAddress,
    Endpoint,
    LocationCreate,
    LocationDays,
    LocationUpdate,
    LocationView,
    OpeningHours,
    OpenStatus,
    OrganisationUpdate,
    OrganisationView,
    PresenceState,
    RoutingStaff,
    StaffCreate,
    StaffUpdate,
    StaffView,
    calendar_of,
    closure_id,
    closure_view,
    day_statuses,
    is_open,
    merge,
    next_open,
    normalise_language,
    speaks,
    validate_location,
    validate_staff,
)
from careline.directory.tables import (
    DepartmentRow,
    LocationRow,
    OrganisationRow,
    StaffDepartmentRow,
    StaffEndpointRow,
    StaffLocationRow,
    StaffRow,
)
from careline.runtime import Runtime
from careline.security import audit
from careline.security.model import Actor, Permission, Role
from careline.security.service import require_scope

DEFAULT_REGION = "US"


def _check_scope(actor: Actor, location_ids: Iterable[str | None]) -> None:
    """Directory writes follow the scope of the actor's roles: records of a location need
    directory:write at that location; network-wide ones (the organisation, adding or
    removing a location, network-wide departments, staff of no location) need it
    network-wide."""
    require_scope(actor, Permission.directory_write, location_ids)


def _audit(
    s: Session, rt: Runtime, actor: Actor, action: str, kind: str, rid: str, **details: object
) -> None:
    audit.record(
        s,
        clock=rt.clock,
        actor=actor,
        action=action,
        resource_type=kind,
        resource_id=rid,
        details=dict(details) or None,
    )


# ---------------------------------------------------------------- organisation


def _organisation_country(s: Session) -> str:
    """The default region for numbers typed without a country code."""
    row = s.get(OrganisationRow, 1)
    return row.country if row else DEFAULT_REGION


def get_organisation(rt: Runtime) -> OrganisationView:
    with transaction(rt.sessions) as s:
        row = s.get(OrganisationRow, 1)
        if row is None:
            raise NotFound(
                "The organisation has not been set up yet; set it with PUT /api/v1/organisation.",
                error_id="no-organisation",
            )
        return OrganisationView(name=row.name, country=row.country)


def set_organisation(rt: Runtime, *, actor: Actor, data: OrganisationUpdate) -> OrganisationView:
    """Create or replace the install's one organisation."""
    _check_scope(actor, [None])
    with transaction(rt.sessions) as s:
        row = s.get(OrganisationRow, 1)
        if row is None:
            row = OrganisationRow(id=1, name=data.name, country=data.country)
            s.add(row)
        else:
            row.name, row.country = data.name, data.country
        try:
            s.flush()
        except IntegrityError:  # two first-time set-ups racing
            raise Conflict(
                "The organisation was set up at the same moment; retry.",
                error_id="organisation-changed",
            ) from None
        _audit(s, rt, actor, "organisation.update", "organisation", "1")
        return OrganisationView(name=row.name, country=row.country)


# ---------------------------------------------------------------- locations


def location_exists(s: Session, location_id: str) -> bool:
    """For other capabilities: does this location id exist? (inside their transaction)"""
    return s.get(LocationRow, location_id) is not None


def _location_row(s: Session, location_id: str, *, lock: bool = False) -> LocationRow:
    row = s.get(LocationRow, location_id, with_for_update=lock or None)
    if row is None:
        raise NotFound("No location has this id.", error_id="no-such-location")
    return row


def _location_view(row: LocationRow) -> LocationView:
    address = Address.model_validate(row.address)
    dispatch = DispatchAddress.model_validate(row.dispatch_address or row.address)
    return LocationView(
        id=row.id,
        name=row.name,
        code=row.code,
        timezone=row.timezone,
        address=address,
        dispatch_address=dispatch,
        dispatch_address_is_postal=row.dispatch_address is None,
        main_phone=row.main_phone,
        sms_number=row.sms_number,
        holiday_country=row.holiday_country,
        holiday_subdivision=row.holiday_subdivision,
        observe_holidays=row.observe_holidays,
        hours=[OpeningHours.model_validate(h) for h in row.hours],
        closures=[closure_view(Closure.model_validate(c)) for c in row.closures],
    )


def _location_input(row: LocationRow) -> LocationCreate:
    """The stored record as a full input, for applying a partial update to."""
    return LocationCreate.model_validate(
        {
            "name": row.name,
            "code": row.code,
            "timezone": row.timezone,
            "address": row.address,
            "dispatch_address": row.dispatch_address,
            "main_phone": row.main_phone,
            "sms_number": row.sms_number,
            "holiday_country": row.holiday_country,
            "holiday_subdivision": row.holiday_subdivision,
            "observe_holidays": row.observe_holidays,
            "hours": row.hours,
            "closures": row.closures,
        }
    )


def _apply_location(row: LocationRow, data: LocationCreate) -> None:
    row.name = data.name
    row.code = data.code
    row.timezone = data.timezone
    row.address = data.address.model_dump(mode="json")
    row.dispatch_address = (
        data.dispatch_address.model_dump(mode="json") if data.dispatch_address else None
    )
    row.main_phone = data.main_phone
    row.sms_number = data.sms_number
    row.holiday_country = data.holiday_country
    row.holiday_subdivision = data.holiday_subdivision
    row.observe_holidays = data.observe_holidays
    row.hours = [h.model_dump(mode="json") for h in data.hours]
    row.closures = [c.model_dump(mode="json") for c in data.closures]


def _code_taken(code: str) -> Conflict:
    return Conflict(
        f"Another location already uses the code '{code}'.", error_id="location-code-taken"
    )


def _store_location(s: Session, row: LocationRow, data: LocationCreate) -> None:
    clash = s.execute(
        select(LocationRow.id).where(LocationRow.code == data.code, LocationRow.id != row.id)
    ).first()
    if clash:
        raise _code_taken(data.code)
    _apply_location(row, data)
    s.add(row)
    try:
        s.flush()
    except IntegrityError:  # the same code taken by a concurrent request
        raise _code_taken(data.code) from None


def create_location(rt: Runtime, *, actor: Actor, data: LocationCreate) -> LocationView:
    _check_scope(actor, [None])
    data = validate_location(data)
    with transaction(rt.sessions) as s:
        row = LocationRow(id=new_id())
        _store_location(s, row, data)
        _audit(s, rt, actor, "location.create", "location", row.id)
        return _location_view(row)


def get_location(rt: Runtime, *, location_id: str) -> LocationView:
    with transaction(rt.sessions) as s:
        return _location_view(_location_row(s, location_id))


def location_for_number(rt: Runtime, *, number: str) -> LocationView | None:
    """The location whose main phone is `number` (E.164), if exactly one has it: an
    inbound text or call to that number is for that clinic."""
    with transaction(rt.sessions) as s:
        rows = list(
            s.execute(select(LocationRow).where(LocationRow.main_phone == number).limit(2))
            .scalars()
            .all()
        )
        return _location_view(rows[0]) if len(rows) == 1 else None


def list_locations(rt: Runtime, *, limit: int, offset: int) -> tuple[list[LocationView], int]:
    with transaction(rt.sessions) as s:
        total = s.execute(select(func.count(LocationRow.id))).scalar_one()
        rows = s.execute(
            select(LocationRow)
            .order_by(LocationRow.name, LocationRow.id)
            .limit(limit)
            .offset(offset)
        ).scalars()
        return [_location_view(r) for r in rows], int(total)


def update_location(
    rt: Runtime, *, actor: Actor, location_id: str, changes: LocationUpdate
) -> LocationView:
    """Apply the fields given; the result is checked as a whole (hours, holidays...)."""
    _check_scope(actor, [location_id])
    with transaction(rt.sessions) as s:
        row = _location_row(s, location_id)
        data = validate_location(merge(_location_input(row), changes, LocationCreate))
        _store_location(s, row, data)
        _audit(
            s,
            rt,
            actor,
            "location.update",
            "location",
            row.id,
            fields=sorted(changes.model_fields_set),
        )
        return _location_view(row)


def add_closure(rt: Runtime, *, actor: Actor, location_id: str, closure: Closure) -> ClosureView:
    """Add one closure, leaving every other as it is. Replacing the whole list (PATCH)
    let one manager's edit delete what another had just added (issue 12); this takes
    the location's row lock and appends. The same closure twice is one closure."""
    _check_scope(actor, [location_id])
    with transaction(rt.sessions) as s:
        row = _location_row(s, location_id, lock=True)
        stored = [Closure.model_validate(c) for c in row.closures]
        current = _location_input(row)
        # The closure as it is stored (an end date filled in...), checked on its own.
        alone = validate_location(current.model_copy(update={"closures": [closure]}))
        added = closure_view(alone.closures[0])
        if any(closure_id(c) == added.id for c in stored):
            return added
        data = validate_location(current.model_copy(update={"closures": [*stored, closure]}))
        _store_location(s, row, data)
        _audit(s, rt, actor, "location.closure_added", "location", row.id, closure=added.id)
    return added


def remove_closure(rt: Runtime, *, actor: Actor, location_id: str, closure_id_: str) -> None:
    """Remove one closure by its id (404 when the location has none such)."""
    _check_scope(actor, [location_id])
    with transaction(rt.sessions) as s:
        row = _location_row(s, location_id, lock=True)
        stored = [Closure.model_validate(c) for c in row.closures]
        kept = [c for c in stored if closure_id(c) != closure_id_]
        if len(kept) == len(stored):
            raise NotFound("The location has no closure with this id.", error_id="no-such-closure")
        row.closures = [c.model_dump(mode="json") for c in kept]
        _audit(s, rt, actor, "location.closure_removed", "location", row.id, closure=closure_id_)


def delete_location(rt: Runtime, *, actor: Actor, location_id: str) -> None:
    """Delete a location no department or staff member belongs to any more."""
    _check_scope(actor, [None])
    with transaction(rt.sessions) as s:
        row = _location_row(s, location_id)
        departments = s.execute(
            select(func.count(DepartmentRow.id)).where(DepartmentRow.location_id == row.id)
        ).scalar_one()
        staff = s.execute(
            select(func.count()).where(StaffLocationRow.location_id == row.id)
        ).scalar_one()
        if departments or staff:
            raise Conflict(
                f"The location still has {departments} department(s) and {staff} staff "
                "member(s); move or delete them first.",
                error_id="location-in-use",
            )
        s.delete(row)
        try:
            s.flush()
        except IntegrityError:  # another capability's records point at it
            raise Conflict(
                "Other records (patients, appointments...) still refer to this location.",
                error_id="location-in-use",
            ) from None
        _audit(s, rt, actor, "location.delete", "location", location_id)


def location_calendar(s: Session, location_id: str) -> Calendar:
    """For other capabilities, inside their transaction: the pure calendar of a location
    (for `model.is_open` / `model.next_open`). Raises `NotFound`."""
    return calendar_of(_location_view(_location_row(s, location_id)))


def get_location_calendar(rt: Runtime, *, location_id: str) -> Calendar:
    with transaction(rt.sessions) as s:
        return location_calendar(s, location_id)


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValidationFailed(
            "Give the instant with its UTC offset, e.g. 2026-03-09T12:30:00Z.",
            problems=[FieldProblem("query.at", "must include a time zone offset")],
        )
    if not 1900 <= at.year <= 2999:  # holiday rules and date arithmetic stay meaningful
        raise ValidationFailed(
            "The instant is out of range.",
            problems=[FieldProblem("query.at", "must be between the years 1900 and 2999")],
        )
    return at


def location_is_open(rt: Runtime, *, location_id: str, at: datetime) -> bool:
    _aware(at)
    return is_open(get_location_calendar(rt, location_id=location_id), at)


def location_next_open(rt: Runtime, *, location_id: str, at: datetime) -> datetime | None:
    """The first instant at or after `at` when the location is open (within 30 days)."""
    _aware(at)
    return next_open(get_location_calendar(rt, location_id=location_id), at)


def location_open_status(
    rt: Runtime, *, location_id: str, at: datetime | None = None
) -> OpenStatus:
    """Open or closed at `at` (default: now), and when it next opens."""
    when = _aware(at) if at is not None else rt.clock.now()
    calendar = get_location_calendar(rt, location_id=location_id)
    return OpenStatus(
        location_id=location_id,
        at=when,
        open=is_open(calendar, when),
        next_open=next_open(calendar, when),
        timezone=calendar.timezone,
        local_time=when.astimezone(calendar.zone).isoformat(),
    )


def location_days(
    rt: Runtime, *, location_id: str, start: date | None = None, days: int = 14
) -> LocationDays:
    """Open or closed on each local day from `start` (default: the location's today):
    the weekly hours after public holidays and local closures, with the reasons."""
    with transaction(rt.sessions) as s:
        view = _location_view(_location_row(s, location_id))
    if start is None:
        start = rt.clock.now().astimezone(ZoneInfo(view.timezone)).date()
    elif not 1900 <= start.year <= 2999:
        raise ValidationFailed(
            "The date is out of range.",
            problems=[FieldProblem("query.from", "must be between the years 1900 and 2999")],
        )
    return LocationDays(
        location_id=location_id,
        timezone=view.timezone,
        days=day_statuses(view, start=start, days=days),
    )


# ---------------------------------------------------------------- departments


def _department_row(s: Session, department_id: str) -> DepartmentRow:
    row = s.get(DepartmentRow, department_id)
    if row is None:
        raise NotFound("No department has this id.", error_id="no-such-department")
    return row


def _department_view(row: DepartmentRow) -> DepartmentView:
    return DepartmentView(
        id=row.id, name=row.name, kind=DepartmentKind(row.kind), location_id=row.location_id
    )


def _check_location_ref(s: Session, location_id: str | None) -> None:
    if location_id is not None and not location_exists(s, location_id):
        raise ValidationFailed(
            "The department's location does not exist.",
            problems=[FieldProblem("body.location_id", "no location has this id")],
        )


def create_department(rt: Runtime, *, actor: Actor, data: DepartmentCreate) -> DepartmentView:
    _check_scope(actor, [data.location_id])
    with transaction(rt.sessions) as s:
        _check_location_ref(s, data.location_id)
        row = DepartmentRow(name=data.name, kind=data.kind.value, location_id=data.location_id)
        s.add(row)
        s.flush()
        _audit(s, rt, actor, "department.create", "department", row.id)
        return _department_view(row)


def get_department(rt: Runtime, *, department_id: str) -> DepartmentView:
    with transaction(rt.sessions) as s:
        return _department_view(_department_row(s, department_id))


def list_departments(
    rt: Runtime,
    *,
    limit: int,
    offset: int,
    location_id: str | None = None,
    kind: DepartmentKind | None = None,
) -> tuple[list[DepartmentView], int]:
    with transaction(rt.sessions) as s:
        where: list[ColumnElement[bool]] = []
        if location_id is not None:
            where.append(DepartmentRow.location_id == location_id)
        if kind is not None:
            where.append(DepartmentRow.kind == kind.value)
        total = s.execute(select(func.count(DepartmentRow.id)).where(*where)).scalar_one()
        rows = s.execute(
            select(DepartmentRow)
            .where(*where)
            .order_by(DepartmentRow.name, DepartmentRow.id)
            .limit(limit)
            .offset(offset)
        ).scalars()
        return [_department_view(r) for r in rows], int(total)


def update_department(
    rt: Runtime, *, actor: Actor, department_id: str, changes: DepartmentUpdate
) -> DepartmentView:
    with transaction(rt.sessions) as s:
        row = _department_row(s, department_id)
        current = DepartmentCreate(
            name=row.name, kind=DepartmentKind(row.kind), location_id=row.location_id
        )
        data: DepartmentCreate = merge(current, changes, DepartmentCreate)
        _check_scope(actor, [row.location_id, data.location_id])
        _check_location_ref(s, data.location_id)
        row.name, row.kind, row.location_id = data.name, data.kind.value, data.location_id
        s.flush()
        _audit(
            s,
            rt,
            actor,
            "department.update",
            "department",
            row.id,
            fields=sorted(changes.model_fields_set),
        )
        return _department_view(row)


def delete_department(rt: Runtime, *, actor: Actor, department_id: str) -> None:
    """Delete a department with no staff in it (routing would lose them silently)."""
    with transaction(rt.sessions) as s:
        row = _department_row(s, department_id)
        _check_scope(actor, [row.location_id])
        members = s.execute(
            select(func.count()).where(StaffDepartmentRow.department_id == row.id)
        ).scalar_one()
        if members:
            raise Conflict(
                f"The department still has {members} staff member(s); remove them first.",
                error_id="department-in-use",
            )
        s.delete(row)
        s.flush()
        _audit(s, rt, actor, "department.delete", "department", department_id)


# ---------------------------------------------------------------- staff


def _staff_row(s: Session, staff_id: str) -> StaffRow:
    row = s.get(StaffRow, staff_id)
    if row is None:
        raise NotFound("No staff member has this id.", error_id="no-such-staff")
    return row


def _endpoint(row: StaffEndpointRow) -> Endpoint:
    return Endpoint.model_validate(
        {
            "kind": row.kind,
            "address": row.address,
            "label": row.label,
            "managed_by": row.managed_by or "organisation",
            "e911_address": row.e911_address,
        }
    )


def _staff_view(row: StaffRow) -> StaffView:
    return StaffView(
        id=row.id,
        display_name=row.display_name,
        title=row.title,
        department_ids=[link.department_id for link in row.department_links],
        location_ids=[link.location_id for link in row.location_links],
        skills=list(row.skills),
        languages=list(row.languages),
        endpoints=[_endpoint(e) for e in row.endpoints],
        presence=PresenceState(row.presence),
        presence_since=row.presence_since,
        user_id=row.user_id,
    )


def _staff_input(row: StaffRow) -> StaffCreate:
    view = _staff_view(row)
    return StaffCreate.model_validate(
        view.model_dump(include=set(StaffCreate.model_fields) & set(StaffView.model_fields))
    )


def _check_staff_refs(s: Session, data: StaffCreate) -> None:
    problems: list[FieldProblem] = []
    for field, column, ids in (
        ("department_ids", DepartmentRow.id, data.department_ids),
        ("location_ids", LocationRow.id, data.location_ids),
    ):
        if not ids:
            continue
        found = set(s.execute(select(column).where(column.in_(ids))).scalars())
        noun = field.removesuffix("_ids")
        problems += [
            FieldProblem(f"body.{field}.{i}", f"no {noun} has this id")
            for i, rid in enumerate(ids)
            if rid not in found
        ]
    if problems:
        raise ValidationFailed(
            "Some referenced departments or locations do not exist.", problems=problems
        )


def _store_staff(s: Session, row: StaffRow, data: StaffCreate) -> None:
    """Write `data` onto `row`, keeping unchanged membership rows (no delete + re-insert)."""
    if data.user_id is not None:
        clash = s.execute(
            select(StaffRow.id).where(StaffRow.user_id == data.user_id, StaffRow.id != row.id)
        ).first()
        if clash:
            raise Conflict(
                "Another staff member is already linked to this user.",
                error_id="user-already-linked",
            )
    row.display_name = data.display_name
    row.title = data.title
    row.skills = list(data.skills)
    row.languages = list(data.languages)
    row.user_id = data.user_id
    departments = {link.department_id: link for link in row.department_links}
    row.department_links = [
        departments.get(d) or StaffDepartmentRow(department_id=d) for d in data.department_ids
    ]
    for i, dept_link in enumerate(row.department_links):
        dept_link.position = i
    locations = {link.location_id: link for link in row.location_links}
    row.location_links = [
        locations.get(loc) or StaffLocationRow(location_id=loc) for loc in data.location_ids
    ]
    for i, loc_link in enumerate(row.location_links):
        loc_link.position = i
    row.endpoints = [
        StaffEndpointRow(
            position=i,
            kind=ep.kind.value,
            address=ep.address,
            label=ep.label,
            managed_by=ep.managed_by.value,
            e911_address=ep.e911_address.model_dump(mode="json") if ep.e911_address else None,
        )
        for i, ep in enumerate(data.endpoints)
    ]
    s.add(row)
    try:
        s.flush()
    except IntegrityError:
        raise Conflict(
            "The staff member changed at the same moment (or the user is linked elsewhere); "
            "reload and retry.",
            error_id="staff-conflict",
        ) from None


def create_staff(rt: Runtime, *, actor: Actor, data: StaffCreate) -> StaffView:
    """A new staff member starts offline."""
    _check_scope(actor, data.location_ids or [None])
    with transaction(rt.sessions) as s:
        _check_staff_refs(s, data)
        data = validate_staff(data, default_region=_organisation_country(s))
        row = StaffRow(
            id=new_id(), presence=PresenceState.offline.value, presence_since=rt.clock.now()
        )
        _store_staff(s, row, data)
        _audit(s, rt, actor, "staff.create", "staff", row.id)
        return _staff_view(row)


def get_staff(rt: Runtime, *, staff_id: str) -> StaffView:
    with transaction(rt.sessions) as s:
        return _staff_view(_staff_row(s, staff_id))


def list_staff(
    rt: Runtime,
    *,
    limit: int,
    offset: int,
    location_id: str | None = None,
    department_id: str | None = None,
    presence: PresenceState | None = None,
) -> tuple[list[StaffView], int]:
    with transaction(rt.sessions) as s:
        where: list[ColumnElement[bool]] = []
        if location_id is not None:
            where.append(
                StaffRow.id.in_(
                    select(StaffLocationRow.staff_id).where(
                        StaffLocationRow.location_id == location_id
                    )
                )
            )
        if department_id is not None:
            where.append(
                StaffRow.id.in_(
                    select(StaffDepartmentRow.staff_id).where(
                        StaffDepartmentRow.department_id == department_id
                    )
                )
            )
        if presence is not None:
            where.append(StaffRow.presence == presence.value)
        total = s.execute(select(func.count(StaffRow.id)).where(*where)).scalar_one()
        rows = s.execute(
            select(StaffRow)
            .where(*where)
            .order_by(StaffRow.display_name, StaffRow.id)
            .limit(limit)
            .offset(offset)
        ).scalars()
        return [_staff_view(r) for r in rows], int(total)


def update_staff(rt: Runtime, *, actor: Actor, staff_id: str, changes: StaffUpdate) -> StaffView:
    with transaction(rt.sessions) as s:
        row = _staff_row(s, staff_id)
        data: StaffCreate = merge(_staff_input(row), changes, StaffCreate)
        before: list[str | None] = [link.location_id for link in row.location_links]
        after: list[str | None] = list(data.location_ids)
        _check_scope(actor, [*(before or [None]), *(after or [None])])
        _check_staff_refs(s, data)
        data = validate_staff(data, default_region=_organisation_country(s))
        _store_staff(s, row, data)
        _audit(
            s,
            rt,
            actor,
            "staff.update",
            "staff",
            row.id,
            fields=sorted(changes.model_fields_set),
        )
        return _staff_view(row)


def delete_staff(rt: Runtime, *, actor: Actor, staff_id: str) -> None:
    with transaction(rt.sessions) as s:
        row = _staff_row(s, staff_id)
        _check_scope(actor, [link.location_id for link in row.location_links] or [None])
        s.delete(row)
        s.flush()
        _audit(s, rt, actor, "staff.delete", "staff", staff_id)


def set_presence(rt: Runtime, *, actor: Actor, staff_id: str, state: PresenceState) -> StaffView:
    """Change a staff member's presence; `presence_since` moves only when the state does,
    so re-announcing 'available' keeps one's place in the longest-available order.

    One's own presence, or, at the staff member's clinic, a supervisor's or someone who
    manages the directory: an agent cannot set a colleague away (issue 11, item 2)."""
    with transaction(rt.sessions) as s:
        row = _staff_row(s, staff_id)
        if not _may_set_presence(actor, row):
            raise Forbidden(
                "You can set your own presence; a colleague's only as a supervisor or "
                "manager of their clinic.",
                error_id="presence-not-yours",
            )
        if row.presence != state.value:
            previous = row.presence
            row.presence = state.value
            row.presence_since = rt.clock.now()
            s.flush()
            _audit(
                s,
                rt,
                actor,
                "staff.presence",
                "staff",
                row.id,
                state=state.value,
                previous=previous,
            )
        return _staff_view(row)


def _may_set_presence(actor: Actor, row: StaffRow) -> bool:
    if actor.is_system or Permission.presence_write in actor.extra_permissions:
        return True
    if actor.user_id is not None and row.user_id == actor.user_id:
        return True
    locations: list[str | None] = [link.location_id for link in row.location_links]
    for location_id in locations or [None]:
        if actor.can(Permission.directory_write, location_id):
            return True
        if any(
            g.role is Role.supervisor and g.location_id in (None, location_id) for g in actor.grants
        ):
            return True
    return False


def find_available_staff(
    rt: Runtime,
    *,
    department_kind: DepartmentKind | None = None,
    language: str | None = None,
    location_id: str | None = None,
) -> list[StaffView]:
    """Available staff matching every given filter, longest-available first.

    `language` matches on the primary subtag: 'es-MX' finds any Spanish speaker.
    """
    if language is not None:
        try:
            language = normalise_language(language)
        except ValueError as exc:
            raise ValidationFailed(
                "Unknown language code.", problems=[FieldProblem("query.language", str(exc))]
            ) from None
    with transaction(rt.sessions) as s:
        stmt = select(StaffRow).where(StaffRow.presence == PresenceState.available.value)
        if department_kind is not None:
            stmt = stmt.where(
                StaffRow.id.in_(
                    select(StaffDepartmentRow.staff_id)
                    .join(DepartmentRow, DepartmentRow.id == StaffDepartmentRow.department_id)
                    .where(DepartmentRow.kind == department_kind.value)
                )
            )
        if location_id is not None:
            stmt = stmt.where(
                StaffRow.id.in_(
                    select(StaffLocationRow.staff_id).where(
                        StaffLocationRow.location_id == location_id
                    )
                )
            )
        rows = s.execute(stmt.order_by(StaffRow.presence_since, StaffRow.id)).scalars()
        return [_staff_view(r) for r in rows if language is None or speaks(r.languages, language)]


# ---------------------------------------------------------------- for call routing


def routing_staff(
    s: Session,
    *,
    presences: Iterable[PresenceState] | None = None,
    staff_ids: Iterable[str] | None = None,
    lock: bool = False,
) -> list[RoutingStaff]:
    """Staff as routing sees them (skills include their departments' kinds), in a
    stable order. `lock` takes their rows for update: presence is about to move."""
    stmt = select(StaffRow).order_by(StaffRow.id)
    if staff_ids is not None:
        stmt = stmt.where(StaffRow.id.in_(list(staff_ids)))
    if presences is not None:
        stmt = stmt.where(StaffRow.presence.in_([p.value for p in presences]))
    if lock:
        stmt = stmt.with_for_update()
    rows = list(s.execute(stmt).scalars())
    kinds: dict[str, str] = dict(
        s.execute(select(DepartmentRow.id, DepartmentRow.kind)).tuples().all()
    )
    out = []
    for row in rows:
        departments = {kinds[link.department_id] for link in row.department_links}
        first = row.endpoints[0].address if row.endpoints else None
        out.append(
            RoutingStaff(
                staff_id=row.id,
                skills=frozenset(row.skills) | departments,
                languages=tuple(row.languages),
                location_ids=frozenset(link.location_id for link in row.location_links),
                presence=PresenceState(row.presence),
                since=row.presence_since,
                endpoint=first,
            )
        )
    return out


def move_presence(s: Session, *, staff_id: str, state: PresenceState, since: datetime) -> None:
    """Set presence as call routing decided it (offered, answered, wrap-up...)."""
    row = _staff_row(s, staff_id)
    row.presence = state.value
    row.presence_since = since


def staff_id_for_user(s: Session, *, user_id: str) -> str | None:
    """The staff record a signed-in user works as (None: they are not an agent)."""
    return s.execute(select(StaffRow.id).where(StaffRow.user_id == user_id)).scalar_one_or_none()


def locations_in(s: Session, *, location_ids: Iterable[str] | None) -> list[LocationView]:
    """These locations (None: every one), by name: for views that span clinics."""
    stmt = select(LocationRow).order_by(LocationRow.name, LocationRow.id)
    if location_ids is not None:
        stmt = stmt.where(LocationRow.id.in_(list(location_ids)))
    return [_location_view(r) for r in s.execute(stmt).scalars()]


def staff_in(s: Session, *, location_ids: Iterable[str] | None) -> list[StaffView]:
    """Staff working at any of these locations (None: all staff), by name, loaded in
    a few queries whatever their number (links and endpoints come batched)."""
    stmt = select(StaffRow).order_by(StaffRow.display_name, StaffRow.id)
    if location_ids is not None:
        stmt = stmt.where(
            StaffRow.id.in_(
                select(StaffLocationRow.staff_id).where(
                    StaffLocationRow.location_id.in_(list(location_ids))
                )
            )
        )
    return [_staff_view(r) for r in s.execute(stmt).scalars()]
