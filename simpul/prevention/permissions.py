"""Which permission each prevention page needs.

Outreach records hold no identities, so viewing them needs only the aggregate permission.
Recording them needs `Perm.MANAGE_OUTREACH` (task-force coordinators, case supervisors and
village officers, the latter limited to their village by jurisdiction).
"""

from simpul.accounts.roles import Perm

VIEW = Perm.VIEW_AGGREGATES
MANAGE = Perm.MANAGE_OUTREACH

# Who may read prevention pages and data: holders of either permission. Who may write: MANAGE.
READ = (VIEW, MANAGE)
WRITE = (MANAGE,)
