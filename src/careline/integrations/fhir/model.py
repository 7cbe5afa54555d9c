"""FHIR R4 in and out, the pure part: reading a Bundle, validating each resource with
the `fhir.resources` R4B models, mapping resources to careline inputs, the import
report, and building a `Communication` from a timeline interaction.

No I/O here. Problems are reported by FHIR path (`Patient.telecom[1].value`) and
never quote a value: the values are PHI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import phonenumbers
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.communication import Communication
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.schedule import Schedule
from fhir.resources.R4B.slot import Slot
from pydantic import BaseModel, Field, ValidationError

from careline.core.phone import InvalidPhoneNumber, to_e164
from careline.directory.model import known_timezones
from careline.directory.model import normalise_language as staff_language
from careline.integrations.fhir.countries import country_code
from careline.patients.model import PhoneIn, PhoneKind, clean_name, language_problems
from careline.patients.model import normalise_language as patient_language
from careline.scheduling.model import (
    MAX_DURATION_MINUTES,
    AppointmentStatus,
    AppointmentType,
    CancelReason,
    SlotStatus,
    whole_minutes,
)
from careline.timeline.model import Channel, Direction, InteractionView

#: Imported in this order, so references point at what is already there.
IMPORT_ORDER = ("Location", "Practitioner", "Patient", "Schedule", "Slot", "Appointment")
BUNDLE_TYPES = frozenset({"searchset", "collection", "transaction", "batch"})
TIMEZONE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/timezone"
MR_CODE = "MR"  # v2-0203 identifier type: medical record number
#: When neither the appointment nor its slot says what kind of visit it is.
DEFAULT_TYPE = AppointmentType(code="APPOINTMENT", display="Appointment")

PARTICIPATION_MODE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode"
COMMUNICATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/communication-category"
CARELINE_CHANNEL = "https://careline.dev/fhir/CodeSystem/channel"
CARELINE_INTERACTION = "urn:careline:interaction"
CARELINE_PATIENT = "urn:careline:patient"
PROVIDER_REF = "urn:careline:provider-ref"

_TYPE_NAME = re.compile(r"^[A-Z][A-Za-z]{0,63}$")
_REFERENCE = re.compile(
    r"(?:^|/)(?P<type>[A-Z][A-Za-z]{0,63})/(?P<id>[A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?$"
)
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,15}$")
_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_INDEX = re.compile(r"\[(\d+)\]")
_PARTIAL_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2}))?$")


# ---------------------------------------------------------------- the report


class ResourceError(BaseModel):
    """One finding about a resource (an error, a skip, a warning): where it is and what
    it is about, never what the resource holds."""

    resource_type: str | None
    id: str | None
    entry: int | None
    path: str
    message: str

    @property
    def where(self) -> str:
        """'Patient/example.telecom[2]': the resource and the place in it."""
        if self.resource_type is None or self.id is None:
            return self.path
        rest = self.path.removeprefix(self.resource_type)
        if rest and rest[0] not in ".[":
            return self.path  # a place in the bundle, not in the resource
        return f"{self.resource_type}/{self.id}{rest}"


class TypeCounts(BaseModel):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    #: Kept, but not yet a careline slot or appointment: a provider or a place it needs
    #: is not here yet (see `ImportReport.warnings`). Imported once it is.
    held: int = 0
    #: Held by an earlier import, and imported by this one (see `ImportReport.resolved`).
    resolved: int = 0


class ImportReport(BaseModel):
    dry_run: bool
    bundle_type: str | None = None
    counts: dict[str, TypeCounts]
    errors: list[ResourceError]
    skipped: list[ResourceError]
    #: What was left out of a resource that was imported (an ended or unusable phone
    #: number, an actor careline keeps no record of) or why it is held.
    warnings: list[ResourceError] = Field(default_factory=list)
    resolved: list[ResourceError] = Field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(c.failed for c in self.counts.values())


# ---------------------------------------------------------------- problems


class ResourceProblem(Exception):
    """A resource cannot be imported; each problem is (FHIR path, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{p}: {m}" for p, m in problems))
        self.problems = problems


class SkipResource(Exception):
    """A valid resource careline deliberately does not import (e.g. a proposed appointment)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason


class BundleUnreadable(Exception):
    """The document as a whole is not something to import."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{p}: {m}" for p, m in problems))
        self.problems = problems


def fhir_path(resource_type: str, loc: tuple[int | str, ...] | list[int | str]) -> str:
    """('telecom', 1, 'value') -> 'Patient.telecom[1].value'."""
    out = resource_type
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "resource_type":
            out += ".resourceType"
        elif part and not part.startswith("__"):
            out += f".{part}"
    return out


def _safe_message(message: str, value: Any) -> str:
    """A library's message, with the offending value removed should it quote it."""
    text = " ".join(str(message).split())
    if isinstance(value, str) and len(value) >= 2 and value in text:
        text = text.replace(value, "(value)")
    return text


def validation_problems(resource_type: str, exc: ValidationError) -> list[tuple[str, str]]:
    return [
        (fhir_path(resource_type, tuple(e["loc"])), _safe_message(e["msg"], e.get("input")))
        for e in exc.errors()
    ]


# ---------------------------------------------------------------- reading a bundle


@dataclass(frozen=True)
class Entry:
    """One resource of the bundle, as given (validated later, one at a time)."""

    index: int | None
    resource_type: str
    fhir_id: str | None
    full_url: str | None
    raw: dict[str, Any]


@dataclass
class BundleContents:
    bundle_type: str
    entries: list[Entry] = field(default_factory=list)
    errors: list[ResourceError] = field(default_factory=list)
    #: fullUrl (absolute or urn:uuid) -> (resource type, id), for references by fullUrl.
    full_urls: dict[str, tuple[str, str]] = field(default_factory=dict)


def _type_name(value: Any) -> str | None:
    return value if isinstance(value, str) and _TYPE_NAME.match(value) else None


def _id_of(raw: dict[str, Any]) -> str | None:
    value = raw.get("id")
    return value if isinstance(value, str) and len(value) <= 64 else None


#: Deepest nesting of a document careline imports. Real FHIR resources nest about
#: a dozen levels (Bundle > entry > resource > extension > extension > value...);
#: a hostile one nested 100,000 deep crashed the import with a RecursionError
#: (issue 11, item 26). Also the most JSON values in one document.
MAX_DEPTH = 64
MAX_VALUES = 5_000_000


def check_shape(document: Any) -> None:
    """Refuse documents nested deeper than MAX_DEPTH or with more than MAX_VALUES
    values, walking iteratively (a recursive walk is what overflowed)."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    seen = 0
    while stack:
        value, depth = stack.pop()
        seen += 1
        if depth > MAX_DEPTH:
            raise BundleUnreadable([("$", f"nested deeper than {MAX_DEPTH} levels")])
        if seen > MAX_VALUES:
            raise BundleUnreadable([("$", f"more than {MAX_VALUES:,} values")])
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def read_bundle(document: Any) -> BundleContents:
    """Split a Bundle (or a single resource) into entries; check the bundle's own shape
    with the R4B model, leaving each resource to be validated on its own so one bad
    resource does not stop the rest."""
    check_shape(document)
    if not isinstance(document, dict):
        raise BundleUnreadable([("$", "must be a JSON object (a FHIR Bundle)")])
    kind = document.get("resourceType")
    if kind in IMPORT_ORDER:
        contents = BundleContents(bundle_type="resource")
        contents.entries.append(Entry(None, kind, _id_of(document), None, document))
        return contents
    if kind != "Bundle":
        raise BundleUnreadable(
            [("resourceType", "must be 'Bundle' or one of " + ", ".join(IMPORT_ORDER))]
        )
    entries = document.get("entry")
    entries = [] if entries is None else entries
    if not isinstance(entries, list):
        raise BundleUnreadable([("Bundle.entry", "must be a list")])
    shell = dict(document)
    shell["entry"] = [
        {k: v for k, v in e.items() if k != "resource"} if isinstance(e, dict) else e
        for e in entries
    ]
    try:
        bundle = Bundle.model_validate(shell)
    except ValidationError as exc:
        raise BundleUnreadable(validation_problems("Bundle", exc)) from None
    if bundle.type not in BUNDLE_TYPES:
        raise BundleUnreadable(
            [("Bundle.type", "must be one of " + ", ".join(sorted(BUNDLE_TYPES)))]
        )
    contents = BundleContents(bundle_type=bundle.type)
    for i, item in enumerate(entries):
        where = f"Bundle.entry[{i}]"
        request = item.get("request") if isinstance(item, dict) else None
        if isinstance(request, dict) and request.get("method") == "DELETE":
            contents.errors.append(
                ResourceError(
                    resource_type=None,
                    id=None,
                    entry=i,
                    path=f"{where}.request",
                    message="deletes are not imported; delete the record in careline",
                )
            )
            continue
        resource = item.get("resource")
        search = item.get("search")
        if isinstance(search, dict) and search.get("mode") == "outcome":
            continue  # a server's OperationOutcome about the search, not a record
        if not isinstance(resource, dict):
            contents.errors.append(
                ResourceError(
                    resource_type=None,
                    id=None,
                    entry=i,
                    path=f"{where}.resource",
                    message="the entry has no resource",
                )
            )
            continue
        rtype = _type_name(resource.get("resourceType"))
        if rtype not in IMPORT_ORDER:
            contents.errors.append(
                ResourceError(
                    resource_type=rtype,
                    id=_id_of(resource),
                    entry=i,
                    path=f"{where}.resource.resourceType",
                    message="is not a type careline imports (" + ", ".join(IMPORT_ORDER) + ")",
                )
            )
            continue
        assert rtype is not None
        full_url = item.get("fullUrl") if isinstance(item.get("fullUrl"), str) else None
        fid = _id_of(resource)
        contents.entries.append(Entry(i, rtype, fid, full_url, resource))
        if full_url and fid:
            contents.full_urls[full_url] = (rtype, fid)
    return contents


def validate_resource(entry: Entry) -> BaseModel:
    """The resource as its R4B model, or `ResourceProblem` naming each bad field."""
    cls = get_fhir_model_class(entry.resource_type)
    try:
        model: BaseModel = cls.model_validate(entry.raw)
    except ValidationError as exc:
        raise ResourceProblem(validation_problems(entry.resource_type, exc)) from None
    if entry.fhir_id is None:
        raise ResourceProblem(
            [(f"{entry.resource_type}.id", "is required: re-imports find their record by it")]
        )
    return model


def parse_reference(
    reference: str, full_urls: dict[str, tuple[str, str]]
) -> tuple[str, str] | None:
    """'Patient/123', 'https://ehr.example/fhir/Patient/123', or a bundle fullUrl ->
    ('Patient', '123'). Contained ('#x') and logical references are not followed."""
    if reference in full_urls:
        return full_urls[reference]
    if reference.startswith("#"):
        return None
    match = _REFERENCE.search(reference)
    return (match["type"], match["id"]) if match else None


# ---------------------------------------------------------------- mapping: small parts


def _first_coding(concepts: list[CodeableConcept] | None, *, path: str) -> AppointmentType | None:
    for concept in concepts or []:
        for coding in concept.coding or []:
            if coding.code:
                display = coding.display or concept.text or coding.code
                return _appointment_type(coding.code, display, path=path)
        if concept.text:
            return _appointment_type(concept.text[:64], concept.text, path=path)
    return None


def _appointment_type(code: str, display: str, *, path: str) -> AppointmentType:
    try:
        return AppointmentType(code=code.strip()[:64], display=display.strip()[:200])
    except ValidationError:
        raise ResourceProblem([(path, "is not a usable appointment type code")]) from None


def visit_type(
    service_type: list[CodeableConcept] | None,
    appointment_type: CodeableConcept | None,
    *,
    resource_type: str,
) -> AppointmentType | None:
    """What kind of visit: the first coded `serviceType`, else `appointmentType`.
    Slots and appointments use the same rule so they match."""
    found = _first_coding(service_type, path=f"{resource_type}.serviceType")
    if found is None and appointment_type is not None:
        found = _first_coding([appointment_type], path=f"{resource_type}.appointmentType")
    return found


def _raise(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise ResourceProblem(problems)


# ---------------------------------------------------------------- telecoms and addresses

#: (FHIR path, message): a problem when it refuses a resource, a warning when it does not.
Finding = tuple[str, str]


def _instant_after(value: Any) -> datetime | None:
    """When a FHIR date or dateTime is over: '2014' -> 2015-01-01, '2014-05-01' -> the
    next midnight (UTC when no zone is given). None when it is not a date."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value + timedelta(days=1), time(), UTC)
    match = _PARTIAL_DATE.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    year, month = int(match["year"]), int(match["month"] or 12)
    return datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)


def _instant_of(value: Any) -> datetime | None:
    """When a FHIR date or dateTime begins: '2014' -> 2014-01-01 (UTC when no zone)."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), UTC)
    match = _PARTIAL_DATE.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    return datetime(int(match["year"]), int(match["month"] or 1), 1, tzinfo=UTC)


def _not_current(use: str | None, period: Any, now: datetime) -> str | None:
    """Why a telecom or an address is not in use at `now`, or None if it is."""
    if use == "old":
        return "is no longer in use (use 'old')"
    if period is not None:
        ended = _instant_after(period.end)
        if ended is not None and ended <= now:
            return "is no longer in use (its period has ended)"
        begins = _instant_of(period.start)
        if begins is not None and begins > now:
            return "is not in use yet (its period starts later)"
    return None


def phone_region(
    addresses: list[Any] | None,
    *,
    resource_type: str,
    default: str,
    now: datetime,
    prefer: str = "home",
) -> tuple[str, list[Finding]]:
    """Where numbers written without +country come from: the country of the current
    address (`prefer`red use first), else `default`. An EHR abroad writes its numbers
    the way they are dialled there: reading them as `default` would refuse them."""
    current = [
        i
        for i, a in enumerate(addresses or [])
        if (a.country or "").strip() and _not_current(a.use, a.period, now) is None
    ]
    if not current:
        return default, []
    i = min(current, key=lambda j: 0 if (addresses or [])[j].use == prefer else 1)
    code = country_code((addresses or [])[i].country)
    if code is None or code not in phonenumbers.SUPPORTED_REGIONS:
        path = f"{resource_type}.address[{i}].country"
        return default, [(path, f"is not an ISO 3166 country: numbers are read as {default}")]
    return code, []


def _phone_kind(use: str | None, system: str | None) -> PhoneKind:
    if use == "home":
        return PhoneKind.home
    if use == "work":
        return PhoneKind.work
    if use in ("mobile", "temp") or system == "sms":
        return PhoneKind.mobile
    return PhoneKind.home


def _usable_number(
    point: Any, *, path: str, region: str, now: datetime
) -> tuple[str | None, Finding | None]:
    """A phone or sms telecom as E.164, or why it is skipped (a warning)."""
    why = _not_current(point.use, point.period, now)
    if why is not None:
        return None, (path, f"{why}; skipped")
    if not point.value:
        return None, (f"{path}.value", "is missing; skipped")
    try:
        return to_e164(point.value, default_region=region, field=f"{path}.value"), None
    except InvalidPhoneNumber:
        return None, (f"{path}.value", f"is not a valid phone number in {region}; skipped")


def phones_of(
    telecom: list[Any] | None, *, resource_type: str, region: str, now: datetime
) -> tuple[list[PhoneIn] | None, list[Finding]]:
    """Current phone numbers in E.164 (the lowest `rank` is primary); None if there are
    none. A number no longer (or not yet) in use, or not valid in `region`, is left out
    with a warning: one bad secondary number must not cost the patient the others."""
    warnings: list[Finding] = []
    found: list[tuple[int, PhoneIn]] = []
    seen: set[str] = set()
    for i, point in enumerate(telecom or []):
        if point.system not in ("phone", "sms"):
            continue  # email, fax, pager, a web page: not for calls or texts
        e164, warning = _usable_number(
            point, path=f"{resource_type}.telecom[{i}]", region=region, now=now
        )
        if e164 is None:
            warnings += [warning] if warning else []
            continue
        if e164 in seen:
            continue  # the same number listed as phone and as sms
        seen.add(e164)
        kind = _phone_kind(point.use, point.system)
        phone = PhoneIn(
            number=e164,
            kind=kind,
            sms_capable=point.system == "sms" or kind is PhoneKind.mobile,
        )
        found.append((point.rank or 1_000_000 + i, phone))
    if not found:
        return None, warnings
    first = min(range(len(found)), key=lambda j: found[j][0])
    phones = [p.model_copy(update={"primary": j == first}) for j, (_, p) in enumerate(found)]
    return phones, warnings


# ---------------------------------------------------------------- Patient


@dataclass(frozen=True)
class PatientFields:
    """What a Patient resource says, in careline's terms. None: the resource is silent."""

    given_name: str
    family_name: str
    date_of_birth: date
    mrn: str | None
    phones: list[PhoneIn] | None
    preferred_language: str | None
    #: What was left out, and why (FHIR path, message).
    warnings: tuple[Finding, ...] = ()


def _chosen_name(names: list[Any]) -> tuple[int, Any] | None:
    ranked = sorted(
        (i for i, n in enumerate(names) if n.use != "old"),
        key=lambda i: {"official": 0, "usual": 1}.get(names[i].use or "", 2),
    )
    return (ranked[0], names[ranked[0]]) if ranked else None


def _language_code(concept: CodeableConcept | None) -> str | None:
    if concept is None:
        return None
    for coding in concept.coding or []:
        if coding.code:
            return str(coding.code)
    return None


def patient_fields(patient: Patient, *, region: str, now: datetime) -> PatientFields:
    """`region`: where numbers are from when the patient's address does not say."""
    problems: list[Finding] = []
    chosen = _chosen_name(list(patient.name or []))
    given = family = ""
    if chosen is None:
        problems.append(("Patient.name", "is required: careline needs a given and a family name"))
    else:
        i, name = chosen
        given = clean_name(" ".join(name.given or []))
        family = clean_name(name.family or "")
        if not given:
            problems.append((f"Patient.name[{i}].given", "is required"))
        if not family:
            problems.append((f"Patient.name[{i}].family", "is required"))
        if len(given) > 100 or len(family) > 100:
            problems.append((f"Patient.name[{i}]", "is longer than 100 characters"))
    dob = patient.birthDate
    if dob is None:
        problems.append(
            ("Patient.birthDate", "is required: careline identifies callers by date of birth")
        )
    elif not isinstance(dob, date):
        problems.append(("Patient.birthDate", "must be a full date (year, month and day)"))
    region, warnings = phone_region(
        patient.address, resource_type="Patient", default=region, now=now
    )
    phones, more = phones_of(patient.telecom, resource_type="Patient", region=region, now=now)
    warnings += more
    language: str | None = None
    communications = list(patient.communication or [])
    preferred = [c for c in communications if c.preferred] or communications
    if preferred:
        i = communications.index(preferred[0])
        code = _language_code(preferred[0].language)
        path = f"Patient.communication[{i}].language"
        if code is None or language_problems(code, field=path):
            problems.append((path, "must be a language code such as 'en' or 'es-MX'"))
        else:
            language = patient_language(code)
    mrn: str | None = None
    for identifier in patient.identifier or []:
        codes = [c.code for c in (identifier.type.coding or [])] if identifier.type else []
        if MR_CODE in codes and identifier.value:
            mrn = "".join(identifier.value.split())[:64] or None
            break
    _raise(problems)
    assert isinstance(dob, date)
    return PatientFields(given, family, dob, mrn, phones, language, tuple(warnings))


# ---------------------------------------------------------------- Practitioner


@dataclass(frozen=True)
class StaffFields:
    display_name: str
    title: str | None
    languages: list[str] | None
    phones: list[str] | None
    warnings: tuple[Finding, ...] = ()


def staff_fields(practitioner: Practitioner, *, region: str, now: datetime) -> StaffFields:
    problems: list[Finding] = []
    chosen = _chosen_name(list(practitioner.name or []))
    display = ""
    if chosen is not None:
        _, name = chosen
        display = name.text or " ".join(
            [*(name.prefix or []), *(name.given or []), name.family or ""]
        )
        display = clean_name(display)[:200]
    if not display:
        problems.append(("Practitioner.name", "is required"))
    title: str | None = None
    for qualification in practitioner.qualification or []:
        concept = qualification.code
        text = concept.text or next((c.code for c in concept.coding or [] if c.code), None)
        if text:
            title = clean_name(text)[:100]
            break
    languages: list[str] | None = None
    if practitioner.communication:
        languages = []
        for i, concept in enumerate(practitioner.communication):
            code = _language_code(concept)
            try:
                languages.append(staff_language(code or ""))
            except ValueError:
                problems.append(
                    (f"Practitioner.communication[{i}]", "must be a language code like 'es'")
                )
    region, warnings = phone_region(
        practitioner.address, resource_type="Practitioner", default=region, now=now, prefer="work"
    )
    phones, more = phones_of(
        practitioner.telecom, resource_type="Practitioner", region=region, now=now
    )
    warnings += more
    _raise(problems)
    return StaffFields(
        display_name=display,
        title=title,
        languages=list(dict.fromkeys(languages)) if languages is not None else None,
        phones=[p.number for p in phones] if phones is not None else None,
        warnings=tuple(warnings),
    )


# ---------------------------------------------------------------- Location


@dataclass(frozen=True)
class LocationFields:
    name: str
    code: str
    timezone: str | None
    address: dict[str, Any] | None
    #: E.164.
    main_phone: str | None
    hours: list[dict[str, str | int]] | None
    warnings: tuple[Finding, ...] = ()


def location_code(location: Location, fhir_id: str) -> str:
    """A careline location code: the first identifier that fits, else one made of the id."""
    for identifier in location.identifier or []:
        value = (identifier.value or "").strip().upper()
        if _CODE.match(value):
            return value
    made = re.sub(r"[^A-Z0-9-]", "", fhir_id.upper()).lstrip("-")[:16]
    return made or "FHIR"


def _hhmm(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def location_fields(location: Location, *, fhir_id: str, now: datetime) -> LocationFields:
    problems: list[Finding] = []
    warnings: list[Finding] = []
    name = clean_name(location.name or "")[:200]
    if not name:
        problems.append(("Location.name", "is required"))
    zone: str | None = None
    for i, ext in enumerate(location.extension or []):
        if ext.url == TIMEZONE_EXTENSION:
            value = getattr(ext, "valueCode", None) or getattr(ext, "valueString", None)
            if value in known_timezones():
                zone = value
            else:
                problems.append(
                    (f"Location.extension[{i}].valueCode", "is not a known IANA time zone")
                )
    address: dict[str, Any] | None = None
    if location.address is not None:
        a = location.address
        lines = [ln for ln in (a.line or []) if ln]
        country = country_code(a.country)
        if country is None:
            problems.append(("Location.address.country", "must be an ISO 3166 country code"))
        if not lines:
            problems.append(("Location.address.line", "is required"))
        if not a.city:
            problems.append(("Location.address.city", "is required"))
        address = {
            "line1": lines[0] if lines else "",
            "line2": ", ".join(lines[1:]) or None,
            "city": a.city or "",
            "region": a.state,
            "postal_code": a.postalCode,
            "country": country or "",
        }
    main_phone: str | None = None
    region = address["country"] if address and address["country"] else "US"
    for i, point in enumerate(location.telecom or []):
        if point.system != "phone":
            continue
        # The first usable number is the main one: an internal extension ('2328') or an
        # ended number is passed over, not a reason to refuse the place.
        main_phone, warning = _usable_number(
            point, path=f"Location.telecom[{i}]", region=region, now=now
        )
        if warning is not None:
            warnings.append(warning)
        if main_phone is not None:
            break
    hours: list[dict[str, str | int]] | None = None
    if location.hoursOfOperation:
        hours = []
        for i, spec in enumerate(location.hoursOfOperation):
            path = f"Location.hoursOfOperation[{i}]"
            if spec.allDay:
                opens, closes = "00:00", "24:00"
            elif spec.openingTime is not None and spec.closingTime is not None:
                opens, closes = _hhmm(spec.openingTime), _hhmm(spec.closingTime)
            else:
                problems.append((path, "needs openingTime and closingTime, or allDay"))
                continue
            for day in spec.daysOfWeek or []:
                if day not in _DAYS:
                    problems.append((f"{path}.daysOfWeek", "has an unknown day"))
                    continue
                hours.append({"weekday": _DAYS[day], "opens": opens, "closes": closes})
    _raise(problems)
    return LocationFields(
        name,
        location_code(location, fhir_id),
        zone,
        address,
        main_phone,
        hours,
        tuple(warnings),
    )


# ---------------------------------------------------------------- Schedule, Slot, Appointment


@dataclass(frozen=True)
class Ref:
    """A followed reference: what it points at, and where it was written."""

    resource_type: str
    fhir_id: str
    path: str


def _refs(
    items: list[tuple[str | None, str]], full_urls: dict[str, tuple[str, str]]
) -> tuple[list[Ref], list[tuple[str, str]]]:
    refs: list[Ref] = []
    problems: list[tuple[str, str]] = []
    for reference, path in items:
        if not reference:
            continue
        parsed = parse_reference(reference, full_urls)
        if parsed is None:
            problems.append((path, "cannot be followed: use Type/id or a fullUrl of this bundle"))
        else:
            refs.append(Ref(parsed[0], parsed[1], path))
    return refs, problems


#: What FHIR R4 lets a Schedule be for (Schedule.actor).
SCHEDULE_ACTORS = (
    "Practitioner",
    "PractitionerRole",
    "Location",
    "HealthcareService",
    "Device",
    "RelatedPerson",
    "Patient",
)
_KEPT = ("Practitioner", "Location")


@dataclass(frozen=True)
class ScheduleFields:
    practitioner: Ref | None
    location: Ref | None
    visit_type: AppointmentType | None
    warnings: tuple[Finding, ...] = ()


def schedule_fields(schedule: Schedule, *, full_urls: dict[str, tuple[str, str]]) -> ScheduleFields:
    """A careline schedule is a provider's at a place: its Practitioner and its Location.
    Every other actor FHIR allows is accepted and left out with a warning; a schedule
    without a Practitioner or a Location is accepted too, and its slots are held until
    it names one (a careline slot needs both)."""
    refs, problems = _refs(
        [(a.reference, f"Schedule.actor[{i}].reference") for i, a in enumerate(schedule.actor)],
        full_urls,
    )
    warnings: list[Finding] = []
    for ref in refs:
        if ref.resource_type not in SCHEDULE_ACTORS:
            problems.append(
                (ref.path, "is not an actor a Schedule can have: " + ", ".join(SCHEDULE_ACTORS))
            )
        elif ref.resource_type not in _KEPT:
            warnings.append(
                (ref.path, f"is a {ref.resource_type}, of which careline keeps no record; left out")
            )
    practitioners = [r for r in refs if r.resource_type == "Practitioner"]
    locations = [r for r in refs if r.resource_type == "Location"]
    if len(practitioners) > 1:
        problems.append(("Schedule.actor", "names more than one Practitioner: careline keeps one"))
    if len(locations) > 1:
        problems.append(("Schedule.actor", "names more than one Location: careline keeps one"))
    if not practitioners:
        warnings.append(
            ("Schedule.actor", "names no Practitioner: its slots are held until it names one")
        )
    if not locations:
        warnings.append(
            ("Schedule.actor", "names no Location: its slots are held until it names one")
        )
    _raise(problems)
    return ScheduleFields(
        practitioner=practitioners[0] if practitioners else None,
        location=locations[0] if locations else None,
        visit_type=visit_type(schedule.serviceType, None, resource_type="Schedule"),
        warnings=tuple(warnings),
    )


_SLOT_STATUS = {
    "free": SlotStatus.free,
    "busy": SlotStatus.busy,
    "busy-tentative": SlotStatus.busy,
    "busy-unavailable": SlotStatus.blocked,
    "entered-in-error": SlotStatus.blocked,
}


@dataclass(frozen=True)
class SlotFields:
    schedule: Ref
    start: datetime
    duration_minutes: int
    status: SlotStatus
    visit_type: AppointmentType | None


def _minutes(
    start: datetime, end: datetime, *, path: str
) -> tuple[int | None, list[tuple[str, str]]]:
    minutes = whole_minutes(start, end)
    if minutes is None:
        return None, [(path, "must be later than start by a whole number of minutes")]
    if minutes > MAX_DURATION_MINUTES:
        return None, [(path, f"must be at most {MAX_DURATION_MINUTES} minutes after start")]
    return minutes, []


def slot_fields(slot: Slot, *, full_urls: dict[str, tuple[str, str]]) -> SlotFields:
    problems: list[tuple[str, str]] = []
    status = _SLOT_STATUS.get(slot.status or "")
    if status is None:
        problems.append(("Slot.status", "must be free, busy, busy-unavailable or busy-tentative"))
    minutes: int | None = None
    if slot.start is None or slot.end is None:
        problems.append(("Slot.start", "start and end are required"))
    else:
        minutes, more = _minutes(slot.start, slot.end, path="Slot.end")
        problems += more
    refs, more = _refs([(slot.schedule.reference, "Slot.schedule.reference")], full_urls)
    problems += more
    if not refs and not more:
        problems.append(("Slot.schedule.reference", "is required"))
    if refs and refs[0].resource_type != "Schedule":
        problems.append((refs[0].path, "must refer to a Schedule"))
    _raise(problems)
    assert status is not None and minutes is not None and slot.start is not None
    return SlotFields(
        schedule=refs[0],
        start=slot.start,
        duration_minutes=minutes,
        status=status,
        visit_type=visit_type(slot.serviceType, slot.appointmentType, resource_type="Slot"),
    )


_APPOINTMENT_STATUS = {
    "booked": AppointmentStatus.booked,
    "arrived": AppointmentStatus.arrived,
    "checked-in": AppointmentStatus.arrived,
    "fulfilled": AppointmentStatus.fulfilled,
    "cancelled": AppointmentStatus.cancelled,
    "noshow": AppointmentStatus.noshow,
    "entered-in-error": AppointmentStatus.cancelled,
}
_NOT_BOOKINGS = frozenset({"proposed", "pending", "waitlist"})


def cancel_reason(concept: CodeableConcept | None) -> CancelReason | None:
    """FHIR appointment-cancellation-reason codes, folded into careline's closed list."""
    code = _language_code(concept)  # the first coded value, whatever its system
    if code is None:
        return None if concept is None else CancelReason.other
    if code.startswith("pat"):
        return CancelReason.patient
    if code.startswith("prov"):
        return CancelReason.provider
    if code in ("maint", "meds-inc", "oth-room", "oth-mu"):
        return CancelReason.clinic
    if code == "oth-weath":
        return CancelReason.weather
    if code in ("oth-err", "oth-oerr"):
        return CancelReason.duplicate
    return CancelReason.other


@dataclass(frozen=True)
class AppointmentFields:
    patient: Ref
    practitioner: Ref | None
    location: Ref | None
    slot: Ref | None
    start: datetime | None
    duration_minutes: int | None
    status: AppointmentStatus
    visit_type: AppointmentType | None
    cancellation_reason: CancelReason | None
    warnings: tuple[Finding, ...] = ()


def _index(path: str) -> int:
    """'Appointment.participant[3].actor' -> 3: findings in the order of the resource."""
    found = _INDEX.search(path)
    return int(found[1]) if found else -1


def appointment_fields(
    appointment: Appointment, *, full_urls: dict[str, tuple[str, str]]
) -> AppointmentFields:
    raw_status = appointment.status or ""
    if raw_status in _NOT_BOOKINGS:
        raise SkipResource(
            "Appointment.status",
            f"'{raw_status}' is not a booking; only booked appointments and their outcomes "
            "are imported",
        )
    problems: list[tuple[str, str]] = []
    status = _APPOINTMENT_STATUS.get(raw_status)
    if status is None:
        problems.append(("Appointment.status", "is not a known appointment status"))
    actors, more = _refs(
        [
            (
                p.actor.reference if p.actor else None,
                f"Appointment.participant[{i}].actor.reference",
            )
            for i, p in enumerate(appointment.participant)
        ],
        full_urls,
    )
    problems += more
    by_type: dict[str, list[Ref]] = {}
    left_out: dict[str, str] = {
        f"Appointment.participant[{i}].actor": "has no reference; left out"
        for i, p in enumerate(appointment.participant)
        if p.actor is not None and not p.actor.reference
    }
    for ref in actors:
        kind = ref.resource_type
        by_type.setdefault(kind, []).append(ref)
        if kind not in ("Patient", *_KEPT):
            left_out[ref.path] = f"is a {kind}, of which careline keeps no record; left out"
        elif kind in _KEPT and len(by_type[kind]) > 1:
            left_out[ref.path] = f"careline keeps one {kind} per appointment (the first); left out"
    warnings: list[Finding] = sorted(left_out.items(), key=lambda w: _index(w[0]))
    patients = by_type.get("Patient", [])
    if len(patients) != 1:
        problems.append(("Appointment.participant", "needs exactly one Patient"))
    start = appointment.start
    minutes: int | None = None
    if start is not None and appointment.end is not None:
        minutes, more = _minutes(start, appointment.end, path="Appointment.end")
        problems += more
    elif appointment.minutesDuration is not None:
        minutes = appointment.minutesDuration
        if not 1 <= minutes <= MAX_DURATION_MINUTES:
            problems.append(
                ("Appointment.minutesDuration", f"must be 1-{MAX_DURATION_MINUTES} minutes")
            )
    slots, more = _refs(
        [
            (s.reference, f"Appointment.slot[{i}].reference")
            for i, s in enumerate(appointment.slot or [])
        ],
        full_urls,
    )
    problems += more
    problems += [(s.path, "must refer to a Slot") for s in slots if s.resource_type != "Slot"]
    _raise(problems)
    assert status is not None
    practitioners = by_type.get("Practitioner", [])
    locations = by_type.get("Location", [])
    return AppointmentFields(
        patient=patients[0],
        practitioner=practitioners[0] if practitioners else None,
        location=locations[0] if locations else None,
        slot=slots[0] if slots else None,
        start=start,
        duration_minutes=minutes,
        status=status,
        visit_type=visit_type(
            appointment.serviceType, appointment.appointmentType, resource_type="Appointment"
        ),
        cancellation_reason=cancel_reason(appointment.cancelationReason)
        if status is AppointmentStatus.cancelled
        else None,
        warnings=tuple(warnings),
    )


# ---------------------------------------------------------------- export: Communication

_MEDIUM = {
    Channel.voice: ("PHONE", "telephone"),
    Channel.voicemail: ("PHONE", "telephone"),
    # v3-ParticipationMode has no SMS code in R4; a text message is written communication.
    Channel.sms: ("WRITTEN", "written"),
}
_CATEGORY = {
    Channel.reminder: ("reminder", "Reminder"),
    Channel.offer: ("notification", "Notification"),
}
#: Interaction statuses that mean the contact did not happen.
NOT_DONE = frozenset({"failed", "undelivered", "cancelled", "canceled", "busy", "no-answer"})


def patient_reference(patient_id: str, fhir_id: str | None) -> dict[str, Any]:
    """The EHR's own Patient when it came from there; else careline's id as an identifier
    (a literal reference would point at nothing on the EHR)."""
    if fhir_id is not None:
        return {"reference": f"Patient/{fhir_id}"}
    return {"identifier": {"system": CARELINE_PATIENT, "value": patient_id}}


def _instant(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def communication_for(
    interaction: InteractionView,
    *,
    patient_fhir_id: str | None = None,
    include_text: bool = False,
) -> dict[str, Any]:
    """A FHIR R4 `Communication` for one interaction, validated with the R4B model.

    What a person said or wrote (event texts, the summary) is included only when
    `include_text` is asked for: by default the EHR gets that a contact happened,
    when, how and with whom, and not its content (minimum necessary).
    """
    if interaction.ended_at is None:
        status = "in-progress"
    elif interaction.status in NOT_DONE:
        status = "not-done"
    else:
        status = "completed"
    doc: dict[str, Any] = {
        "resourceType": "Communication",
        "id": interaction.id,
        "identifier": [{"system": CARELINE_INTERACTION, "value": interaction.id}],
        "status": status,
        "category": [
            {
                "coding": [
                    {"system": CARELINE_CHANNEL, "code": interaction.channel.value},
                ]
            }
        ],
    }
    if interaction.external_ref:
        doc["identifier"].append({"system": PROVIDER_REF, "value": interaction.external_ref})
    if interaction.channel in _CATEGORY:
        code, display = _CATEGORY[interaction.channel]
        doc["category"][0]["coding"].insert(
            0, {"system": COMMUNICATION_CATEGORY, "code": code, "display": display}
        )
    if interaction.channel in _MEDIUM:
        code, display = _MEDIUM[interaction.channel]
        doc["medium"] = [
            {"coding": [{"system": PARTICIPATION_MODE, "code": code, "display": display}]}
        ]
    if interaction.patient_id is not None:
        subject = patient_reference(interaction.patient_id, patient_fhir_id)
        doc["subject"] = subject
        if interaction.direction is Direction.inbound:
            doc["sender"] = subject
        elif interaction.direction is Direction.outbound:
            doc["recipient"] = [subject]
    if interaction.direction is Direction.inbound:
        doc["received"] = _instant(interaction.started_at)
    else:
        doc["sent"] = _instant(interaction.started_at)
    if include_text:
        texts = [interaction.summary] if interaction.summary else []
        texts += [e.text for e in interaction.events if e.text]
        if texts:
            doc["payload"] = [{"contentString": t} for t in texts]
    model = Communication.model_validate(doc)
    out: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    return out
