from engage.auth.models import User


def can_manage_working_group(user: User | None, working_group_id: int) -> bool:
    """Coordinators manage every working group; a lead manages only the groups they lead."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_coordinator or user.leads(working_group_id)


class ManagedGroups:
    """Which working groups the viewer manages, decided once per request (not once per row)."""

    def __init__(self, user: User | None):
        authenticated = user is not None and user.is_authenticated
        self.all = authenticated and user.is_coordinator
        self.ids = frozenset(wg.id for wg in user.led_working_groups) if authenticated and not self.all else frozenset()

    def __contains__(self, working_group_id: int) -> bool:
        return self.all or working_group_id in self.ids
