"""Results for organizers and chief judges: provisional results, publication, amendments, embargo."""
