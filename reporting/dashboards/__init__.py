"""The dashboards' selectors: each panel's figures from a fixed number of aggregate queries,
every one scoped by ``children_visible_to(user)`` (SECURITY.md: restricted children are never
counted or listed for anyone off their allow-list).

- ``deadlines``: the stored, not yet met deadlines of children, judged one way
  (``children.deadlines.DeadlineContext.row``, i.e. ``timescales.rules.assess``).
- ``caseload``: the IRO's caseload, caseload per IRO and the complexity-weighted view.
- ``timeliness``, ``challenges``, ``audits``: the IRO service manager's panels.
- ``week``: the meetings an IRO chairs this week; ``support``: business support's work.
- ``drilldown``: the list of children behind each figure.
"""
