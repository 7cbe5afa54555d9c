"""FHIR R4: import an EHR's patients, practitioners, locations, schedules, slots and
appointments; export timeline interactions as `Communication` resources."""
