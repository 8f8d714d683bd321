"""Who may see or change which account: pure rules shared by the users routes."""

from __future__ import annotations

from functions.users.models import UserUpdate
from shopfn.errors import forbidden
from shopfn.security import Principal


def require_self_or_admin(principal: Principal, user_id: str) -> None:
    if not principal.may_act_for(user_id):
        raise forbidden("you may only see or change your own account")


def check_update(principal: Principal, user_id: str, update: UserUpdate) -> None:
    """A user changes their own name, e-mail, phone and password; only an admin sets roles."""
    require_self_or_admin(principal, user_id)
    if "role" in update.model_fields_set and not principal.is_admin:
        raise forbidden("only an admin changes roles")
    if principal.user_id == user_id and principal.is_admin and update.role not in (None, "admin"):
        raise forbidden("an admin cannot demote themselves; ask another admin")
