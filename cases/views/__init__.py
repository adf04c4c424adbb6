"""Pages of a case's journey, one module per step; ``cases.urls`` names each view.

``context`` fetches the case with permission and builds what every case page shows (its menu, whose
turn); ``common`` is the one way a page calls the workflow: a refusal becomes its Swedish message
on the form, never a 500.
"""
