"""The directory of an organisation: locations, departments, staff and presence."""
