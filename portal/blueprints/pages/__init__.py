"""Pages that belong to no feature: home, accessibility statement."""
