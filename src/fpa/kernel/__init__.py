"""The tree kernel: what every org-owned table rests on (DESIGN §4 rules 1 and 8).

`scope` (Actor, the scoped manager, the one reach check), `owned` (the `OrgOwned` base),
`upkeep` (ancestor columns kept right on a move, every org-owned model found through the app
registry) and `counters` (subtree totals kept by the services). Nothing here imports an app
module at import time, so any app's models can build on it.
"""
