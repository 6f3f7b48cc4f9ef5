from engage.auth.models import User


def can_manage_working_group(user: User | None, working_group_id: int) -> bool:
    """Coordinators manage every working group; a lead manages only the groups they lead."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_coordinator or user.leads(working_group_id)
