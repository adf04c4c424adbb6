"""Pages of a case's journey, one module per step; ``cases.urls`` names each view.

``common`` holds what every page shares: fetching with permission, the case's own menu and the one
way a page calls the workflow (a refusal becomes its Swedish message on the form, never a 500).
"""
