"""Security core: users, sessions, MFA, roles/permissions, audit chain, PHI crypto."""
